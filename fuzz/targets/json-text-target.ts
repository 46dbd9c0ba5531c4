/** Shared pieces of the JSON-file targets: structure-aware mutation and the unbounded-number class. */
import { unboundedConfigNumber } from "../known-issues.js";
import { mutateJsonText } from "../json-mutate.js";
import type { FuzzRandom } from "../random.js";
import type { KnownIssue, Seed } from "../target.js";

export function mutateJsonBytes(input: Uint8Array, random: FuzzRandom): Uint8Array | undefined {
  const text = mutateJsonText(new TextDecoder().decode(input), random);
  return text === undefined ? undefined : new TextEncoder().encode(text);
}

/** The unbounded-number class judged against the target's seeds (computed on first use). */
export function unboundedNumberIssue(seeds: () => Seed[]): (input: Uint8Array) => KnownIssue | undefined {
  let judge: ((text: string) => KnownIssue | undefined) | undefined;
  return (input) => {
    judge ??= unboundedConfigNumber(seeds().map((s) => new TextDecoder().decode(s.bytes)));
    return judge(new TextDecoder().decode(input));
  };
}
