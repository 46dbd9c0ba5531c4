/** The JSON-file targets' structure-aware mutation, on bytes. */
import { mutateJsonText } from "../json-mutate.js";
import type { FuzzRandom } from "../random.js";

export function mutateJsonBytes(input: Uint8Array, random: FuzzRandom): Uint8Array | undefined {
  const text = mutateJsonText(new TextDecoder().decode(input), random);
  return text === undefined ? undefined : new TextEncoder().encode(text);
}
