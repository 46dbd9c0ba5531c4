/**
 * RoBERTa's byte-level BPE for checkpoints that ship only vocab.json + merges.txt (the files of
 * the Python "slow" RobertaTokenizer): the same tokenizer.json transformers' RobertaConverter
 * builds from them — BPE without unknown token or affixes, ByteLevel pre-tokenizer and decoder,
 * `<s> … </s>` post-processing — with the special tokens registered as added tokens so they are
 * never split (`<mask>` strips the space before it, as RobertaTokenizer declares).
 */
import { describeValue } from "../errors.js";
import { TokenizerConfigError } from "./errors.js";
import type { TokenizerSettings } from "./tokenizer-config.js";

/** tokenizer.json as the tokenizers library writes it (only what we fill in). */
export type TokenizerJson = Record<string, unknown>;

/**
 * merges.txt → ["a b", …]: the "#version" header and blank lines are skipped (as the Rust
 * tokenizer reads the file); every other line must be two symbols.
 */
export function parseMerges(text: string, source = "merges.txt"): string[] {
  const merges: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.length === 0 || (index === 0 && line.startsWith("#version"))) return;
    const parts = line.split(" ");
    if (parts.length !== 2 || parts[0] === "" || parts[1] === "") {
      throw new TokenizerConfigError(`${source}: line ${index + 1} must hold two symbols separated by one space, got ${JSON.stringify(line)}`);
    }
    merges.push(line);
  });
  return merges;
}

/** vocab.json → token → id, checked. */
export function parseVocab(value: unknown, source = "vocab.json"): Record<string, number> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TokenizerConfigError(`${source} must map tokens to ids, got ${describeValue(value)}`);
  }
  for (const [token, id] of Object.entries(value as Record<string, unknown>)) {
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0) {
      throw new TokenizerConfigError(`${source}: the id of ${JSON.stringify(token)} must be a non-negative integer, got ${describeValue(id)}`);
    }
  }
  return value as Record<string, number>;
}

/** The tokenizer.json transformers would convert these files to. */
export function robertaTokenizerJson(vocab: Record<string, number>, merges: readonly string[], settings: TokenizerSettings): TokenizerJson {
  const ids = new Map<string, number>(Object.entries(vocab));
  // A loop, not Math.max(...ids): spreading a 200k-token vocab overflows the call stack.
  let nextId = 0;
  for (const id of ids.values()) nextId = Math.max(nextId, id + 1);
  const added = new Map<number, Record<string, unknown>>();
  for (const token of settings.addedTokens) {
    ids.set(token.content, token.id);
    nextId = Math.max(nextId, token.id + 1);
    added.set(token.id, {
      id: token.id, content: token.content, single_word: token.singleWord, lstrip: token.lstrip, rstrip: token.rstrip,
      normalized: token.normalized, special: token.special,
    });
  }
  for (const [key, content] of Object.entries(settings.specialTokens)) {
    let id = ids.get(content);
    if (id === undefined) {
      // A special token missing from the vocabulary is appended, as the slow tokenizer does.
      id = nextId++;
      ids.set(content, id);
    }
    if (added.has(id)) continue;
    const flags = settings.specialTokenFlags[key as keyof TokenizerSettings["specialTokenFlags"]];
    added.set(id, {
      id, content, single_word: false, lstrip: flags?.lstrip ?? key === "mask_token", rstrip: flags?.rstrip ?? false,
      normalized: false, special: true,
    });
  }
  const cls = settings.specialTokens.cls_token ?? settings.specialTokens.bos_token;
  const sep = settings.specialTokens.sep_token ?? settings.specialTokens.eos_token;
  if (cls === undefined || sep === undefined) {
    throw new TokenizerConfigError(
      "a RoBERTa tokenizer needs cls_token and sep_token (or bos_token and eos_token) in tokenizer_config.json or special_tokens_map.json",
    );
  }
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [...added.values()].sort((a, b) => (a["id"] as number) - (b["id"] as number)),
    normalizer: null,
    pre_tokenizer: { type: "ByteLevel", add_prefix_space: settings.addPrefixSpace, trim_offsets: true, use_regex: true },
    post_processor: {
      type: "RobertaProcessing",
      sep: [sep, ids.get(sep)],
      cls: [cls, ids.get(cls)],
      trim_offsets: true,
      add_prefix_space: settings.addPrefixSpace,
    },
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: "",
      end_of_word_suffix: "",
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(ids),
      merges: [...merges],
    },
  };
}
