import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { AudioDataset, LabelMap } from "../../src/training/data/index.js";
import { TrainingDataError } from "../../src/training/errors.js";
import { noise, tone } from "./support/signals.js";
import { tempDir, type TempDir } from "./support/wav-file.js";

function folderDataset(dir: TempDir): void {
  dir.wav("rooster/r1.wav", tone(600, 0.2, 8000), 8000);
  dir.wav("dog/d2.wav", tone(300, 0.3, 8000), 8000);
  dir.wav("dog/d1.wav", noise(1600, 1), 8000);
  dir.wav("dog/nested/d3.wav", noise(800, 2), 8000);
  dir.wav("rain/x.wav", [noise(400, 3), noise(400, 4)], 16000);
  dir.text("rain/notes.txt", "ignored");
  dir.text(".hidden/h.wav", "ignored: hidden folder");
}

test("fromFolder: one sub-folder per label, labels sorted → ids, files sorted, durations measured", async () => {
  const dir = tempDir();
  try {
    folderDataset(dir);
    const ds = await AudioDataset.fromFolder(dir.root);
    assert.deepEqual(ds.labelMap.labels, ["dog", "rain", "rooster"]);
    assert.deepEqual(
      ds.examples.map((e) => e.path.slice(dir.root.length + 1)),
      ["dog/d1.wav", "dog/d2.wav", "dog/nested/d3.wav", "rain/x.wav", "rooster/r1.wav"],
    );
    assert.deepEqual(Array.from({ length: ds.size }, (_, i) => ds.labelId(i)), [0, 0, 0, 1, 2]);
    assert.deepEqual(ds.labelCounts(), [3, 1, 1]);
    assert.deepEqual(ds.examples.map((e) => e.duration), [0.2, 0.3, 0.1, 0.025, 0.2]);
    assert.ok(Math.abs(ds.totalDuration()! - 0.825) < 1e-12);
    assert.equal(ds.multiLabel, false);
  } finally {
    dir.remove();
  }
});

test("an explicit label map keeps the training ids; an unknown label in eval data is a typed error", async () => {
  const dir = tempDir();
  try {
    folderDataset(dir);
    const trainingLabels = LabelMap.fromList(["rooster", "rain", "dog", "cat"]);
    const ds = await AudioDataset.fromFolder(dir.root, { labelMap: trainingLabels });
    assert.equal(ds.labelId(0), 2, "dog keeps id 2");
    assert.equal(ds.numLabels, 4);
    await assert.rejects(AudioDataset.fromFolder(dir.root, { labelMap: { id2label: { "0": "dog", "1": "rain" } } }), (e: unknown) => {
      return e instanceof TrainingDataError && /unknown label "rooster" \(.*r1\.wav\); the label map has "dog", "rain"/.test(e.message);
    });
  } finally {
    dir.remove();
  }
});

test("undecodable files: fail early with a list of up to 10 files, or skip them with a warning", async () => {
  const dir = tempDir();
  try {
    dir.wav("a/good.wav", tone(300, 0.1, 8000), 8000);
    dir.wav("b/good.wav", tone(300, 0.1, 8000), 8000);
    for (let i = 0; i < 12; i++) dir.text(`b/bad${String(i).padStart(2, "0")}.wav`, "this is not a wav file");
    dir.wav("b/empty.wav", new Float32Array(0), 8000);
    await assert.rejects(AudioDataset.fromFolder(dir.root), (e: unknown) => {
      assert.ok(e instanceof TrainingDataError);
      assert.match(e.message, /13 of 15 audio files in .* cannot be decoded:/);
      assert.equal((e.message.match(/^ {2}\S.*bad\d\d\.wav/gm) ?? []).length, 10, "ten files listed");
      assert.match(e.message, /… and 3 more/);
      assert.match(e.message, /onDecodeError: "skip"/);
      return true;
    });
    const warned = once(process, "warning");
    const ds = await AudioDataset.fromFolder(dir.root, { onDecodeError: "skip" });
    const [warning] = (await warned) as [Error & { code?: string }];
    assert.equal(warning.code, "AUDIOCLASS_SKIPPED_AUDIO");
    assert.equal(ds.size, 2);
    assert.equal(ds.skipped.length, 13);
    assert.ok(ds.skipped.some((s) => s.path.endsWith("empty.wav") && /no audio/.test(s.reason)));
    // verification can be turned off (errors then surface when a batch is loaded)
    const unchecked = await AudioDataset.fromFolder(dir.root, { verify: false });
    assert.equal(unchecked.size, 15);
  } finally {
    dir.remove();
  }
});

test("fromFolder rejects files outside label folders, empty folders and unknown options", async () => {
  const dir = tempDir();
  try {
    await assert.rejects(AudioDataset.fromFolder(dir.root), /holds no audio files/);
    dir.wav("loose.wav", tone(300, 0.1, 8000), 8000);
    await assert.rejects(AudioDataset.fromFolder(dir.root), /outside label sub-folders \(loose\.wav\)/);
    await assert.rejects(AudioDataset.fromFolder(`${dir.root}/nope`), /is not a folder/);
    await assert.rejects(AudioDataset.fromFolder(dir.root, { label_map: {} } as never), /unknown option "label_map"/);
  } finally {
    dir.remove();
  }
});

test("CSV and JSONL manifests build datasets; multi-label data is detected and labelled", async () => {
  const dir = tempDir();
  try {
    dir.wav("clips/1.wav", tone(300, 0.1, 8000), 8000);
    dir.wav("clips/2.wav", tone(400, 0.1, 8000), 8000);
    const csv = dir.text("train.csv", "path,label,fold\nclips/1.wav,dog,1\nclips/2.wav,rain,2\n");
    const ds = await AudioDataset.fromCsv(csv);
    assert.deepEqual(ds.folds(), ["1", "2"]);
    assert.equal(ds.source, csv);
    const jsonl = dir.text("tags.jsonl", '{"path": "clips/1.wav", "label": ["dog", "outdoor"]}\n{"path": "clips/2.wav", "label": "rain"}\n');
    const tags = await AudioDataset.fromJsonl(jsonl);
    assert.equal(tags.multiLabel, true);
    assert.deepEqual(tags.labelIds(0), [0, 1]);
    assert.throws(() => tags.labelId(0), /multi-label/);
    await assert.rejects(AudioDataset.fromJsonl(jsonl, { multiLabel: false }), /single-label dataset; pass multiLabel: true/);
    const missing = dir.text("missing.csv", "path,label\nclips/none.wav,dog\n");
    await assert.rejects(AudioDataset.fromCsv(missing), /none\.wav/);
  } finally {
    dir.remove();
  }
});
