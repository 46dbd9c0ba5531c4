import { test } from "node:test";
import assert from "node:assert/strict";
import { confusionMatrixSvg, contrastRatio, escapeXml, sequentialColor, textColorFor } from "../../src/training/metrics/index.js";
import { MetricError } from "../../src/training/errors.js";
import { allElements, parseXml, type XmlElement } from "./support/xml-check.js";

function texts(svg: XmlElement): XmlElement[] {
  return allElements(svg).filter((e) => e.name === "text");
}

function cellTexts(svg: XmlElement): XmlElement[] {
  return texts(svg).filter((t) => t.attributes["dominant-baseline"] === "central" && t.attributes["fill"] !== undefined && t.attributes["font-size"] !== undefined);
}

test("a 3-class matrix: valid XML, title, axis titles, class names and every count", () => {
  const matrix = [
    [12, 1, 0],
    [3, 9, 2],
    [0, 0, 15],
  ];
  const svg = confusionMatrixSvg(matrix, ["dog", "rooster", "rain"], { title: "ESC-10 fold 4" });
  const root = parseXml(svg);
  assert.equal(root.name, "svg");
  assert.equal(root.attributes["xmlns"], "http://www.w3.org/2000/svg");
  const all = texts(root).map((t) => t.text);
  assert.ok(all.includes("ESC-10 fold 4"));
  assert.ok(all.includes("true label"));
  assert.ok(all.includes("predicted label"));
  for (const name of ["dog", "rooster", "rain"]) assert.equal(all.filter((t) => t === name).length, 2, `${name} on both axes`);
  const counts = cellTexts(root).map((t) => t.text);
  assert.deepEqual(counts, matrix.flat().map(String));
  // the "true label" title is rotated to run along the rows
  const trueTitle = texts(root).find((t) => t.text === "true label")!;
  assert.match(trueTitle.attributes["transform"]!, /^rotate\(-90 /);
  // each cell has a tooltip naming the pair
  assert.ok(allElements(root).some((e) => e.name === "title" && e.text === "true: rooster, predicted: rain — 2"));
});

test("cell text is white on dark cells and black on light ones, each with the better WCAG contrast", () => {
  const svg = parseXml(confusionMatrixSvg([[100, 0], [50, 20]], ["a", "b"]));
  const cells = cellTexts(svg);
  const byText = new Map(cells.map((c) => [c.text, c.attributes["fill"]]));
  assert.equal(byText.get("100"), "#ffffff");
  assert.equal(byText.get("0"), "#000000");
  for (let t = 0; t <= 1; t += 0.05) {
    const bg = sequentialColor(t);
    const chosen = textColorFor(bg) === "#ffffff" ? { r: 255, g: 255, b: 255 } : { r: 0, g: 0, b: 0 };
    const other = textColorFor(bg) === "#ffffff" ? { r: 0, g: 0, b: 0 } : { r: 255, g: 255, b: 255 };
    assert.ok(contrastRatio(chosen, bg) >= contrastRatio(other, bg));
    assert.ok(contrastRatio(chosen, bg) >= 4.5, `contrast ${contrastRatio(chosen, bg)} at t = ${t}`);
  }
  // the scale gets darker as the value grows
  const lum = (t: number): number => { const c = sequentialColor(t); return c.r + c.g + c.b; };
  assert.ok(lum(0) > lum(0.5) && lum(0.5) > lum(1));
});

test("label text is escaped, and characters XML forbids are replaced", () => {
  const svg = confusionMatrixSvg([[1, 0], [0, 1]], ['<dog & "cat">', "it's\u0001"], { title: "a < b & c" });
  assert.ok(!svg.includes('<dog & "cat">'));
  const root = parseXml(svg);
  const all = texts(root).map((t) => t.text);
  assert.ok(all.includes('<dog & "cat">'));
  assert.ok(all.includes("it's\ufffd"));
  assert.ok(all.includes("a < b & c"));
  assert.equal(escapeXml(`<&>"'`), "&lt;&amp;&gt;&quot;&apos;");
});

test("long class names rotate on the x axis; short ones stay horizontal; very long ones are shortened", () => {
  const short = parseXml(confusionMatrixSvg([[1, 2], [3, 4]], ["0", "1"]));
  assert.ok(!texts(short).some((t) => (t.attributes["transform"] ?? "").startsWith("rotate(-45")));
  const longNames = ["crackling_fire", "crying_baby", "clock_tick"];
  const long = parseXml(confusionMatrixSvg([[1, 0, 0], [0, 1, 0], [0, 0, 1]], longNames));
  assert.equal(texts(long).filter((t) => (t.attributes["transform"] ?? "").startsWith("rotate(-45")).length, 3);
  const huge = "x".repeat(60);
  const shortened = parseXml(confusionMatrixSvg([[1, 0], [0, 1]], [huge, "b"]));
  assert.ok(texts(shortened).some((t) => t.text === `${"x".repeat(27)}…`));
  assert.ok(allElements(shortened).some((e) => e.name === "title" && e.text.includes(huge)), "the tooltip keeps the full name");
});

test("the image is sized for 2 to 50 classes and cell text shrinks to fit", () => {
  const sizeOf = (n: number): { width: number; height: number; cell: number } => {
    const matrix = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 12345 : 1)));
    const root = parseXml(confusionMatrixSvg(matrix, Array.from({ length: n }, (_, i) => `class ${i}`)));
    const cell = Number(allElements(root).find((e) => e.name === "rect" && e.attributes["stroke"] === "#ffffff")!.attributes["width"]);
    for (const t of cellTexts(root)) {
      const width = t.text.length * Number(t.attributes["font-size"]) * 0.6;
      assert.ok(width <= cell - 3.9, `"${t.text}" (${width} px) fits a ${cell} px cell`);
    }
    return { width: Number(root.attributes["width"]), height: Number(root.attributes["height"]), cell };
  };
  const two = sizeOf(2);
  const ten = sizeOf(10);
  const fifty = sizeOf(50);
  assert.equal(two.cell, 64);
  assert.equal(fifty.cell, 16);
  assert.ok(two.width < ten.width && ten.width < fifty.width);
  assert.ok(fifty.width < 1400 && fifty.height < 1400, `50 classes fit in ${fifty.width}×${fifty.height}`);
});

test("normalize shows row fractions; counts stay in the tooltips", () => {
  const root = parseXml(confusionMatrixSvg([[2, 1], [0, 4]], ["a", "b"], { normalize: true }));
  assert.deepEqual(cellTexts(root).map((t) => t.text), ["0.67", "0.33", "0.00", "1.00"]);
  assert.ok(allElements(root).some((e) => e.name === "title" && e.text === "true: a, predicted: b — 1 (0.33)"));
  const pred = parseXml(confusionMatrixSvg([[2, 1], [0, 4]], ["a", "b"], { normalize: "pred" }));
  assert.deepEqual(cellTexts(pred).map((t) => t.text), ["1.00", "0.20", "0.00", "0.80"]);
});

test("bad inputs raise MetricError", () => {
  assert.throws(() => confusionMatrixSvg([[1, 2]], ["a", "b"]), MetricError);
  assert.throws(() => confusionMatrixSvg([[1, 2], [3]], ["a", "b"]), /row 1/);
  assert.throws(() => confusionMatrixSvg([[1, -2], [3, 4]], ["a", "b"]), /≥ 0/);
  assert.throws(() => confusionMatrixSvg([[1]], []), /labels/);
  assert.throws(() => confusionMatrixSvg([[1, 0], [0, 1]], ["a", "b"], { normalize: "rows" as "true" }), /normalize/);
});
