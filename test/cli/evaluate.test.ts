// `audioclass evaluate`: the metrics of a model on labelled audio as JSON or a table, the
// confusion matrix as SVG, the HTML report; data with a label the model does not know is refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../src/cli/cli.js";
import type { CliIO } from "../../src/cli/cli-io.js";
import { Trainer } from "../../src/training/index.js";
import { CapturedStream } from "../hub/hub-test-env.js";
import { modelDir } from "../helpers/fixtures.js";
import { syntheticSplits } from "../training/support/synthetic-dataset.js";
import { allElements, parseXml } from "../training/support/xml-check.js";
import { checkSelfContainedHtml } from "../training/support/html-report-check.js";

function captureIO(): CliIO & { out: string; err: string } {
  const stream = new CapturedStream();
  const io = { out: "", err: "", stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t), stderrStream: stream, env: { CI: "true" } };
  return io;
}

test("evaluate: JSON metrics equal the Trainer's evaluation of the same model and data; table; confusion matrix SVG", async () => {
  const data = await syntheticSplits({ trainPerClass: 4, evalPerClass: 3, seconds: 1.2 });
  try {
    const trainer = await Trainer.create({ model: modelDir("ast"), trainData: data.train, evalData: data.eval, outputDir: data.output, epochs: 2, batchSize: 4, learningRate: 1e-3, threads: 2, progress: false });
    await trainer.train();
    const expected = await trainer.evaluate();
    await trainer.dispose();

    const io = captureIO();
    const svg = join(data.output, "matrix.svg");
    const html = join(data.output, "report.html");
    assert.equal(await runCli(["evaluate", "--model", data.output, "--data", data.evalDir, "--format", "json", "--batch-size", "2", "--threads", "2", "--confusion-matrix", svg, "--report", html, "--quiet"], io), 0, io.err);
    const report = JSON.parse(io.out);
    assert.equal(report.samples, 9);
    assert.deepEqual(report.labels, ["chirp", "noise", "tone"]);
    assert.deepEqual(report.confusion_matrix, expected.confusionMatrix);
    for (const [key, value] of Object.entries(expected.metrics)) assert.ok(Math.abs(report.metrics[key] - value) < 1e-5, `${key}: ${report.metrics[key]} vs ${value}`);
    assert.deepEqual(report.per_class.map((c: { label: string }) => c.label), ["chirp", "noise", "tone"]);
    const root = parseXml(readFileSync(svg, "utf8"));
    assert.equal(root.name, "svg");
    assert.ok(allElements(root).some((e) => e.name === "text" && e.text.includes("chirp")));
    // --report: the same numbers on one self-contained page, with counts and per-class fractions
    const page = readFileSync(html, "utf8");
    const svgs = checkSelfContainedHtml(page);
    assert.deepEqual(svgs.map((s) => allElements(s).find((e) => e.name === "title")!.text), ["Counts (9 examples)", "Fraction of each true class"]);
    assert.match(page, new RegExp(`<td>accuracy</td><td class="num">${expected.metrics.accuracy!.toFixed(4)}</td>`));
    assert.match(page, new RegExp(`<td>F1, macro average</td><td class="num">${expected.metrics.f1_macro!.toFixed(4)}</td>`));
    for (const c of report.per_class) assert.match(page, new RegExp(`<td>${c.label}</td><td class="num">${c.precision.toFixed(4)}</td><td class="num">${c.recall.toFixed(4)}</td>`));

    const table = captureIO();
    assert.equal(await runCli(["evaluate", "--model", data.output, "--data", data.evalDir, "--format", "table", "--threads", "2", "--quiet"], table), 0);
    assert.match(table.out, /precision {4}recall {2}f1-score {3}support/);
    assert.match(table.out, /macro avg/);
    assert.match(table.out, /^macro {4}/m);
    assert.match(table.out, /confusion matrix \(rows: true label, columns: predicted\)/);

    const unknown = captureIO();
    assert.equal(await runCli(["evaluate", "--model", modelDir("ast"), "--data", data.evalDir, "--quiet"], unknown), 1);
    assert.match(unknown.err, /unknown label "chirp" .*; the label map has "Speech", "Music"/);
    const usage = captureIO();
    assert.equal(await runCli(["evaluate", "--model", data.output], usage), 2);
    assert.match(usage.err, /--data is required/);
  } finally {
    data.remove();
  }
});
