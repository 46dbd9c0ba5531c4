/**
 * Checkpoint loading benchmark: a ~350 MB float32 model (AST-base sized) as model.safetensors,
 * as pytorch_model.bin (torch.save zip format, written by scripts/make-weight-fixtures.py when
 * python3 is available) and as an F16 safetensors. Reports the whole-file read, the parsing and
 * float32 access of every tensor from bytes already in memory (the CPU cost beyond the read), and
 * the end-to-end load (medians of warm runs).
 *
 *   node --expose-gc --import tsx bench/weights.ts [--dir /tmp/audioclass-weights-bench] [--runs 5]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32 as zlibCrc32 } from "node:zlib";
import {
  float32ToFloat16Bits,
  openCheckpoint,
  type RawTensor,
  SafetensorsFile,
  saveSafetensors,
  type TensorSource,
  TorchCheckpoint,
} from "../src/weights/index.js";
import { readWholeFile } from "../src/weights/file-io.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const dir = option("dir", "/tmp/audioclass-weights-bench");
const runs = Number(option("runs", "5"));
const root = fileURLToPath(new URL("..", import.meta.url));

/** AST-base-like parameter set: 12 layers of width 768, ~86M float32 parameters. */
function modelShapes(): [string, number[]][] {
  const shapes: [string, number[]][] = [
    ["embeddings.patch_embeddings.projection.weight", [768, 1, 16, 16]],
    ["embeddings.position_embeddings", [1, 1214, 768]],
  ];
  for (let l = 0; l < 12; l++) {
    const p = `encoder.layer.${l}`;
    for (const m of ["query", "key", "value"]) shapes.push([`${p}.attention.attention.${m}.weight`, [768, 768]], [`${p}.attention.attention.${m}.bias`, [768]]);
    shapes.push([`${p}.attention.output.dense.weight`, [768, 768]], [`${p}.attention.output.dense.bias`, [768]]);
    shapes.push([`${p}.intermediate.dense.weight`, [3072, 768]], [`${p}.intermediate.dense.bias`, [3072]]);
    shapes.push([`${p}.output.dense.weight`, [768, 3072]], [`${p}.output.dense.bias`, [768]]);
    shapes.push([`${p}.layernorm_before.weight`, [768]], [`${p}.layernorm_before.bias`, [768]]);
    shapes.push([`${p}.layernorm_after.weight`, [768]], [`${p}.layernorm_after.bias`, [768]]);
  }
  // Padding tensors bring the file to ~350 MB, the size in the brief.
  for (let i = 0; i < 4; i++) shapes.push([`extra.${i}.weight`, [2048, 640]]);
  return shapes;
}

async function generate(): Promise<{ st: string; f16: string; bin: string | undefined }> {
  mkdirSync(dir, { recursive: true });
  const st = join(dir, "model.safetensors");
  const f16 = join(dir, "model-f16.safetensors");
  const bin = join(dir, "pytorch_model.bin");
  if (!existsSync(st) || !existsSync(f16)) {
    let seed = 12345;
    const tensors = new Map<string, RawTensor>();
    const halves = new Map<string, RawTensor>();
    for (const [name, shape] of modelShapes()) {
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
      for (let i = 0; i < data.length; i++) data[i] = ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 0.1;
      tensors.set(name, { dtype: "F32", shape, data });
      halves.set(name, { dtype: "F16", shape, data: float32ToFloat16Bits(data) });
    }
    const t = performance.now();
    await saveSafetensors(st, tensors);
    console.log(`wrote ${st} (${mb(statSync(st).size)}) in ${ms(performance.now() - t)}`);
    await saveSafetensors(f16, halves);
  }
  if (!existsSync(bin)) {
    const python = spawnSync("python3", [join(root, "scripts/make-weight-fixtures.py"), "--convert-safetensors", st, bin], { stdio: "inherit" });
    if (python.status !== 0) console.log("python3 unavailable: skipping the pytorch_model.bin measurement");
  }
  return { st, f16, bin: existsSync(bin) ? bin : undefined };
}

interface Sample {
  wall: number;
  cpu: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function measure(fn: () => Promise<unknown> | unknown): Promise<Sample> {
  const samples: Sample[] = [];
  for (let i = 0; i < runs + 1; i++) {
    gc?.();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    if (i > 0) samples.push({ wall, cpu: (cpu.user + cpu.system) / 1000 }); // the first run warms caches and the JIT
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)) };
}

function touchAll(source: TensorSource): number {
  let checksum = 0;
  for (const name of source.names()) checksum += source.getFloat32(name)[0];
  return checksum;
}

async function loadAll(path: string, options: Parameters<typeof openCheckpoint>[1] = {}): Promise<number> {
  const source = await openCheckpoint(path, options);
  const checksum = touchAll(source);
  source.close();
  return checksum;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function main() {
  const files = await generate();
  const rows: [string, string, Sample][] = [];
  const add = async (label: string, path: string, fn: () => Promise<unknown> | unknown) => rows.push([label, mb(statSync(path).size), await measure(fn)]);
  const inMemory = async (path: string) => readWholeFile(path);

  const stBytes = await inMemory(files.st);
  await add("model.safetensors: read the file (disk/page cache)", files.st, () => readWholeFile(files.st));
  await add("  parse + every tensor as float32 (bytes in memory)", files.st, () => touchAll(SafetensorsFile.fromBytes(stBytes, files.st)));
  await add("  end to end: openCheckpoint + every tensor", files.st, () => loadAll(files.st));
  await add("  end to end, lazy file-handle mode", files.st, () => loadAll(files.st, { maxInMemoryBytes: 0 }));
  const f16Bytes = await inMemory(files.f16);
  await add("F16 model.safetensors: read the file", files.f16, () => readWholeFile(files.f16));
  await add("  parse + convert every tensor to float32", files.f16, () => touchAll(SafetensorsFile.fromBytes(f16Bytes, files.f16)));
  if (files.bin) {
    const bin = files.bin;
    const binBytes = await inMemory(bin);
    const crc32 = (bytes: Uint8Array) => zlibCrc32(bytes);
    await add("pytorch_model.bin: read the file", bin, () => readWholeFile(bin));
    await add("  zip + pickle + every tensor, CRC-32 checked (zlib)", bin, () => touchAll(TorchCheckpoint.fromBytes(binBytes, bin, { crc32 })));
    await add("  zip + pickle + every tensor, CRC-32 checked (portable)", bin, () => touchAll(TorchCheckpoint.fromBytes(binBytes, bin)));
    await add("  zip + pickle + every tensor, no CRC check", bin, () => touchAll(TorchCheckpoint.fromBytes(binBytes, bin, { verifyChecksums: false })));
    await add("  end to end: openCheckpoint + every tensor", bin, () => loadAll(bin));
  }
  console.log(`\nmedian of ${runs} warm runs, node ${process.version}${gc ? ", gc between runs" : " (run with --expose-gc for steadier numbers)"}`);
  for (const [label, size, s] of rows) console.log(`${label.padEnd(58)} ${size.padStart(9)}  wall ${ms(s.wall).padStart(7)}  cpu ${ms(s.cpu).padStart(7)}`);
}

await main();
