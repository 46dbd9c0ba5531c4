/**
 * config.json: ModelConfig.fromFile, the registry (model_type), each architecture's settings
 * (readAstSettings, readFamilyConfig, readWhisperSettings, readClapSettings), its parameter list,
 * the default preprocessor config training derives from it, and — when the described model is
 * small — fresh parameters and the inference and training graphs built from them.
 */
import { join } from "node:path";
import { ModelConfig, architectureFor, clapParameterShapes, initializeParameters, readClapSettings } from "../../src/models/index.js";
import { findValue } from "../../src/graph/index.js";
import { Weights } from "../../src/nn/index.js";
import { defaultPreprocessorConfig } from "../../src/training/default-preprocessor.js";
import { Rng } from "../../src/training/index.js";
import { filesUnder, REPO_ROOT, SHARED_FIXTURES, seedsFromFiles, TEST_FIXTURES } from "../seed-files.js";
import type { FuzzTarget, Seed } from "../target.js";
import { InvariantViolation } from "./invariant-violation.js";
import { mutateJsonBytes } from "./mutate-json-bytes.js";
import { scratchFolder } from "./scratch-files.js";

/** Models up to this many parameters are built (graph construction is then ~milliseconds). */
const MAX_BUILT_PARAMETERS = 2_000_000;

function seeds(): Seed[] {
  return seedsFromFiles([
    ...filesUnder(join(TEST_FIXTURES, "hf", "models"), (n) => n === "config.json"),
    ...filesUnder(join(SHARED_FIXTURES, "models"), (n) => n === "config.json"),
    join(REPO_ROOT, "models", "default", "config.json"),
  ]);
}

export const configJsonTarget: FuzzTarget = {
  name: "config-json",
  description: "config.json → ModelConfig.fromFile → architectureFor → settings, parameters(), labels, default preprocessor, graph build (small models)",
  seeds,
  mutate: mutateJsonBytes,
  structuredShare: 0.8,
  async run(input, context) {
    const dir = scratchFolder(context.scratchDir, "config", { "config.json": input });
    const config = await ModelConfig.fromFile(join(dir, "config.json"));
    if (config.raw["model_type"] === "clap") {
      readClapSettings(config);
      clapParameterShapes(config);
      return;
    }
    const architecture = architectureFor(config);
    const labels = config.labels();
    architecture.basePrefix(config);
    architecture.numLayers(config);
    defaultPreprocessorConfig(config);
    const specs = architecture.parameters(config);
    let total = 0;
    for (const spec of specs) total += spec.shape.reduce((a, b) => a * b, 1);
    if (total > MAX_BUILT_PARAMETERS) return;
    const weights = Weights.from(initializeParameters(specs, new Rng(1)));
    for (const training of [false, true]) {
      const graph = architecture.build(config, weights, { training });
      const logits = findValue(graph, "logits");
      if (logits === undefined) throw new InvariantViolation("the graph has no logits output");
      const classes = logits.shape[logits.shape.length - 1];
      if (typeof classes === "number" && classes !== labels.length) throw new InvariantViolation(`logits have ${classes} classes but the config has ${labels.length} labels`);
    }
  },
};
