/**
 * Optimizer-side cost of one training step for an AST-base-sized model (~86 M float32
 * parameters): the AdamW update, gradient-norm clipping (norm only, and norm + rescale), and
 * adding one micro-batch to a gradient accumulator. Medians of timed runs after warm-up runs,
 * all in one process.
 *
 *   node --import tsx bench/optimizer.ts [--runs 7]
 */
import { AdamW, clipCoefficient, clipGradNorm, GradientAccumulator, gradNorm, SGD } from "../src/training/optim/index.js";

const args = process.argv.slice(2);
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 7;

/** AST-base (MIT/ast-finetuned-audioset-10-10-0.4593): 12 layers of width 768, 1214 positions, 527 labels. */
function astBaseShapes(): [string, number[]][] {
  const h = 768;
  const shapes: [string, number[]][] = [
    ["audio_spectrogram_transformer.embeddings.cls_token", [1, 1, h]],
    ["audio_spectrogram_transformer.embeddings.distillation_token", [1, 1, h]],
    ["audio_spectrogram_transformer.embeddings.position_embeddings", [1, 1214, h]],
    ["audio_spectrogram_transformer.embeddings.patch_embeddings.projection.weight", [h, 1, 16, 16]],
    ["audio_spectrogram_transformer.embeddings.patch_embeddings.projection.bias", [h]],
  ];
  for (let l = 0; l < 12; l++) {
    const p = `audio_spectrogram_transformer.encoder.layer.${l}`;
    for (const m of ["attention.attention.query", "attention.attention.key", "attention.attention.value", "attention.output.dense"]) {
      shapes.push([`${p}.${m}.weight`, [h, h]], [`${p}.${m}.bias`, [h]]);
    }
    shapes.push([`${p}.intermediate.dense.weight`, [4 * h, h]], [`${p}.intermediate.dense.bias`, [4 * h]]);
    shapes.push([`${p}.output.dense.weight`, [h, 4 * h]], [`${p}.output.dense.bias`, [h]]);
    for (const n of ["layernorm_before", "layernorm_after"]) shapes.push([`${p}.${n}.weight`, [h]], [`${p}.${n}.bias`, [h]]);
  }
  shapes.push(["audio_spectrogram_transformer.layernorm.weight", [h]], ["audio_spectrogram_transformer.layernorm.bias", [h]]);
  shapes.push(["classifier.layernorm.weight", [h]], ["classifier.layernorm.bias", [h]], ["classifier.dense.weight", [527, h]], ["classifier.dense.bias", [527]]);
  return shapes;
}

function filled(n: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = ((x >>> 0) / 4294967296 - 0.5) * scale;
  }
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

interface Case {
  readonly label: string;
  readonly run: () => void;
  readonly samples: number[];
}

/**
 * Cases are timed round-robin (each run times every case once), so load from other processes on
 * a shared machine spreads over all cases instead of skewing whichever ran during a busy spell.
 */
function timeAll(cases: Case[]): void {
  for (const c of cases) for (let i = 0; i < 2; i++) c.run();
  for (let r = 0; r < runs; r++) {
    for (const c of cases) {
      const start = process.hrtime.bigint();
      c.run();
      c.samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  for (const c of cases) {
    console.log(`${c.label.padEnd(52)} ${median(c.samples).toFixed(1).padStart(8)} ms   (min ${Math.min(...c.samples).toFixed(1)}, max ${Math.max(...c.samples).toFixed(1)})`);
  }
}

const cases: Case[] = [];
function add(label: string, run: () => void): Case {
  const c = { label, run, samples: [] };
  cases.push(c);
  return c;
}
/** Ratios use the fastest run: on a shared machine it is the best estimate of the cost itself. */
const ms = (c: Case) => Math.min(...c.samples);

const shapes = astBaseShapes();
const params = new Map<string, Float32Array>();
const grads = new Map<string, Float32Array>();
let total = 0;
shapes.forEach(([name, shape], i) => {
  const n = shape.reduce((a, b) => a * b, 1);
  total += n;
  params.set(name, filled(n, 2 * i + 1, 0.1));
  grads.set(name, filled(n, 2 * i + 2, 0.01));
});
const bytes = total * 4;
console.log(`AST-base parameter set: ${shapes.length} tensors, ${(total / 1e6).toFixed(2)} M parameters (${(bytes / 2 ** 20).toFixed(0)} MiB float32)`);
console.log(`median of ${runs} runs after 2 warm-up runs, cases interleaved; one thread (the optimizer runs on the main thread)\n`);
const gradNormCached = gradNorm(grads);

const adamw = new AdamW(params, { lr: 5e-5, weightDecay: 0.01 });
const adam = add("AdamW step (weight decay, Trainer groups)", () => adamw.step(grads));
// Clipping to the current norm: the +1e-6 in torch's coefficient keeps it just below 1, so every
// run rescales while the gradients stay (almost) the same across runs.
const normOnly = add("clip_grad_norm, under the limit (norm only)", () => clipGradNorm(grads, 1e30));
const clip = add("clip_grad_norm, over the limit (norm + rescale)", () => clipGradNorm(grads, gradNormCached));
const fused = add("AdamW step with the clip fused (scale option)", () => adamw.step(grads, { scale: clipCoefficient(gradNormCached, gradNormCached) }));
const accumulator = new GradientAccumulator(params, { steps: 4 });
const acc = add("gradient accumulation: add one micro-batch", () => {
  if (accumulator.ready) accumulator.reset();
  accumulator.add(grads);
});
const sgd = new SGD(params, { lr: 1e-3, momentum: 0.9 });
const sgdCase = add("SGD step (momentum 0.9)", () => sgd.step(grads));

// The floor for AdamW on this machine: the same memory traffic (read θ, g, m, v; write θ, m, v)
// with only multiply-adds, no sqrt or division.
const floorState = [...params.values()].map((p) => [new Float32Array(p.length), new Float32Array(p.length)] as const);
function streamingFloor(): void {
  let t = 0;
  for (const [name, p] of params) {
    const g = grads.get(name) as Float32Array;
    const [m, v] = floorState[t++];
    for (let i = 0; i < p.length; i++) {
      const gi = g[i];
      const mi = 0.9 * m[i] + 0.1 * gi;
      const vi = 0.999 * v[i] + 0.001 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] = p[i] * 0.9999999 - 1e-9 * mi * vi;
    }
  }
}
const floor = add("streaming floor (AdamW's traffic, no sqrt/div)", streamingFloor);
timeAll(cases);
const [adamMs, normMs, clipMs, fusedMs, accMs, sgdMs, floorMs] = [adam, normOnly, clip, fused, acc, sgdCase, floor].map(ms);

// AdamW reads θ, g, m, v and writes θ, m, v: 28 bytes per parameter.
console.log(`\nfrom the fastest run of each case:`);
console.log(`AdamW memory traffic: ${((28 * total) / (adamMs / 1e3) / 1e9).toFixed(1)} GB/s effective; ${((adamMs * 1e6) / total).toFixed(2)} ns/parameter`);
console.log(`AdamW step vs the streaming floor: ${(adamMs / floorMs).toFixed(2)}× (1.0 = memory-bound)`);
console.log(`clip (norm + rescale) vs AdamW step: ${(clipMs / adamMs).toFixed(2)}×; norm only: ${(normMs / adamMs).toFixed(2)}×; accumulate: ${(accMs / adamMs).toFixed(2)}×; SGD: ${(sgdMs / adamMs).toFixed(2)}×`);
console.log(
  `clipped step: separate clip + step ${(clipMs + adamMs).toFixed(0)} ms vs norm + fused step ${(normMs + fusedMs).toFixed(0)} ms (${((clipMs + adamMs) / (normMs + fusedMs)).toFixed(2)}×)`,
);
