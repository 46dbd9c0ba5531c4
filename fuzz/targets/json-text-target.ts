/** Shared pieces of the JSON-file targets: structure-aware mutation and the unbounded-number class. */
import { unboundedJsonNumber } from "../known-issues.js";
import { mutateJsonText } from "../json-mutate.js";
import type { FuzzRandom } from "../random.js";
import type { KnownIssue } from "../target.js";

export function mutateJsonBytes(input: Uint8Array, random: FuzzRandom): Uint8Array | undefined {
  const text = mutateJsonText(new TextDecoder().decode(input), random);
  return text === undefined ? undefined : new TextEncoder().encode(text);
}

export function unboundedNumberIssue(input: Uint8Array): KnownIssue | undefined {
  return unboundedJsonNumber(new TextDecoder().decode(input));
}
