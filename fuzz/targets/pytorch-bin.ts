/**
 * pytorch_model.bin: the zip reader, the allow-listed pickle interpreter, the legacy format and
 * strided tensor materialisation, through TorchCheckpoint.fromBytes with CRC checks on (as
 * loadWeights reads it).
 */
import { join } from "node:path";
import { zipSync, type Zippable } from "fflate";
import { MemoryByteSource, TorchCheckpoint, ZipArchive } from "../../src/weights/index.js";
import { MAX_INPUT_BYTES, mutateBytes } from "../mutate.js";
import type { FuzzRandom } from "../random.js";
import { filesUnder, SHARED_FIXTURES, seedsFromFiles, TEST_FIXTURES } from "../seed-files.js";
import type { FuzzTarget } from "../target.js";
import { InvariantViolation } from "./invariant-violation.js";

/**
 * Mutates one record inside the zip (data.pkl most often) and writes the archive again with valid
 * CRCs and offsets, so the mutation reaches the pickle machine rather than the checksum check.
 */
function mutateZipRecord(input: Uint8Array, random: FuzzRandom): Uint8Array | undefined {
  if (input[0] !== 0x50 || input[1] !== 0x4b) return undefined;
  // Read with our bounds-checked ZipArchive: fflate's unzipSync loops without bound over a mutated
  // directory's entry count, which hung the harness itself (not the child).
  const files: Record<string, Uint8Array> = {};
  try {
    const zip = new ZipArchive(new MemoryByteSource(input, "fuzz input"));
    const entries = zip.entries();
    if (entries.length > 256 || entries.some((e) => e.uncompressedSize > MAX_INPUT_BYTES)) return undefined;
    for (const entry of entries) files[entry.name] = zip.read(entry, false);
  } catch {
    return undefined;
  }
  const names = Object.keys(files);
  if (names.length === 0) return undefined;
  const pickle = names.find((n) => n.endsWith("data.pkl"));
  const chosen = pickle !== undefined && random.chance(0.7) ? pickle : random.pick(names);
  if (random.chance(0.1)) delete files[chosen];
  else files[chosen] = mutateBytes(files[chosen]!, random, { donors: [], headerBytes: 32 });
  const level = random.chance(0.8) ? 0 : 6; // stored as torch.save writes, sometimes deflated
  const entries: Zippable = {};
  for (const [name, data] of Object.entries(files)) entries[name] = [data, { level }];
  return zipSync(entries);
}

export const pytorchBinTarget: FuzzTarget = {
  name: "pytorch-bin",
  description: "pytorch_model.bin bytes → TorchCheckpoint.fromBytes (zip, pickle allow-list, legacy format) → getFloat32 of every tensor",
  seeds: () =>
    seedsFromFiles([
      ...filesUnder(join(TEST_FIXTURES, "weights"), (n) => n.endsWith(".bin")),
      ...filesUnder(join(SHARED_FIXTURES, "models"), (n) => n.endsWith(".bin")),
    ]),
  mutate: mutateZipRecord,
  structuredShare: 0.6,
  async run(input) {
    const checkpoint = TorchCheckpoint.fromBytes(input, "fuzz/pytorch_model.bin");
    for (const name of checkpoint.names()) {
      const info = checkpoint.info(name);
      const values = checkpoint.getFloat32(name);
      const numel = info.shape.reduce((a, b) => a * b, 1);
      if (values.length !== numel) throw new InvariantViolation(`tensor "${name}" has ${values.length} values for shape [${info.shape.join(", ")}]`);
      checkpoint.getTensor(name);
    }
    checkpoint.close();
  },
};
