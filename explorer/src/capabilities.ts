// What the server's schema offers beyond what the explorer needs to work at all.
//
// Newer servers add fields (criticality, why a play is not in the plan, optimistic concurrency);
// the explorer asks for them only when the schema has them, so it keeps working against older
// servers. It reads the schema by introspection; where a production server turns that off, one
// document uses every optional field under `@skip(if: true)`, so nothing is executed, and the
// server's validation errors name exactly the fields it does not know.

import { gqlRaw } from "./api";

/** The concurrency field each update input may carry: the updatedAt the form loaded. */
export const EXPECTED_UPDATED_AT = "expectedUpdatedAt";

export interface Capabilities {
  /** ApproverAssessment.criticality / criticalityWithPlan (Float). */
  criticality: boolean;
  /** Play.inPlan (Boolean!) and Play.exclusion { reason explanation } (PlayExclusion). */
  planExclusion: boolean;
  /** Seat.verifiedAt (Date). */
  seatVerifiedAt: boolean;
  /** Which records can be updated with `expectedUpdatedAt` (and expose `updatedAt` to send). */
  concurrency: { stakeholder: boolean; seat: boolean; influence: boolean; conflict: boolean };
}

export const NO_CAPABILITIES: Capabilities = {
  criticality: false,
  planExclusion: false,
  seatVerifiedAt: false,
  concurrency: { stakeholder: false, seat: false, influence: false, conflict: false },
};

const STAMP = '"2000-01-01T00:00:00+00:00"';

const PROBE = `
query ProbeReads {
  coachingPlan(opportunityId: "probe") @skip(if: true) {
    approvers { criticality criticalityWithPlan plays { inPlan exclusion { reason explanation } } }
  }
  opportunity(id: "probe") @skip(if: true) { committee { verifiedAt updatedAt } }
  stakeholder(id: "probe") @skip(if: true) {
    updatedAt influences { updatedAt } conflicts { updatedAt }
  }
}
mutation ProbeWrites {
  stakeholder: updateStakeholder(id: "probe", input: {${EXPECTED_UPDATED_AT}: ${STAMP}}) @skip(if: true) { __typename }
  seat: updateSeat(input: {stakeholderId: "probe", opportunityId: "probe", ${EXPECTED_UPDATED_AT}: ${STAMP}}) @skip(if: true) { __typename }
  influence: updateInfluence(input: {fromId: "probe", toId: "probe", ${EXPECTED_UPDATED_AT}: ${STAMP}}) @skip(if: true) { __typename }
  conflict: updateConflict(input: {fromId: "probe", toId: "probe", ${EXPECTED_UPDATED_AT}: ${STAMP}}) @skip(if: true) { __typename }
}`;

/** True when no validation error names `field` together with `type`. */
function known(errors: string[], type: string, field: string): boolean {
  return !errors.some((m) => m.includes(`'${field}'`) && m.includes(`'${type}'`));
}

const TYPES = [
  "ApproverAssessment", "Play", "PlayExclusion", "Seat", "Stakeholder", "Influence", "Conflict",
  "UpdateStakeholderInput", "UpdateSeatInput", "UpdateInfluenceInput", "UpdateConflictInput",
];

const INTROSPECT = `query Capabilities {
  ${TYPES.map((t) => `${t}: __type(name: "${t}") { fields { name } inputFields { name } }`).join("\n  ")}
}`;

type Has = (type: string, ...fields: string[]) => boolean;

/** From introspection: null when the server refuses it. */
async function byIntrospection(): Promise<Has | null> {
  const body = await gqlRaw<Record<string, { fields: { name: string }[] | null; inputFields: { name: string }[] | null } | null>>(INTROSPECT);
  if (body.errors?.length || !body.data) return null;
  const data = body.data;
  return (type, ...fields) => {
    const found = data[type];
    const names = new Set([...(found?.fields ?? []), ...(found?.inputFields ?? [])].map((f) => f.name));
    return fields.every((f) => names.has(f));
  };
}

/** From the validation errors of a skipped document (no introspection needed). */
async function byProbe(): Promise<Has | null> {
  const body = await gqlRaw(PROBE, {}, "ProbeReads");
  const errors = (body.errors ?? []).map((e) => e.message);
  if (errors.some((m) => !m.includes("'"))) return null; // not a field error: be safe
  return (type, ...fields) => fields.every((field) => known(errors, type, field));
}

export async function detectCapabilities(): Promise<Capabilities> {
  let has: Has | null;
  try {
    has = (await byIntrospection()) ?? (await byProbe());
  } catch {
    return NO_CAPABILITIES;
  }
  if (!has) return NO_CAPABILITIES;
  const writable = (input: string, record: string): boolean =>
    has(input, EXPECTED_UPDATED_AT) && has(record, "updatedAt");
  return {
    criticality: has("ApproverAssessment", "criticality", "criticalityWithPlan"),
    planExclusion: has("Play", "inPlan", "exclusion") && has("PlayExclusion", "reason", "explanation"),
    seatVerifiedAt: has("Seat", "verifiedAt"),
    concurrency: {
      stakeholder: writable("UpdateStakeholderInput", "Stakeholder"),
      seat: writable("UpdateSeatInput", "Seat"),
      influence: writable("UpdateInfluenceInput", "Influence"),
      conflict: writable("UpdateConflictInput", "Conflict"),
    },
  };
}
