/**
 * `audioclass evaluate`: scores a model on labelled audio — accuracy, precision / recall / F1
 * (macro, micro, weighted, and per class), the confusion matrix — printed as a table or JSON,
 * with the matrix optionally drawn as an SVG file, and the whole optionally as an HTML report.
 */
import { rename, writeFile } from "node:fs/promises";
import { AutoFeatureExtractor } from "../../models/index.js";
import { AutoModelForAudioClassification } from "../../models/index.js";
import { BatchLoader, confusionMatrixSvg, datasetFromPath, evaluateBatches, evaluationReportHtml, LabelMap, writeReport } from "../../training/index.js";
import type { CliIO } from "../cli-io.js";
import { UsageError } from "../cli-io.js";
import { DATA_OPTION_HELP, DATA_OPTION_SPEC, datasetOptions } from "../data-options.js";
import { formatEvaluation } from "../evaluation-format.js";
import { MODEL_OPTION_HELP, MODEL_OPTION_SPEC, modelLoadOptions } from "../model-options.js";
import { choiceOption, integerOption, parseCommand, stringOption } from "../parse-options.js";

export const evaluateUsage = `Usage: audioclass evaluate --model M --data D [options]

Scores an audio-classification model on labelled audio (a folder with one sub-folder per label,
or a CSV/JSONL manifest whose labels are among the model's): accuracy, precision, recall and F1
(macro, micro and weighted averages, and per class) and the confusion matrix.

Options:
${MODEL_OPTION_HELP}
  --data D                labelled audio: folder, manifest, or a hub dataset as
                          hf://datasets/<org>/<name>[/<config>][?split=test] (parquet)
${DATA_OPTION_HELP}
  --batch-size N          clips per model run (default 8; results do not depend on it)
  --format F              table or json (default: table on a terminal, json otherwise)
  --confusion-matrix FILE also draw the confusion matrix as an SVG
  --normalize            the SVG shows per-true-class fractions instead of counts
  --report FILE           also write an HTML report (metrics, per-class scores, confusion matrix;
                          self-contained, opens in any browser without a network)
  --quiet                 no progress on stderr
`;

export async function evaluateCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    ...MODEL_OPTION_SPEC,
    ...DATA_OPTION_SPEC,
    data: { type: "string" },
    "batch-size": { type: "string", short: "b" },
    format: { type: "string", short: "f" },
    "confusion-matrix": { type: "string" },
    normalize: { type: "boolean" },
    report: { type: "string" },
    quiet: { type: "boolean", short: "q" },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}; pass the data with --data`);
  const modelRef = stringOption(values, "model");
  const data = stringOption(values, "data");
  if (modelRef === undefined) throw new UsageError("--model is required: a model folder or Hugging Face id");
  if (data === undefined) throw new UsageError("--data is required: a folder with one sub-folder per label, a CSV/JSONL manifest, or hf://datasets/<org>/<name>?split=test");
  const format = choiceOption(values, "format", ["table", "json"] as const) ?? (io.stdoutIsTTY ? "table" : "json");
  const batchSize = integerOption(values, "batch-size") ?? 8;
  const svgPath = stringOption(values, "confusion-matrix");
  const reportPath = stringOption(values, "report");
  const quiet = values["quiet"] === true;

  const load = modelLoadOptions(values, io);
  const model = await AutoModelForAudioClassification.fromPretrained(modelRef, load);
  try {
    const featureExtractor = await AutoFeatureExtractor.fromPretrained(model.dir, load);
    const multiLabel = model.config.has("problem_type") && model.config.string("problem_type") === "multi_label_classification";
    const dataset = await datasetFromPath(data, { ...datasetOptions(values, io), labelMap: LabelMap.fromList(model.labels), multiLabel, progress: !quiet });
    const loader = new BatchLoader(dataset, { featureExtractor, batchSize, ...(model.takesAttentionMask && { returnAttentionMask: true }) });
    const result = await evaluateBatches(loader.epochBatches(), async (inputs) => (await model.forward(inputs)).data, { labels: model.labels, multiLabel });
    if (svgPath !== undefined) {
      if (result.confusionMatrix === undefined) throw new UsageError("--confusion-matrix needs single-label data; this model is multi-label");
      const svg = confusionMatrixSvg(result.confusionMatrix, result.labels, { title: `Confusion matrix (${result.samples} examples)`, normalize: values["normalize"] === true });
      const temp = `${svgPath}.tmp-${process.pid}`;
      await writeFile(temp, svg);
      await rename(temp, svgPath);
    }
    if (reportPath !== undefined) await writeReport(reportPath, evaluationReportHtml({ model: modelRef, data, result }));
    if (format === "json") {
      const perClass = result.report?.classes.map((c) => ({ label: c.name, precision: c.precision, recall: c.recall, f1: c.f1, support: c.support }));
      io.stdout(
        `${JSON.stringify({ model: model.dir, data, samples: result.samples, labels: result.labels, metrics: result.metrics, ...(perClass && { per_class: perClass }), ...(result.confusionMatrix && { confusion_matrix: result.confusionMatrix }), skipped_files: dataset.skipped.map((f) => f.path) }, null, 2)}\n`,
      );
    } else {
      io.stdout(formatEvaluation(result));
    }
    const skipped = dataset.skipped.length;
    if (skipped > 0) io.stderr(`audioclass evaluate: ${skipped} unreadable audio file${skipped === 1 ? " was" : "s were"} skipped (listed above)\n`);
  } finally {
    await model.dispose();
  }
  return 0;
}
