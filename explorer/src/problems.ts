// Server problems in a seller's words: which field, what to do, and never an internal id.

import type { Problem } from "./types";

/** Internal ids look like `stk_0123…`; they mean nothing to a seller. */
const ID = /'?\b[a-z]{2,4}_[0-9a-f]{12,}\b'?/g;

/** `message` with every id replaced by the name it stands for (or "this record"). */
export function withoutIds(message: string, nameOf: (id: string) => string | null): string {
  return message.replace(ID, (match) => {
    const id = match.replace(/'/g, "");
    const name = nameOf(id);
    return name ? `“${name}”` : "this record";
  });
}

const RULES: [RegExp, (label: string) => string][] = [
  [/required and cannot be cleared|not to be None|non-null type|is required/i, (l) => `${l} is required.`],
  [/must not be blank|cannot be blank|must not be empty/i, (l) => `${l} cannot be empty.`],
  [/must be in \(0, ?1\]/, (l) => `${l} must be more than 0 and at most 1, for example 0.8.`],
  [/must be in \[0, ?1\]/, (l) => `${l} must be between 0 and 1, for example 0.8.`],
  [/must be > ?0|must be positive|greater than 0/i, (l) => `${l} must be more than 0.`],
  [/must differ from/i, () => "Pick two different people: nobody influences or conflicts with themselves."],
  [/e-?mail/i, (l) => `${l} is not a valid e-mail address; use one like name@example.com.`],
  [/Float|Int|number/i, (l) => `${l} must be a number, for example 0.8.`],
];

/** One problem with a field, in plain words. */
export function plainProblem(label: string, message: string, nameOf: (id: string) => string | null): string {
  for (const [pattern, say] of RULES) if (pattern.test(message)) return say(label);
  const text = withoutIds(message, nameOf).replace(/^invalid input: /i, "");
  return `${label}: ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}

/** The field a problem path points at: `input.strength` → `strength`, `topics[0]` → `topics`. */
export function fieldOfPath(path: string, fieldNames: string[]): string | null {
  const segments = path.split(/[.[\]]/).filter((s) => s.length > 0 && !/^\d+$/.test(s));
  for (const segment of segments.reverse()) if (fieldNames.includes(segment)) return segment;
  return null;
}

/**
 * Problems named by a refused request that never reached a resolver (GraphQL validation of a
 * variable, e.g. `Variable '$input' has invalid value at .strength: …`): its field, if any.
 */
export function problemsOfMessage(message: string): Problem[] {
  const at = /at \.?([A-Za-z_.[\]0-9]+)/.exec(message);
  return at ? [{ path: at[1], message }] : [];
}

/** A whole-form message (no field) in plain words, by error code. */
export function plainMessage(code: string, message: string, nameOf: (id: string) => string | null): string {
  switch (code) {
    case "FORBIDDEN":
      return "Your key may not change the map (a viewer key reads only).";
    case "NOT_FOUND":
      return "This no longer exists: someone may have deleted it. The map has been reloaded.";
    case "NETWORK":
      return "The service could not be reached; nothing was saved. Try again.";
    default:
      return withoutIds(message, nameOf).replace(/^invalid input: /i, "");
  }
}
