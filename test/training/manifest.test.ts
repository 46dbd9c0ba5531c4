import { test } from "node:test";
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { LabelMap, parseCsv, parseCsvManifest, parseJsonlManifest, readCsvManifest } from "../../src/training/data/index.js";
import { TrainingDataError } from "../../src/training/errors.js";
import { tempDir } from "./support/wav-file.js";

test("parseCsv: quoted fields with delimiters, doubled quotes and line breaks; CRLF; BOM; blank lines", () => {
  const text = '\ufeffpath,label\r\n"a, b.wav",dog\r\n\r\n"say ""hi"".wav","multi\nline"\nplain.wav,cat';
  const rows = parseCsv(text, "t.csv");
  assert.deepEqual(
    rows.map((r) => r.fields),
    [
      ["path", "label"],
      ["a, b.wav", "dog"],
      ['say "hi".wav', "multi\nline"],
      ["plain.wav", "cat"],
    ],
  );
  assert.deepEqual(rows.map((r) => r.line), [1, 2, 4, 6]);
  // like Python's csv: text after a closing quote is kept, a quote inside a field is literal
  assert.deepEqual(parseCsv('"ab"c,d"e\n', "t.csv")[0]!.fields, ["abc", 'd"e']);
  assert.deepEqual(parseCsv('a;"b;c"\n', "t.csv", ";")[0]!.fields, ["a", "b;c"]);
  assert.deepEqual(parseCsv('a,""\n', "t.csv")[0]!.fields, ["a", ""]);
  assert.throws(() => parseCsv('path,label\n"open.wav,dog\n', "t.csv"), (e: unknown) => e instanceof TrainingDataError && /line 2 opens a quoted field/.test(e.message));
});

test("CSV manifest: relative paths resolve against the manifest's folder (or audioRoot); folds and extra columns kept", () => {
  const base = resolve("/data/esc");
  const text = "filename,fold,category,target\n1-100.wav,1,dog,0\n\"sub/2,x.wav\",2,rooster,1\n/abs/3.wav,2,dog,0\n";
  const examples = parseCsvManifest(text, base, "meta.csv", { pathColumn: "filename", labelColumn: "category" });
  assert.deepEqual(examples.map((e) => e.path), [join(base, "1-100.wav"), join(base, "sub/2,x.wav"), resolve("/abs/3.wav")]);
  assert.deepEqual(examples.map((e) => e.labels), [["dog"], ["rooster"], ["dog"]]);
  assert.deepEqual(examples.map((e) => e.fold), ["1", "2", "2"]);
  assert.deepEqual(examples[0]!.columns, { target: "0" });
  // defaults: path / label / fold
  const plain = parseCsvManifest("path,label\na.wav,x\n", base, "m.csv");
  assert.equal(plain[0]!.fold, undefined);
  // multi-label fields
  const multi = parseCsvManifest("path,label\na.wav,dog;bark\n", base, "m.csv", { labelSeparator: ";" });
  assert.deepEqual(multi[0]!.labels, ["dog", "bark"]);
});

test("CSV manifest errors name the file, the line, and the fix", () => {
  const base = "/data";
  assert.throws(() => parseCsvManifest("a.wav,dog\nb.wav,cat\n", base, "m.csv"), /looks like data, not a header; add a header line such as `path,label`/);
  assert.throws(() => parseCsvManifest("file,cls\na.wav,dog\n", base, "m.csv"), /no label column "label" among "file", "cls".*labelColumn/);
  assert.throws(() => parseCsvManifest("name,label\na.wav,dog\n", base, "m.csv"), /no a path column \(path, file_name, filename, file\)/);
  assert.throws(() => parseCsvManifest("path,label\na.wav,dog,extra\n", base, "m.csv"), /m\.csv line 2 has 3 fields but the header has 2/);
  assert.throws(() => parseCsvManifest("path,label\na.wav,\n", base, "m.csv"), /line 2: the label is empty/);
  assert.throws(() => parseCsvManifest("", base, "m.csv"), /m\.csv is empty/);
  assert.throws(() => parseCsvManifest("path,label,fold\na.wav,dog,1\n", base, "m.csv", { foldColumn: "split" }), /no fold column "split"/);
});

test("JSONL manifest: strings, numbers and label arrays; errors carry line numbers", () => {
  const base = resolve("/data");
  const text = '{"path": "a.wav", "label": "dog", "fold": 1}\n\n{"file_name": "b.wav", "label": ["dog", "bark"], "speaker": "x"}\n{"path": "c.wav", "label": 7}\n';
  const examples = parseJsonlManifest(text, base, "m.jsonl");
  assert.deepEqual(examples.map((e) => e.path), ["a.wav", "b.wav", "c.wav"].map((f) => join(base, f)));
  assert.deepEqual(examples.map((e) => e.labels), [["dog"], ["dog", "bark"], ["7"]]);
  assert.equal(examples[0]!.fold, "1");
  assert.deepEqual(examples[1]!.columns, { speaker: "x" });
  assert.throws(() => parseJsonlManifest('{"path": "a.wav", "label": "x"}\n{oops}\n', base, "m.jsonl"), /m\.jsonl line 2 is not valid JSON/);
  assert.throws(() => parseJsonlManifest('[1, 2]\n', base, "m.jsonl"), /line 1 .* must be a JSON object/);
  assert.throws(() => parseJsonlManifest('{"path": "a.wav", "label": []}\n', base, "m.jsonl"), /empty array/);
  assert.throws(() => parseJsonlManifest('{"path": "a.wav"}\n', base, "m.jsonl"), /no label column/);
  assert.throws(() => parseJsonlManifest("\n\n", base, "m.jsonl"), /has no entries/);
});

test("readCsvManifest reads from disk with audioRoot relative to the manifest", async () => {
  const dir = tempDir();
  try {
    const manifest = dir.text("meta/esc50.csv", "filename,fold,category\n1-1.wav,1,dog\n");
    const [example] = await readCsvManifest(manifest, { pathColumn: "filename", labelColumn: "category", audioRoot: "../audio" });
    assert.equal(example!.path, join(dir.root, "audio", "1-1.wav"));
    await assert.rejects(readCsvManifest(join(dir.root, "missing.csv")), /cannot read the manifest/);
  } finally {
    dir.remove();
  }
});

test("LabelMap: sorted labels → ids, config forms round-trip, unknown labels are typed errors listing the known ones", () => {
  const map = LabelMap.fromLabels(["rooster", "dog", "rain", "dog"]);
  assert.deepEqual(map.labels, ["dog", "rain", "rooster"]);
  assert.equal(map.id("rain"), 1);
  assert.equal(map.label(2), "rooster");
  assert.deepEqual(map.id2label, { "0": "dog", "1": "rain", "2": "rooster" });
  assert.deepEqual(map.label2id, { dog: 0, rain: 1, rooster: 2 });
  assert.deepEqual(LabelMap.fromId2Label(map.id2label).labels, map.labels);
  assert.deepEqual(LabelMap.fromLabel2Id(map.label2id).labels, map.labels);
  assert.deepEqual(LabelMap.from({ id2label: { "1": "b", "0": "a" } }).labels, ["a", "b"]);
  assert.deepEqual(LabelMap.from(["z", "a"]).labels, ["z", "a"], "an explicit list keeps its order");
  assert.equal(LabelMap.from(map), map);
  assert.throws(() => map.id("cat", "eval.csv line 3"), (e: unknown) => e instanceof TrainingDataError && /unknown label "cat" \(eval\.csv line 3\); the label map has "dog", "rain", "rooster"/.test(e.message));
  assert.throws(() => LabelMap.fromId2Label({ "0": "a", "2": "b" }), /ids must be the integers 0 … 1/);
  assert.throws(() => LabelMap.fromLabel2Id({ a: 0, b: 0 }), /distinct integers/);
  assert.throws(() => LabelMap.fromList(["a", "a"]), /appears twice/);
  assert.throws(() => map.label(3), /outside 0 … 2/);
  // Python's sorted(): by code point, so upper case first
  assert.deepEqual(LabelMap.fromLabels(["b", "B", "a", "_x"]).labels, ["B", "_x", "a", "b"]);
});
