/** safetensors: header validation (safetensors-header.ts) and every tensor materialised as float32. */
import { join } from "node:path";
import { SafetensorsFile } from "../../src/weights/index.js";
import { mutateJsonText } from "../json-mutate.js";
import type { FuzzRandom } from "../random.js";
import { filesUnder, SHARED_FIXTURES, seedsFromFiles, TEST_FIXTURES } from "../seed-files.js";
import type { FuzzTarget } from "../target.js";
import { InvariantViolation } from "./invariant-violation.js";

const HEADER_LENGTHS = [0n, 1n, 2n, 0x7fffffffn, 0xffffffffn, 100_000_001n, 2n ** 63n, 2n ** 64n - 1n];

/** Edits the JSON header (re-encoding its length), or sets the length field to a boundary value. */
function mutateHeader(input: Uint8Array, random: FuzzRandom): Uint8Array | undefined {
  if (input.length < 8) return undefined;
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const length = view.getBigUint64(0, true);
  if (random.chance(0.2) || length > BigInt(input.length - 8)) {
    const out = input.slice();
    const declared = random.chance(0.5) ? random.pick(HEADER_LENGTHS) : length + BigInt(random.between(-9, 9));
    new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, declared), true);
    return out;
  }
  const n = Number(length);
  const text = new TextDecoder().decode(input.subarray(8, 8 + n));
  const mutated = mutateJsonText(text, random);
  if (mutated === undefined) return undefined;
  const header = new TextEncoder().encode(mutated);
  const out = new Uint8Array(8 + header.length + input.length - 8 - n);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  out.set(input.subarray(8 + n), 8 + header.length);
  return out;
}

export const safetensorsTarget: FuzzTarget = {
  name: "safetensors",
  description: "model.safetensors bytes → SafetensorsFile.fromBytes (header checks) → getFloat32 / getTensor of every tensor",
  seeds: () =>
    seedsFromFiles([
      ...filesUnder(join(TEST_FIXTURES, "weights"), (n) => n.endsWith(".safetensors")),
      ...filesUnder(join(TEST_FIXTURES, "hf", "models"), (n) => n.endsWith(".safetensors")),
      ...filesUnder(join(SHARED_FIXTURES, "models"), (n) => n.endsWith(".safetensors")),
    ]),
  mutate: mutateHeader,
  async run(input) {
    const file = SafetensorsFile.fromBytes(input, "fuzz.safetensors");
    for (const name of file.names()) {
      const info = file.info(name);
      const values = file.getFloat32(name);
      const numel = info.shape.reduce((a, b) => a * b, 1);
      if (values.length !== numel) throw new InvariantViolation(`tensor "${name}" has ${values.length} values for shape [${info.shape.join(", ")}]`);
      file.getTensor(name);
    }
    file.metadata();
    file.close();
  },
};
