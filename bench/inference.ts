// Inference speed of full-size architectures with random weights (the exact configs of the
// public checkpoints), as ms per clip and as a fraction of the MatMul peak measured in this run.
//   node --import tsx bench/inference.ts [--runs N] [--threads N]
import { availableParallelism } from "node:os";
import { countMatmulFlops, type GraphModel } from "../src/graph/index.js";
import { ModelConfig, architectureFor } from "../src/models/index.js";
import { Weights } from "../src/nn/index.js";
import { createSession } from "../src/runtime/index.js";
import { randomCheckpoint } from "../test/models/support/random-checkpoint.js";
import { FULL_SIZE_MODELS, type FullSizeModel } from "./support/full-size-models.js";
import { matmulPeakGflops, timeRuns } from "./support/measure.js";

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const runs = arg("runs", 5);
const threads = arg("threads", availableParallelism());

async function measure(c: FullSizeModel, peak: number): Promise<void> {
  const config = new ModelConfig(c.config);
  const t0 = performance.now();
  const weights = Weights.from(randomCheckpoint(c.parameters(c.config), 1));
  const graph: GraphModel = architectureFor(config).build(config, weights);
  const session = await createSession(graph, { threads });
  const buildMs = performance.now() - t0;
  const flops = countMatmulFlops(graph, c.bindings).total;
  const feeds = c.feeds(0);
  const { best, median } = await timeRuns(() => session.run(feeds), runs);
  const gflops = flops / 1e9 / (best / 1000);
  console.log(
    `${c.name.padEnd(32)} ${(flops / 1e9).toFixed(1).padStart(6)} GFLOP  best ${best.toFixed(0).padStart(6)} ms  median ${median.toFixed(0).padStart(6)} ms  ` +
      `${gflops.toFixed(0).padStart(4)} GFLOP/s = ${((100 * gflops) / peak).toFixed(0)}% of peak  (${((best / 1000 / c.clipSeconds) * 100).toFixed(1)}% of real time; build+load ${(buildMs / 1000).toFixed(1)} s)`,
  );
  await session.dispose();
}

const peak = await matmulPeakGflops(threads);
console.log(`MatMul peak (1024³ float32, ${threads} threads): ${peak.toFixed(0)} GFLOP/s`);
for (const c of FULL_SIZE_MODELS) await measure(c, peak);
