// training_report.html and its charts: nice axes, self-contained HTML with well-formed inline
// SVG, the curves of the logged steps, and the confusion matrix of the model kept.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Trainer, axisScale, formatTick, lineChartSvg, logAxisScale, trainingReportHtml } from "../../src/training/index.js";
import { modelDir } from "../helpers/fixtures.js";
import { checkSelfContainedHtml, textsOf } from "./support/html-report-check.js";
import { syntheticSplits } from "./support/synthetic-dataset.js";
import { allElements, parseXml, type XmlElement } from "./support/xml-check.js";

test("axis scales: ticks 1, 2 or 5 × 10^k covering the data; a flat series is widened; tiny values in e-notation", () => {
  assert.deepEqual(axisScale(0.21, 1.37, 5), { min: 0, max: 1.5, ticks: [0, 0.5, 1, 1.5] });
  assert.deepEqual(axisScale(0, 30, 6).ticks, [0, 10, 20, 30]);
  assert.deepEqual(axisScale(0, 1, 6).ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]);
  const flat = axisScale(2, 2, 5);
  assert.ok(flat.min < 2 && flat.max > 2);
  assert.deepEqual(logAxisScale(0.3, 14_000).ticks, [0.1, 1, 10, 100, 1000, 10000, 100000]);
  assert.deepEqual(logAxisScale(0.3, 4).ticks, [0.1, 0.2, 0.5, 1, 2, 5, 10]);
  assert.equal(formatTick(0.00005), "5e-5");
  assert.equal(formatTick(0.0005), "5e-4");
  assert.equal(formatTick(0.25), "0.25");
  assert.equal(formatTick(0.30000000000000004), "0.3");
  assert.equal(formatTick(0), "0");
});

function svgTexts(svg: XmlElement): string[] {
  return allElements(svg).filter((e) => e.name === "text").map((e) => e.text);
}

test("a line chart: title, axis titles, tick labels, one marked point per value, a legend for several series", () => {
  const svg = parseXml(
    lineChartSvg({
      title: "Loss",
      xLabel: "optimizer step",
      yLabel: "cross-entropy loss",
      series: [
        { name: "training loss", points: [[10, 1.2], [20, 0.8], [30, 0.5]] },
        { name: "evaluation loss", points: [[15, 0.9], [30, Number.NaN]] },
      ],
    }),
  );
  const texts = svgTexts(svg);
  for (const t of ["Loss", "optimizer step", "cross-entropy loss", "training loss", "evaluation loss", "0", "30"]) assert.ok(texts.includes(t), `${t} in ${texts.join("|")}`);
  assert.equal(allElements(svg).filter((e) => e.name === "circle").length, 4, "NaN is left out");
  assert.equal(allElements(svg).filter((e) => e.name === "path").length, 1, "one point draws no line");
  const tips = allElements(svg).filter((e) => e.name === "title").map((e) => e.text);
  assert.ok(tips.includes("training loss at optimizer step 20: 0.8"));
  // a higher value sits higher on the page (smaller y)
  const ys = allElements(svg).filter((e) => e.name === "circle").slice(0, 3).map((c) => Number(c.attributes["cy"]));
  assert.ok(ys[0]! < ys[1]! && ys[1]! < ys[2]!);
  const empty = svgTexts(parseXml(lineChartSvg({ title: "Learning rate", xLabel: "optimizer step", yLabel: "learning rate", series: [{ name: "lr", points: [] }] })));
  assert.ok(empty.includes("no data yet"));
});

test("training_report.html of a short run: self-contained, the curves at the logged steps, the best evaluation's confusion matrix", async () => {
  const data = await syntheticSplits({ trainPerClass: 4, evalPerClass: 2, seconds: 1.2 });
  const trainer = await Trainer.create({ model: modelDir("ast"), trainData: data.train, evalData: data.eval, outputDir: data.output, epochs: 2, batchSize: 4, learningRate: 1e-3, loggingSteps: 1, threads: 2, progress: false });
  try {
    const result = await trainer.train();
    const html = readFileSync(join(data.output, "training_report.html"), "utf8");
    const svgs = checkSelfContainedHtml(html);
    const titles = svgs.map((s) => allElements(s).find((e) => e.name === "title")!.text);
    assert.deepEqual(titles, ["Loss", "Learning rate", "Gradient norm", "Evaluation metrics", `Confusion matrix at step ${result.bestCheckpoint!.split("-").at(-1)}`]);
    assert.match(html, /finished: step 6 of 6, epoch 2\.00/);
    // the loss chart: 6 training points (logging every step) and 2 evaluation points
    const loss = svgs[0]!;
    const tips = allElements(loss).filter((e) => e.name === "title").map((e) => e.text);
    assert.equal(tips.filter((t) => t.startsWith("training loss at optimizer step")).length, 6);
    assert.equal(tips.filter((t) => t.startsWith("evaluation loss at optimizer step")).length, 2);
    const log = readFileSync(join(data.output, "training_log.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const firstLoss = log.find((l) => l.type === "train");
    assert.ok(tips.includes(`training loss at optimizer step 1: ${formatTick(firstLoss.loss)}`));
    // evaluation metrics on a fixed 0–1 axis
    assert.ok(textsOf(svgs[3]!).includes("score (0 – 1)"));
    // the confusion matrix counts every evaluation example once
    const cells = allElements(svgs[4]!).filter((e) => e.name === "text" && e.attributes["dominant-baseline"] === "central" && e.attributes["fill"] !== undefined && e.attributes["font-size"] !== undefined);
    assert.equal(cells.reduce((sum, c) => sum + Number(c.text), 0), 6);
    for (const name of ["chirp", "noise", "tone"]) assert.match(html, new RegExp(`<td>${name}</td>`));
  } finally {
    await trainer.dispose();
    data.remove();
  }
});

test("a report before anything is logged, and a run without evaluation, say so instead of drawing empty axes silently", () => {
  const html = trainingReportHtml({ model: "m", outputDir: "/o", entries: [], status: "running", maxSteps: 10, metricForBestModel: "loss", trainingArgs: { logging_steps: 5 } });
  checkSelfContainedHtml(html);
  assert.match(html, /Nothing logged yet \(the first entry comes after 5 steps\)/);
  assert.match(html, /No evaluation in this run/);
  assert.match(html, /running: step 0 of 10/);
  // labels with markup are escaped, not interpreted
  const hostile = trainingReportHtml({ model: "<script>x</script>", outputDir: "/o", entries: [], status: "failed", maxSteps: 1, metricForBestModel: "loss", trainingArgs: {} });
  checkSelfContainedHtml(hostile);
  assert.match(hostile, /&lt;script&gt;x&lt;\/script&gt;/);
});
