// Datasets from the Hugging Face hub (issue #15, item 4): AudioDataset.fromHub and
// --data hf://datasets/… read parquet files, written here as push_to_hub writes them, from a fake
// hub on 127.0.0.1 — the default data/<split>-NNNNN-of-NNNNN.parquet layout, per-config
// data_files declared in README.md's front matter, ClassLabel names from the card or the parquet
// footer — through the hub client's cache, token and offline rules.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../../src/cli/cli.js";
import {
  AudioDataset,
  TrainingDataError,
  globToRegExp,
  parseDatasetCard,
  parseHubDatasetRef,
  selectDataFiles,
} from "../../src/training/index.js";
import { NotCachedError } from "../../src/hub/index.js";
import { startFakeHub, type FakeHub } from "../hub/fake-hub.js";
import { CapturedStream, hubOptions, useSandbox } from "../hub/hub-test-env.js";
import { modelDir } from "../helpers/fixtures.js";
import { audioParquet, type AudioRow } from "./support/parquet-dataset.js";

const ESC10 = fileURLToPath(new URL("../fixtures/esc10/", import.meta.url));
const clip = (label: string, name: string): AudioRow["audio"] => ({ bytes: readFileSync(join(ESC10, label, name)), path: name });
const DOG = [clip("dog", "4-182395-A-0.wav"), clip("dog", "4-183992-A-0.wav"), clip("dog", "4-184575-A-0.wav")];
const RAIN = [clip("rain", "4-160999-A-10.wav"), clip("rain", "4-161127-A-10.wav"), clip("rain", "4-163264-A-10.wav")];

const ESC_CARD = `---
license: cc-by-3.0
dataset_info:
  features:
  - name: audio
    dtype: audio
  - name: label
    dtype:
      class_label:
        names:
          '0': dog
          '1': rain
  splits:
  - name: train
    num_examples: 4
---
# ESC mini
`;

const MINDS_CARD = `---
configs:
- config_name: en-US
  data_files:
  - split: train
    path: en-US/train-*
- config_name: fr-FR
  data_files:
  - split: train
    path: fr-FR/train-*
  - split: test
    path: "fr-FR/test-[0-9][0-9][0-9][0-9][0-9]-of-*.parquet"
dataset_info:
- config_name: en-US
  features:
  - name: audio
    dtype:
      audio:
        sampling_rate: 8000
  - name: transcription
    dtype: string
  - name: intent_class
    dtype:
      class_label:
        names:
          '0': abroad
          '1': balance
          '2': card_issues
- config_name: fr-FR
  features:
  - name: intent_class
    dtype:
      class_label:
        names:
          '0': solde
          '1': carte
---
`;

let hub: FakeHub;

before(async () => {
  hub = await startFakeHub([
    {
      id: "fake/esc-mini",
      repoType: "dataset",
      files: {
        "README.md": ESC_CARD,
        ".gitattributes": "*.parquet filter=lfs diff=lfs merge=lfs -text\n",
        "data/train-00000-of-00002.parquet": audioParquet([{ audio: DOG[0]!, label: 0 }, { audio: RAIN[0]!, label: 1 }]),
        "data/train-00001-of-00002.parquet": audioParquet([{ audio: DOG[1]!, label: 0 }, { audio: RAIN[1]!, label: 1 }], { rowGroupSize: 1 }),
        "data/test-00000-of-00001.parquet": audioParquet([{ audio: DOG[2]!, label: 0 }, { audio: RAIN[2]!, label: 1 }], { codec: "GZIP" }),
      },
    },
    {
      id: "fake/minds-mini",
      repoType: "dataset",
      gated: true,
      files: {
        "README.md": MINDS_CARD,
        "en-US/train-00000-of-00001.parquet": audioParquet(
          [{ audio: DOG[0]!, label: 2, text: "my card" }, { audio: RAIN[0]!, label: 1, text: "balance?" }, { audio: DOG[1]!, label: 2, text: "lost card" }],
          { labelColumn: "intent_class" },
        ),
        "fr-FR/train-00000-of-00001.parquet": audioParquet([{ audio: RAIN[1]!, label: 0 }, { audio: DOG[2]!, label: 1 }], { labelColumn: "intent_class" }),
      },
    },
    {
      // no card: the footer's features name the audio column; labels are strings in "category"
      id: "fake/footer-only",
      repoType: "dataset",
      files: {
        "train/0000.parquet": audioParquet(
          [{ audio: DOG[0]!, label: "dog" }, { audio: RAIN[0]!, label: "rain" }],
          { audioColumn: "clip", labelColumn: "category", features: { clip: { _type: "Audio", sampling_rate: 16000 }, category: { dtype: "string", _type: "Value" } } },
        ),
      },
    },
    {
      id: "fake/broken",
      repoType: "dataset",
      files: {
        "README.md": ESC_CARD,
        "data/train-00000-of-00001.parquet": audioParquet([{ audio: DOG[0]!, label: 0 }, { audio: RAIN[0]!, label: 5 }]),
        "data/test-00000-of-00001.parquet": audioParquet([{ audio: { bytes: null, path: "clips/dog.wav" }, label: 0 }]),
        "data/validation-00000-of-00001.parquet": "PAR1 this is not parquet",
      },
    },
  ]);
});
after(() => hub.close());

test("hf://datasets references: id, config and split; anything else is a TrainingDataError showing the form", () => {
  assert.deepEqual(parseHubDatasetRef("hf://datasets/PolyAI/minds14/en-US?split=train"), { id: "PolyAI/minds14", config: "en-US", split: "train" });
  assert.deepEqual(parseHubDatasetRef("hf://datasets/ashraq/esc50"), { id: "ashraq/esc50" });
  assert.deepEqual(parseHubDatasetRef("hf://datasets/org/name@v1.0?split=test"), { id: "org/name@v1.0", split: "test" });
  assert.deepEqual(parseHubDatasetRef("hf://datasets/PolyAI/minds14@refs%2Fconvert%2Fparquet/en-US"), { id: "PolyAI/minds14@refs/convert/parquet", config: "en-US" });
  for (const bad of ["hf://datasets/esc50", "hf://datasets/a/b/c/d", "hf://datasets/a/b?split=", "hf://datasets/a/b?revision=x"]) {
    assert.throws(() => parseHubDatasetRef(bad), (e: unknown) => e instanceof TrainingDataError && /hf:\/\/datasets\/PolyAI\/minds14\/en-US\?split=train|split=train/.test(e.message), bad);
  }
});

test("data_files globs and the hub's default layouts pick the split's parquet files", () => {
  assert.ok(globToRegExp("data/train-*").test("data/train-00000-of-00002.parquet"));
  assert.ok(!globToRegExp("data/train-*").test("data/sub/train-0.parquet"));
  assert.ok(globToRegExp("**/train-*.parquet").test("a/b/train-1.parquet") && globToRegExp("**/train-*.parquet").test("train-1.parquet"));
  assert.ok(globToRegExp("fr-FR/test-[0-9][0-9]-of-*.parquet").test("fr-FR/test-01-of-02.parquet"));
  const files = ["README.md", "data/train-00001-of-00002.parquet", "data/train-00000-of-00002.parquet", "data/test-00000-of-00001.parquet", "data/training_notes.parquet"];
  const none = parseDatasetCard("# no front matter");
  assert.deepEqual(selectDataFiles(files, none, { id: "x/y", split: "train" }).files, ["data/train-00000-of-00002.parquet", "data/train-00001-of-00002.parquet"]);
  assert.deepEqual(selectDataFiles(["en-US/train/0000.parquet", "en-US/test/0000.parquet", "fr-FR/train/0000.parquet"], none, { id: "x/y", config: "en-US", split: "train" }).files, ["en-US/train/0000.parquet"]);
  assert.throws(() => selectDataFiles(files, none, { id: "x/y", split: "validation" }), /x\/y has no parquet files for split "validation"; its parquet files are data\/train/);
  assert.throws(() => selectDataFiles(["README.md", "minds14.py"], none, { id: "x/y", split: "train" }), /x\/y holds no parquet files \(it has README.md, minds14.py\).*hf:\/\/datasets\/x\/y@refs%2Fconvert%2Fparquet\/<config>\?split=train/);
  const card = parseDatasetCard(MINDS_CARD);
  assert.deepEqual(card.configs.map((c) => c.name), ["en-US", "fr-FR"]);
  assert.deepEqual(card.classLabels.get("en-US")?.get("intent_class"), ["abroad", "balance", "card_issues"]);
  assert.throws(() => selectDataFiles(["en-US/train-0.parquet"], card, { id: "x/y", split: "train" }), /x\/y has several configs \(README.md lists en-US, fr-FR\); name one: hf:\/\/datasets\/x\/y\/en-US\?split=train/);
  assert.throws(() => selectDataFiles(["en-US/train-0.parquet"], card, { id: "x/y", config: "de-DE", split: "train" }), /has no config "de-DE"/);
  assert.throws(() => selectDataFiles(["en-US/train-0.parquet"], card, { id: "x/y", config: "en-US", split: "test" }), /\(config en-US\) has no split "test"; its splits are train/);
});

test("AudioDataset.fromHub: data/<split>-NNNNN-of-NNNNN.parquet shards, ClassLabel names from README.md, audio bytes as files; offline afterwards from the cache", async (t) => {
  const box = useSandbox(t);
  const options = hubOptions(hub, box);
  const train = await AudioDataset.fromHub("fake/esc-mini", { split: "train", hub: options });
  assert.equal(train.size, 4);
  assert.equal(train.source, "hf://datasets/fake/esc-mini?split=train");
  assert.deepEqual(train.labelMap.labels, ["dog", "rain"], "ClassLabel order gives the ids");
  assert.deepEqual(train.examples.map((e) => e.labels[0]), ["dog", "rain", "dog", "rain"], "shard order, then row order (the second shard in two row groups)");
  const expected = [DOG[0]!, RAIN[0]!, DOG[1]!, RAIN[1]!];
  for (const [i, example] of train.examples.entries()) {
    assert.ok(example.path.startsWith(join(box.root, ".cache", "audioclass", "datasets", "fake--esc-mini")), example.path);
    assert.ok(example.path.endsWith(expected[i]!.path), example.path);
    assert.deepEqual(readFileSync(example.path), Buffer.from(expected[i]!.bytes!));
    assert.ok(Math.abs(example.duration! - 1.4) < 1e-9, "decoded once, when the dataset is built");
  }
  // the hub client's dataset routes and cache folder
  assert.ok(hub.requestsFor("/api/datasets/fake/esc-mini/revision/main").length >= 1);
  assert.ok(hub.requestsFor("/datasets/fake/esc-mini/resolve/").length >= 1);
  assert.equal(hub.requestsFor("data/test-00000").length, 0, "only the split's files are fetched");
  assert.ok(readdirSync(box.cacheDir).includes("datasets--fake--esc-mini"));

  const test_ = await AudioDataset.fromHub("fake/esc-mini", { split: "test", hub: options });
  assert.deepEqual(test_.examples.map((e) => e.labels[0]), ["dog", "rain"], "a GZIP-compressed file reads too");
  assert.deepEqual(readFileSync(test_.examples[0]!.path), Buffer.from(DOG[2]!.bytes!));
  const before = hub.requests.length;
  const offline = await AudioDataset.fromHub("fake/esc-mini", { split: "train", hub: { ...options, localFilesOnly: true } });
  assert.equal(hub.requests.length, before, "offline: no request");
  assert.deepEqual(offline.examples.map((e) => e.path), train.examples.map((e) => e.path));
  const commit = hub.repos.get("datasets/fake/esc-mini")!.commit;
  const pinned = await AudioDataset.fromHub(`fake/esc-mini@${commit}`, { split: "train", hub: options });
  assert.equal(hub.requests.length, before, "a cached commit needs no request either");
  assert.ok(pinned.examples.every((e) => e.path.includes(commit)), "extracted audio is kept per commit");
  await assert.rejects(AudioDataset.fromHub("fake/not-cached", { hub: { ...options, localFilesOnly: true } }), (e: unknown) => e instanceof NotCachedError && /localFilesOnly is set/.test(e.message));
});

test("AudioDataset.fromHub with configs in README.md (a gated repo, so the token is sent): the config's data_files and its ClassLabel column", async (t) => {
  const box = useSandbox(t);
  const options = hubOptions(hub, box, { token: hub.token });
  const en = await AudioDataset.fromHub("fake/minds-mini", { config: "en-US", split: "train", hub: options });
  assert.equal(en.source, "hf://datasets/fake/minds-mini/en-US?split=train");
  assert.deepEqual(en.labelMap.labels, ["abroad", "balance", "card_issues"]);
  assert.deepEqual(en.examples.map((e) => e.labels[0]), ["card_issues", "balance", "card_issues"]);
  const fr = await AudioDataset.fromHub("fake/minds-mini", { config: "fr-FR", hub: options });
  assert.deepEqual(fr.examples.map((e) => e.labels[0]), ["solde", "carte"]);
  assert.ok(hub.requestsFor("/datasets/fake/minds-mini/resolve/").every((r) => r.authorization === `Bearer ${hub.token}`));
  await assert.rejects(AudioDataset.fromHub("fake/minds-mini", { hub: options }), (e: unknown) => e instanceof TrainingDataError && /several configs/.test(e.message));
  await assert.rejects(AudioDataset.fromHub("fake/minds-mini", { config: "fr-FR", split: "test", hub: options }), /data_files fr-FR\/test-.* matches no parquet file/);
  await assert.rejects(AudioDataset.fromHub("fake/minds-mini", { config: "en-US", labelColumn: "intent", hub: options }), /has no column "intent"; its columns are audio, intent_class, transcription — pass one of them as labelColumn \(--label-column\)/);
});

test("AudioDataset.fromHub without a card: the footer names the Audio column; string labels need their column named", async (t) => {
  const box = useSandbox(t);
  const options = hubOptions(hub, box);
  await assert.rejects(AudioDataset.fromHub("fake/footer-only", { hub: options }), /has no "label" column; its columns are clip, category — say which holds the label with labelColumn/);
  const data = await AudioDataset.fromHub("fake/footer-only", { labelColumn: "category", hub: options });
  assert.deepEqual(data.examples.map((e) => e.labels[0]), ["dog", "rain"]);
  assert.deepEqual(data.labelMap.labels, ["dog", "rain"]);
});

test("AudioDataset.fromHub: a label beyond the ClassLabel names, path-only audio and a file that is not parquet are TrainingDataErrors naming the file and row", async (t) => {
  const box = useSandbox(t);
  const options = hubOptions(hub, box);
  await assert.rejects(AudioDataset.fromHub("fake/broken", { hub: options }), (e: unknown) => e instanceof TrainingDataError && /\(data\/train-00000-of-00001.parquet\) row 1: label 5 is outside the ClassLabel names \(2 of them: dog, rain\)/.test(e.message));
  await assert.rejects(AudioDataset.fromHub("fake/broken", { split: "test", hub: options }), /row 0: the audio column holds no audio bytes \(only a path, "clips\/dog.wav"\)/);
  await assert.rejects(AudioDataset.fromHub("fake/broken", { split: "validation", hub: options }), (e: unknown) => e instanceof TrainingDataError && /cannot read hf:\/\/datasets\/fake\/broken\?split=validation \(data\/validation-00000-of-00001.parquet\) as parquet/.test(e.message));
});

test("audioclass train --data hf://datasets/…?split=train --eval-data …?split=test: trains on the hub's parquet data (HF_ENDPOINT from the environment)", async (t) => {
  const box = useSandbox(t);
  let out = "";
  let err = "";
  const io = {
    stdout: (s: string) => void (out += s),
    stderr: (s: string) => void (err += s),
    stderrStream: new CapturedStream(),
    env: { HF_ENDPOINT: hub.url, HF_HOME: box.hfHome, HOME: box.root, CI: "true", HF_HUB_DISABLE_PROGRESS_BARS: "1" },
  };
  const output = join(box.root, "run");
  const code = await runCli(
    ["train", "--model", modelDir("ast"), "--data", "hf://datasets/fake/esc-mini?split=train", "--eval-data", "hf://datasets/fake/esc-mini?split=test", "--output", output, "--max-steps", "1", "--batch-size", "4", "--threads", "2", "--quiet", "--format", "json"],
    io,
  );
  assert.equal(code, 0, err);
  const summary = JSON.parse(out) as { global_step: number; eval: { accuracy: number } };
  assert.equal(summary.global_step, 1);
  assert.equal(typeof summary.eval.accuracy, "number");
  assert.deepEqual(Object.values(JSON.parse(readFileSync(join(output, "config.json"), "utf8")).id2label), ["dog", "rain"]);
  // train_test_split-style: a seeded stratified hold-out of the hub split
  out = "";
  const held = join(box.root, "held");
  assert.equal(await runCli(["train", "--model", modelDir("ast"), "--data", "hf://datasets/fake/esc-mini?split=train", "--eval-split", "0.5", "--seed", "7", "--output", held, "--max-steps", "1", "--threads", "2", "--quiet", "--format", "json"], io), 0, err);
  const args = JSON.parse(readFileSync(join(held, "checkpoint-1", "training_args.json"), "utf8")) as { train_examples: number; eval_examples: number };
  assert.deepEqual([args.train_examples, args.eval_examples], [2, 2]);
  const usage = await runCli(["train", "--model", "m", "--data", "hf://datasets/fake/esc-mini", "--output", "o", "--path-column", "file"], io);
  assert.equal(usage, 1);
  assert.match(err, /is a hub dataset; pathColumn only apply to CSV\/JSONL manifests/);
});
