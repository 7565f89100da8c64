// How the explorer names things to a seller, and the colour-blind-safe palette (blue for our
// side, orange and vermillion for resistance, greys for the undecided), always paired with a
// word and an icon so colour is never the only signal.

import type { GraphNode } from "./types";

export interface StanceLook {
  label: string;
  icon: string;
  /** Stripe and icon colour (at least 3:1 against white). */
  colour: string;
  /** Card background (text on it stays dark). */
  background: string;
}

export const STANCE_LOOK: Record<string, StanceLook> = {
  CHAMPION: { label: "Champion", icon: "champion", colour: "#0b5394", background: "#e1edf8" },
  SUPPORTER: { label: "Supporter", icon: "supporter", colour: "#2a7ab8", background: "#eef5fb" },
  NEUTRAL: { label: "Neutral", icon: "neutral", colour: "#6b6b6b", background: "#efefef" },
  UNKNOWN: { label: "Unknown", icon: "unknown", colour: "#6b6b6b", background: "#ffffff" },
  SKEPTIC: { label: "Skeptic", icon: "skeptic", colour: "#a86200", background: "#fcf0da" },
  BLOCKER: { label: "Blocker", icon: "blocker", colour: "#b63a0a", background: "#fbe3d8" },
};

export const NOT_SEATED: StanceLook = {
  label: "Not on committee",
  icon: "unseated",
  colour: "#6b6b6b",
  background: "#ffffff",
};

export const ALTERNATIVE_LOOK: Record<string, { label: string; icon: string; colour: string }> = {
  OURS: { label: "Ours", icon: "ours", colour: "#0b5394" },
  COMPETITOR: { label: "Competitor", icon: "competitor", colour: "#b63a0a" },
  STATUS_QUO: { label: "Status quo", icon: "status_quo", colour: "#6b5a1e" },
  BUILD: { label: "Build in-house", icon: "build", colour: "#6a3d9a" },
};

/**
 * The champion test's verdicts (DESIGN section 6), each with a word, an icon and what it means
 * to a seller; the explanation sentence comes from the API.
 */
export const VERDICT_LOOK: Record<string, { label: string; icon: string; meaning: string; order: number }> = {
  CHAMPION: { label: "Champion", icon: "verdict-champion", meaning: "can move the approvers who decide", order: 3 },
  COACH: { label: "Coach", icon: "verdict-coach", meaning: "informs you but cannot move the approvers", order: 1 },
  CONFLICTED: { label: "Conflicted", icon: "verdict-conflicted", meaning: "carries another side's flag too", order: 0 },
  ISOLATED: { label: "Isolated", icon: "verdict-isolated", meaning: "reaches no approver", order: 2 },
};

export function verdictLook(verdict: string): { label: string; icon: string; meaning: string; order: number } {
  return VERDICT_LOOK[verdict] ?? { label: sentence(verdict), icon: "verdict-isolated", meaning: "", order: 9 };
}

/** A criticality (a difference of probabilities, 0–1) as the plan prints it. */
export function crit(value: number): string {
  return value.toFixed(2);
}

/** "Left on 3 Mar 2026" once the day has come; "Leaves on …" before it. */
export function departureText(departure: { leftAt: string | null; left: boolean }): string {
  if (!departure.leftAt) return "Left the account";
  return `${departure.left ? "Left" : "Leaves"} on ${day(departure.leftAt)}`;
}

export const STATUS_LOOK: Record<string, { label: string; order: number }> = {
  UNCOVERED: { label: "Uncovered", order: 0 },
  WEAK: { label: "Weak", order: 1 },
  COVERED: { label: "Covered", order: 2 },
  SECURED: { label: "Secured", order: 3 },
};

const ROLE_LABELS: Record<string, string> = {
  ECONOMIC_BUYER: "Economic buyer",
  APPROVER: "Approver",
  DECISION_MAKER: "Decision maker",
  TECHNICAL_EVALUATOR: "Technical evaluator",
  USER_BUYER: "User buyer",
  INFLUENCER: "Influencer",
  GATEKEEPER: "Gatekeeper",
  PROCUREMENT: "Procurement",
  LEGAL: "Legal",
};

export function roleLabel(role: string | null | undefined): string {
  if (!role) return "Not on committee";
  return ROLE_LABELS[role] ?? sentence(role);
}

export function stanceLook(node: Pick<GraphNode, "role" | "stance">): StanceLook {
  if (!node.role) return NOT_SEATED;
  return STANCE_LOOK[node.stance ?? "UNKNOWN"] ?? STANCE_LOOK.UNKNOWN;
}

/** `TECHNICAL_EVALUATOR` → "Technical evaluator". */
export function sentence(value: string | null | undefined): string {
  if (!value) return "";
  const text = value.replace(/_/g, " ").toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function lower(value: string | null | undefined): string {
  return value ? value.replace(/_/g, " ").toLowerCase() : "";
}

export function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}

/** The seat line of a card: the role (a veto is marked apart, on the card's corner). */
export function seatLine(node: GraphNode): string {
  return node.role ? roleLabel(node.role) : "Not on committee";
}

/** A date (ISO) as a seller reads it; "never" when unknown. */
export function day(value: string | null | undefined): string {
  if (!value) return "never";
  // a bare date is a calendar day, not midnight UTC (which is the day before in the Americas)
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00`) : new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}
