import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TextTokenizer, TokenizerConfigError, TokenizerInputError, parseMerges, readTokenizerSettings, robertaTokenizerJson } from "../../src/text/index.js";
import { caseFiles, loadArray, modelDir, readJson } from "../helpers/fixtures.js";

const DIR = modelDir("clap");
const json = (name: string): unknown => JSON.parse(readFileSync(join(DIR, name), "utf8"));

/** The checkpoint's files without tokenizer.json: what the Python slow tokenizer reads. */
function slowFiles(): Parameters<typeof TextTokenizer.fromFiles>[0] {
  return {
    vocab: json("vocab.json"),
    merges: readFileSync(join(DIR, "merges.txt"), "utf8"),
    config: json("tokenizer_config.json"),
    specialTokensMap: json("special_tokens_map.json"),
    source: "clap (slow files)",
  };
}

const ids = (t: { data: BigInt64Array }) => Array.from(t.data, Number);

test("input_ids and attention_mask equal Python's for every fixture label set, from tokenizer.json and from vocab + merges", async () => {
  const fast = await TextTokenizer.fromPretrained(DIR);
  const slow = TextTokenizer.fromFiles(slowFiles());
  let checked = 0;
  for (const file of caseFiles("clap")) {
    for (const z of readJson(file).zero_shot) {
      for (const tokenizer of [fast, slow]) {
        const batch = tokenizer.encodeBatch(z.sequences, { padding: true });
        assert.deepEqual(batch.input_ids.dims, z.text_inputs.input_ids.shape);
        assert.deepEqual(ids(batch.input_ids), Array.from(loadArray(z.text_inputs.input_ids)), z.sequences.join(" | "));
        assert.deepEqual(ids(batch.attention_mask), Array.from(loadArray(z.text_inputs.attention_mask)));
        assert.equal(batch.input_ids.type, "int64");
      }
      checked++;
    }
  }
  assert.equal(checked, 32);
});

test("the converted vocab + merges tokenizer agrees with tokenizer.json on awkward text", async () => {
  const fast = await TextTokenizer.fromPretrained(DIR);
  const slow = TextTokenizer.fromFiles(slowFiles());
  const texts = ["", " ", "  two  spaces ", "tab\tand\nnewline", "héllo wörld 😀", "a <mask> b", "<s>x</s>", "dog's barking!!", "12345 67", "ÆØÅ 中文"];
  for (const text of texts) {
    assert.deepEqual(slow.encode(text), fast.encode(text), JSON.stringify(text));
    assert.deepEqual(slow.tokenize(text), fast.tokenize(text), JSON.stringify(text));
  }
  // special tokens in the text stay whole; <mask> swallows the space before it (lstrip)
  assert.deepEqual(fast.tokenize("a <mask> b").slice(0, 2), ["a", "<mask>"]);
  assert.deepEqual(fast.encode("<s>x</s>", { addSpecialTokens: false }), [0, fast.tokenToId("x"), 2]);
  // byte-level: every byte has a symbol, nothing is unknown, and decoding round-trips
  assert.equal(fast.decode(fast.encode("héllo wörld 😀", { addSpecialTokens: false })), "héllo wörld 😀");
  assert.equal(fast.decode(fast.encode("dog barking"), { skipSpecialTokens: true }), "dog barking");
});

test("truncation keeps <s> and </s> and cuts on the truncation side; padding options as Python", async () => {
  const tokenizer = await TextTokenizer.fromPretrained(DIR);
  const full = tokenizer.encode("This is a sound of a person speaking.");
  assert.equal(full.length, 11);
  const cut = tokenizer.encodeBatch("This is a sound of a person speaking.", { truncation: true, maxLength: 5 });
  assert.deepEqual(ids(cut.input_ids), [...full.slice(0, 4), 2]);
  const left = TextTokenizer.fromFiles({ ...slowFiles(), config: { ...(json("tokenizer_config.json") as object), truncation_side: "left", padding_side: "left" } });
  const cutLeft = left.encodeBatch("This is a sound of a person speaking.", { truncation: true, maxLength: 5 });
  assert.deepEqual(ids(cutLeft.input_ids), [0, ...full.slice(-4)]);
  // maxLength alone implies truncation (Python's "longest_first" default in that case)
  assert.deepEqual(tokenizer.encodeBatch("This is a sound of a person speaking.", { maxLength: 5 }).input_ids.dims, [1, 5]);
  // truncation without maxLength uses model_max_length (64 here)
  const long = "dog ".repeat(100);
  assert.deepEqual(tokenizer.encodeBatch(long, { truncation: true }).input_ids.dims, [1, 64]);
  assert.deepEqual(tokenizer.encodeBatch(long).input_ids.dims, [1, 103], "no truncation unless asked, as Python");

  const padded = tokenizer.encodeBatch(["dog", "a person speaking"], { padding: "max_length", maxLength: 8 });
  assert.deepEqual(padded.input_ids.dims, [2, 8]);
  assert.deepEqual(ids(padded.attention_mask), [1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0]);
  assert.deepEqual(ids(padded.input_ids).slice(3, 8), [1, 1, 1, 1, 1], "pad id 1");
  const multiple = tokenizer.encodeBatch(["dog", "a person speaking"], { padding: true, padToMultipleOf: 4 });
  assert.deepEqual(multiple.input_ids.dims, [2, 8]);
  const leftPadded = left.encodeBatch(["dog", "a person speaking"], { padding: true });
  assert.deepEqual(ids(leftPadded.attention_mask).slice(0, 5), [0, 0, 1, 1, 1]);
  assert.deepEqual(ids(leftPadded.input_ids).slice(0, 2), [1, 1]);
});

test("bad texts and options are typed errors that say what works", async () => {
  const tokenizer = await TextTokenizer.fromPretrained(DIR);
  assert.throws(() => tokenizer.encodeBatch([]), TokenizerInputError);
  assert.throws(() => tokenizer.encodeBatch(["ok", 3 as unknown as string]), /texts\[1\] must be a string/);
  assert.throws(() => tokenizer.encodeBatch(["dog", "a person speaking"]), /different lengths.*padding: true/);
  assert.throws(() => tokenizer.encodeBatch("dog", { padding: "sideways" as "longest" }), /padding must be/);
  assert.throws(() => tokenizer.encodeBatch("dog", { maxLength: 0 }), /maxLength must be a positive integer/);
  assert.throws(() => tokenizer.encodeBatch("a person speaking", { truncation: true, maxLength: 1 }), /too short/);
  assert.throws(() => tokenizer.encodeBatch("a person speaking dog", { padding: "max_length", maxLength: 3 }), /truncation: true/);
  const noPad = TextTokenizer.fromFiles({ ...slowFiles(), config: { tokenizer_class: "RobertaTokenizer", cls_token: "<s>", sep_token: "</s>" }, specialTokensMap: {} });
  assert.throws(() => noPad.encodeBatch(["dog", "a person speaking"], { padding: true }), /does not have a padding token/);

  assert.throws(() => TextTokenizer.fromFiles({ source: "empty" }), (e: unknown) => e instanceof TokenizerConfigError && /vocab\.json \+ merges\.txt/.test(e.message));
  assert.throws(() => TextTokenizer.fromFiles({ ...slowFiles(), config: { tokenizer_class: "BertTokenizer" } }), /BertTokenizer.*tokenizer\.json/);
  assert.throws(() => parseMerges("#version: 0.2\na b c\n"), /line 2/);
  assert.throws(() => TextTokenizer.fromFiles({ ...slowFiles(), vocab: { a: -1 } }), /non-negative integer/);
  await assert.rejects(TextTokenizer.fromPretrained("/nonexistent-tokenizer-dir"), TokenizerConfigError);
  // Bad ids are the caller's, not the files': never blamed on tokenizer.json.
  assert.throws(() => tokenizer.decode([0, 1.5]), (e: unknown) => e instanceof TokenizerInputError && /ids\[1\] must be a token id .* got number 1\.5/.test(e.message));
  assert.throws(() => tokenizer.decode(["x" as unknown as number]), TokenizerInputError);
});

test("tokenizer.json ids must be u32 as the Rust library reads them (found by fuzzing: a negative id came out of encode)", () => {
  const fast = json("tokenizer.json") as { model: { vocab: Record<string, number> }; added_tokens: unknown[] };
  const withVocabId = (token: string, id: unknown) => ({ ...fast, model: { ...fast.model, vocab: { ...fast.model.vocab, [token]: id } } });
  const refused = (tokenizerJson: unknown, pattern: RegExp) =>
    assert.throws(() => TextTokenizer.fromFiles({ tokenizerJson, config: json("tokenizer_config.json"), source: "fuzzed" }), (e: unknown) => e instanceof TokenizerConfigError && pattern.test(e.message) && /whole numbers from 0/.test(e.message));
  refused(withVocabId("dog", -80), /fuzzed\/tokenizer\.json: "model\.vocab" gives "dog" the id number -80/);
  refused(withVocabId("dog", 2.5), /gives "dog" the id number 2\.5/);
  refused(withVocabId("dog", "7"), /gives "dog" the id "7"/);
  refused({ ...fast, added_tokens: [{ id: -1, content: "<s>" }] }, /"added_tokens"\[0\]/);
  refused({ ...fast, added_tokens: {} }, /"added_tokens" must be a list/);
  assert.ok(TextTokenizer.fromFiles({ tokenizerJson: fast, config: json("tokenizer_config.json") }).encode("dog").length > 0, "the fixture itself passes");
});

test("a vocab.json of 150k tokens converts (the next free id is not found by spreading the ids into Math.max)", () => {
  const fixture = Object.entries(json("vocab.json") as Record<string, number>);
  const base = fixture.length;
  // 150k ids already overflow V8's argument limit (~125k on this machine) when spread.
  const vocab = Object.fromEntries([...fixture, ...Array.from({ length: 150_000 }, (_, i) => [`tok${i}`, base + i] as const)]);
  const settings = readTokenizerSettings(json("tokenizer_config.json"), json("special_tokens_map.json"));
  const spec = robertaTokenizerJson(vocab, parseMerges(readFileSync(join(DIR, "merges.txt"), "utf8")), settings);
  assert.equal((spec["model"] as { vocab: Record<string, number> }).vocab["tok149999"], base + 149_999);
});

test("a malformed post_processor or model in tokenizer.json fails at load as a TokenizerConfigError (found by fuzzing: TypeErrors and undefined ids at encode)", () => {
  const fast = json("tokenizer.json") as Record<string, any>;
  const load = (tokenizerJson: unknown) => () => TextTokenizer.fromFiles({ tokenizerJson, config: json("tokenizer_config.json"), source: "fuzzed" });
  const { cls: _cls, ...noCls } = fast["post_processor"];
  assert.throws(load({ ...fast, post_processor: noCls }), (e: unknown) => e instanceof TokenizerConfigError && /^fuzzed: the tokenizer failed while encoding a text \(.+\); its tokenizer\.json .* is malformed/.test(e.message));
  assert.throws(load({ ...fast, post_processor: { ...fast["post_processor"], sep: true } }), (e: unknown) => e instanceof TokenizerConfigError && /produced the id undefined while encoding/.test(e.message));
  assert.throws(load({ ...fast, model: null }), (e: unknown) => e instanceof TokenizerConfigError && /must be an object with a "model"/.test(e.message));
});
