// One full-width AST-base encoder layer (../shared/perf/ast-base-1layer: a checkpoint and its
// torch.onnx export) timed side by side on the same input — the features of the folder's
// clip_10s.wav — by:
//   audioclass    our graph, built from model.safetensors + config.json as
//                 AutoModelForAudioClassification.fromPretrained does (dtype fp32, fused attention), in our onnxruntime-node;
//   torch export  onnx/model.onnx in our onnxruntime-node (graph differences, same runtime);
//   tjs3 / tjs4   onnx/model.onnx loaded by transformers.js 3.3.3 / 4.x
//                 (AutoModelForAudioClassification.from_pretrained, dtype "fp32", device "cpu"),
//                 run through the onnxruntime-node each bundles (1.20.1 / 1.30.0);
//   fp32 peak     ORT's float32 MatMul, 2048³, in our onnxruntime-node (bench/support/measure.ts).
// Two onnxruntime-node versions cannot share a process (both ship libonnxruntime.so.1; the second
// binding resolves to the first library and fails to load), so each runtime gets its own child
// process; all children are loaded first, then driven one call at a time in interleaved rounds
// (the starting runner rotating), so a busy moment on a shared machine slows them all alike.
// Every session: the same intra-op thread count, one inter-op thread, idle threads not spinning
// (so process CPU time measures the work done; on a busy machine it is the steadier figure).
// Otherwise each side keeps its own session defaults: ours also flush denormals
// (set_denormal_as_zero), transformers.js's do not — a runtime-side difference that, with the ORT
// version, "torch export" vs tjs3/tjs4 shows; "audioclass" vs "torch export" is the graph alone.
//
// transformers.js is not a dependency of audioclass: it lives in bench/peers (npm aliases tjs3,
// tjs4, with their own lock file) and is installed there on first use.
//   npm run bench:peers -- [--threads 2,1] [--runs 15] [--warmup 2] [--dir FOLDER]
//        [--runners audioclass,torch-export,tjs3,tjs4] (also: audioclass-unfused, our graph without
//        com.microsoft.MultiHeadAttention)
import { type ChildProcess, fork, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { astFlops } from "./support/ast-flops.js";

const here = dirname(fileURLToPath(import.meta.url));
const peersDir = join(here, "peers");
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};

/** What a child reports for one call: wall and process-CPU milliseconds, and the logits (first call). */
interface CallResult {
  wall: number;
  cpu: number;
  logits?: number[];
}
type Calls = Record<string, () => Promise<Float32Array | undefined>>;
// 2048³ (17 GFLOP): a call about as long as the model's, so a busy moment weighs on both alike.
const PEAK_N = 2048;
const PEAK_BURST = 1;

// ---------------------------------------------------------------------------------------------
// Children: load, then answer {call} messages with timings.

async function oursCalls(dir: string, threads: number, input: Float32Array, keys: readonly string[]): Promise<Calls> {
  const { AutoModelForAudioClassification, ModelConfig, architectureFor, buildGraph } = await import("../src/models/index.js");
  const { createSession } = await import("../src/runtime/index.js");
  const { matmulWorkload } = await import("./support/measure.js");
  const feeds = { input_values: { type: "float32" as const, dims: [1, 1024, 128], data: input } };
  const calls: Calls = {};
  if (keys.includes("audioclass")) {
    // As a user gets it: fromPretrained's defaults (fused attention, weights read in place).
    const model = await AutoModelForAudioClassification.fromPretrained(dir, { threads, cache: false, dtype: "fp32", spinning: false });
    calls["audioclass"] = async () => (await model.forward(feeds)).data as Float32Array;
  }
  if (keys.includes("audioclass unfused")) {
    const config = await ModelConfig.fromFile(join(dir, "config.json"));
    const { graph } = await buildGraph(dir, config, architectureFor(config), { fused: false });
    const session = await createSession(graph, { threads, spinning: false });
    calls["audioclass unfused"] = async () => (await session.run(feeds))["logits"]!.data as Float32Array;
  }
  if (keys.includes("torch export")) {
    const session = await createSession(join(dir, "onnx", "model.onnx"), { threads, spinning: false });
    calls["torch export"] = async () => (await session.run(feeds))["logits"]!.data as Float32Array;
  }
  if (keys.includes("fp32 peak")) {
    const peak = await matmulWorkload(threads, PEAK_N, false);
    calls["fp32 peak"] = async () => {
      for (let i = 0; i < PEAK_BURST; i++) await peak.run();
      return undefined;
    };
  }
  return calls;
}

async function transformersJsCalls(alias: string, dir: string, threads: number, input: Float32Array): Promise<Calls> {
  const pkg = JSON.parse(readFileSync(join(peersDir, "node_modules", alias, "package.json"), "utf8")) as { version: string; exports: { node: { import: { default: string } } } };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const tjs: any = await import(pathToFileURL(join(peersDir, "node_modules", alias, pkg.exports.node.import.default)).href);
  tjs.env.allowRemoteModels = false;
  tjs.env.localModelPath = dirname(resolve(dir));
  const model = await tjs.AutoModelForAudioClassification.from_pretrained(resolve(dir).split("/").pop(), {
    dtype: "fp32",
    device: "cpu",
    session_options: { intraOpNumThreads: threads, interOpNumThreads: 1, extra: { session: { "intra_op.allow_spinning": "0" } } },
  });
  const tensor = new tjs.Tensor("float32", input, [1, 1024, 128]);
  process.stderr.write(`  ${alias}: transformers.js ${pkg.version} (${tjs.env.version ?? "?"}), onnxruntime-node ${ortVersion(join(peersDir, "node_modules", alias))}, ${model.constructor.name}\n`);
  return { [alias]: async () => (await model({ input_values: tensor })).logits.data as Float32Array };
}

/** The onnxruntime-node version that `from` (a package folder) resolves to. */
function ortVersion(from: string): string {
  for (let d = from; d.startsWith(peersDir); d = dirname(d)) {
    const p = join(d, "node_modules", "onnxruntime-node", "package.json");
    if (existsSync(p)) return (JSON.parse(readFileSync(p, "utf8")) as { version: string }).version;
  }
  return "?";
}

async function child(role: string, dir: string, threads: number, inputFile: string, keys: string[]): Promise<void> {
  const bytes = readFileSync(inputFile);
  const input = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const calls = role === "ours" ? await oursCalls(dir, threads, input, keys) : await transformersJsCalls(role, dir, threads, input);
  process.on("message", (m: { call?: string; exit?: boolean }) => {
    if (m.exit) process.exit(0);
    void (async () => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const out = await calls[m.call!]!();
      const wall = performance.now() - t0;
      const c = process.cpuUsage(c0);
      const result: CallResult = { wall, cpu: (c.user + c.system) / 1000, logits: out === undefined ? undefined : Array.from(out) };
      process.send!(result);
    })().catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
  process.on("disconnect", () => process.exit(0));
  process.send!({ ready: Object.keys(calls) });
}

// ---------------------------------------------------------------------------------------------
// Parent.

interface Child {
  proc: ChildProcess;
  call(key: string): Promise<CallResult>;
}

function startChild(role: string, dir: string, threads: number, inputFile: string, keys: string[]): Promise<Child> {
  const proc = fork(fileURLToPath(import.meta.url), ["--child", role, dir, String(threads), inputFile, keys.join(",")], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let pending: ((r: CallResult) => void) | undefined;
  let failed: ((e: Error) => void) | undefined;
  return new Promise((resolveReady, rejectReady) => {
    failed = rejectReady;
    proc.on("exit", (code) => failed?.(new Error(`${role} child exited (${code})`)));
    proc.on("message", (m: CallResult | { ready: string[] }) => {
      if ("ready" in m) {
        failed = undefined;
        resolveReady({
          proc,
          call: (key) =>
            new Promise<CallResult>((res, rej) => {
              pending = res;
              failed = rej;
              proc.send({ call: key });
            }),
        });
      } else {
        const p = pending;
        pending = undefined;
        failed = undefined;
        p?.(m);
      }
    });
  });
}

function ensurePeersInstalled(): void {
  if (existsSync(join(peersDir, "node_modules"))) return;
  console.log("bench/peers/node_modules is missing: installing the transformers.js peers (npm ci --prefix bench/peers, ~800 MB, dev-only)…");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  // --ignore-scripts: onnxruntime-node and sharp ship their CPU binaries in the packages (no download step needed).
  const r = spawnSync(npm, ["ci", "--prefix", peersDir, "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel", "error"], { stdio: "inherit" });
  if (r.status !== 0) throw new Error(`npm ci --prefix ${peersDir} failed (status ${r.status})`);
}

const median = (v: readonly number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const fmt = (v: number, d = 0) => v.toFixed(d);

async function main(): Promise<void> {
  const dir = resolve(arg("dir", join(here, "..", "..", "shared", "perf", "ast-base-1layer")));
  const threadCounts = arg("threads", "2,1").split(",").map(Number);
  const runs = Number(arg("runs", "15"));
  const warmup = Number(arg("warmup", "2"));
  const runners = arg("runners", "audioclass,torch-export,tjs3,tjs4").split(",").map((r) => r.replaceAll("-", " "));
  if (!existsSync(join(dir, "onnx", "model.onnx"))) throw new Error(`${dir} has no onnx/model.onnx (see ../shared/perf/README.md)`);
  if (runners.some((r) => r.startsWith("tjs"))) ensurePeersInstalled();

  const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as Record<string, unknown>;
  const flops = astFlops(config);
  // The same input for every runner: our AST features of the folder's clip.
  const { loadFeatureExtractor } = await import("../src/features/index.js");
  const { readAudio } = await import("../src/audio/index.js");
  const extractor = await loadFeatureExtractor(dir);
  const audio = await readAudio(join(dir, "clip_10s.wav"), { mono: true });
  const features = extractor.extract(audio.channels[0]!, { samplingRate: audio.samplingRate })["input_values"]!;
  const scratch = mkdtempSync(join(tmpdir(), "audioclass-peers-"));
  const inputFile = join(scratch, "input_values.f32");
  writeFileSync(inputFile, new Uint8Array((features.data as Float32Array).buffer, (features.data as Float32Array).byteOffset, (features.data as Float32Array).byteLength));

  console.log(`${dir}: ${config["num_hidden_layers"]} encoder layer(s), hidden ${config["hidden_size"]}, FFN ${config["intermediate_size"]}, ${flops.tokens} tokens; ` +
    `${fmt(flops.layer / 1e9, 2)} GFLOP per layer, ${fmt(flops.model / 1e9, 2)} GFLOP per run (matmuls + patch conv)`);
  console.log(`input: features of clip_10s.wav [${features.dims.join(", ")}]; ${warmup} warm-up + ${runs} interleaved rounds per thread count; ${new Date().toISOString()}\n`);

  try {
    for (const threads of threadCounts) {
      const ourKeys = [...runners.filter((r) => !r.startsWith("tjs")), "fp32 peak"];
      const children: Record<string, Child> = {};
      const owner: Record<string, Child> = {};
      children["ours"] = await startChild("ours", dir, threads, inputFile, ourKeys);
      for (const k of ourKeys) owner[k] = children["ours"];
      for (const alias of runners.filter((r) => r.startsWith("tjs"))) owner[alias] = children[alias] = await startChild(alias, dir, threads, inputFile, [alias]);
      const keys = [...runners, "fp32 peak"];
      const wall: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
      const cpu: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
      const logits: Record<string, number[]> = {};
      for (let round = 0; round < warmup + runs; round++) {
        const start = round % keys.length;
        for (const key of [...keys.slice(start), ...keys.slice(0, start)]) {
          const r = await owner[key]!.call(key);
          if (r.logits !== undefined) logits[key] ??= r.logits;
          if (round < warmup) continue;
          wall[key]!.push(r.wall);
          cpu[key]!.push(r.cpu);
        }
      }
      for (const c of Object.values(children)) c.proc.send({ exit: true });

      const peakWall = (PEAK_BURST * 2 * PEAK_N ** 3) / 1e9 / (median(wall["fp32 peak"]!) / 1000);
      const peakCpu = (PEAK_BURST * 2 * PEAK_N ** 3) / 1e9 / (median(cpu["fp32 peak"]!) / threads / 1000);
      console.log(`${threads} thread${threads === 1 ? "" : "s"}: ORT fp32 MatMul peak (${PEAK_N}³, our runtime) ${fmt(peakWall)} GFLOP/s by median wall, ${fmt(peakCpu)} by median CPU time / ${threads}`);
      console.log("  runner              ms/run wall median (min–max)   CPU ms median   % of peak (wall / cpu)   max |Δ logit| vs torch export");
      const reference = logits["torch export"] ?? logits["tjs3"];
      for (const key of runners) {
        const w = [...wall[key]!].sort((a, b) => a - b);
        const m = median(w);
        const c = median(cpu[key]!);
        const fracWall = (100 * (flops.model / 1e9 / (m / 1000))) / peakWall;
        const fracCpu = (100 * (flops.model / 1e9 / (c / threads / 1000))) / peakCpu;
        const diff = reference === undefined || logits[key] === undefined ? "-" : fmt(Math.max(...logits[key]!.map((x, i) => Math.abs(x - reference[i]!))), 6);
        console.log(`  ${key.padEnd(18)} ${`${fmt(m)} (${fmt(w[0]!)}–${fmt(w[w.length - 1]!)})`.padStart(26)}   ${fmt(c).padStart(13)}   ${`${fmt(fracWall)} % / ${fmt(fracCpu)} %`.padStart(22)}   ${diff}`);
      }
      const ratio = (a: string, b: string) => {
        if (wall[a]!.length === 0 || wall[b]!.length === 0) return;
        console.log(`  ${`${a === "audioclass" && b === "torch export" ? "our graph / torch export (same runtime)" : `${a} / ${b}`}`.padEnd(40)} ${fmt(median(wall[a]!) / median(wall[b]!), 3)} by median wall, ${fmt(Math.min(...wall[a]!) / Math.min(...wall[b]!), 3)} by best wall, ${fmt(median(cpu[a]!) / median(cpu[b]!), 3)} by median CPU (< 1: ${a} faster)`);
      };
      if (runners.includes("audioclass")) for (const b of ["tjs3", "tjs4", "torch export"].filter((r) => runners.includes(r))) ratio("audioclass", b);
      if (runners.includes("torch export")) for (const b of ["tjs3", "tjs4"].filter((r) => runners.includes(r))) ratio("torch export", b);
      console.log("");
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--child") {
  await child(process.argv[3]!, process.argv[4]!, Number(process.argv[5]), process.argv[6]!, process.argv[7]!.split(","));
} else {
  await main();
}
