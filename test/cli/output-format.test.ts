import { test } from "node:test";
import assert from "node:assert/strict";
import { ResultWriter, csvField, parseOutputFormat } from "../../src/cli/output-format.js";
import { InvalidArgumentError } from "../../src/errors.js";

const results = [
  { file: "a.wav", predictions: [{ label: "dog", score: 0.9 }, { label: "cat, big", score: 0.1 }] },
  { file: 'b "quoted".wav', predictions: [{ label: "dog", score: 1e-7 }] },
];

function render(format: "json" | "jsonl" | "csv" | "table"): string {
  let out = "";
  const w = new ResultWriter(format, (t) => (out += t));
  results.forEach((r) => w.add(r));
  w.end();
  return out;
}

test("json is one array of { file, predictions }", () => {
  assert.deepEqual(JSON.parse(render("json")), results);
});

test("jsonl is one object per line", () => {
  const lines = render("jsonl").trim().split("\n");
  assert.equal(lines.length, 2);
  assert.deepEqual(lines.map((l) => JSON.parse(l)), results);
});

test("csv quotes fields per RFC 4180 and ranks predictions", () => {
  assert.equal(
    render("csv"),
    'file,rank,label,score,error_type,error_message\na.wav,1,dog,0.9,,\na.wav,2,"cat, big",0.1,,\n"b ""quoted"".wav",1,dog,1e-7,,\n',
  );
  assert.equal(csvField("plain"), "plain");
  assert.equal(csvField("line\nbreak"), '"line\nbreak"');
});

test("table shows each file with aligned labels and readable scores", () => {
  const text = render("table");
  assert.match(text, /^a\.wav\n {2}dog {11}0\.9000\n {2}cat, big {6}0\.1000\n/);
  assert.match(text, /1\.00e-7/);
});

test("an empty csv still has its header; unknown formats are rejected", () => {
  let out = "";
  new ResultWriter("csv", (t) => (out += t)).end();
  assert.equal(out, "file,rank,label,score,error_type,error_message\n");
  assert.equal(parseOutputFormat(undefined, "table"), "table");
  assert.throws(() => parseOutputFormat("xml", "json"), (e: unknown) => e instanceof InvalidArgumentError && /xml/.test(e.message) && /jsonl/.test(e.message));
});
