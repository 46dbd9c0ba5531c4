/**
 * A Hugging Face tokenizer read from a checkpoint folder: tokenizer.json when there is one
 * (run by @huggingface/tokenizers, which gives the Rust tokenizer's ids), else RoBERTa's
 * vocab.json + merges.txt converted the way transformers converts them; tokenizer_config.json
 * adds the pad token, padding/truncation sides and model_max_length. `encodeBatch` is
 * Python's `tokenizer(texts, padding=…, truncation=…, return_tensors="pt")`.
 */
import { Tokenizer as JsTokenizer } from "@huggingface/tokenizers";
import { describeValue } from "../errors.js";
import { type BatchEncoding, type EncodedText, type PaddingTruncationOptions, padBatch, resolveStrategies, truncate } from "./batch-encoding.js";
import { TokenizerConfigError, TokenizerInputError } from "./errors.js";
import { parseMerges, parseVocab, robertaTokenizerJson, type TokenizerJson } from "./roberta-tokenizer.js";
import { readTokenizerSettings, type TokenizerSettings } from "./tokenizer-config.js";
import { checkTokenizerJson } from "./tokenizer-json-checks.js";
import { nodeBuiltin } from "../util/node-builtin.js";

/** Files of a model wherever they are (hub/model-files.ts's ModelFiles): a name → its bytes, undefined when absent. */
export interface TokenizerFileSource {
  readonly location: string;
  get(name: string): Promise<Uint8Array | undefined>;
}

const TOKENIZER_FILES = ["tokenizer.json", "vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"] as const;

/** Tokenizer files already read into memory (for browsers, tests, or files from elsewhere). */
export interface TokenizerFiles {
  /** Parsed tokenizer.json; takes precedence over vocab + merges. */
  tokenizerJson?: unknown;
  /** Parsed vocab.json (token → id). */
  vocab?: unknown;
  /** Text of merges.txt. */
  merges?: string;
  /** Parsed tokenizer_config.json. */
  config?: unknown;
  /** Parsed special_tokens_map.json. */
  specialTokensMap?: unknown;
  /** Names the files in error messages (e.g. the folder). */
  source?: string;
}

export interface EncodeOptions {
  /** Add the model's special tokens (RoBERTa: <s> … </s>); default true. */
  addSpecialTokens?: boolean;
}

export interface EncodeBatchOptions extends PaddingTruncationOptions, EncodeOptions {}

/** Tokenizer classes whose vocab.json + merges.txt we know how to convert (byte-level BPE, <s> … </s>). */
const ROBERTA_LIKE = /^(Roberta|Bart|Longformer)Tokenizer(Fast)?$/;

export class TextTokenizer {
  /** Where the tokenizer came from, for messages. */
  readonly source: string;
  readonly settings: TokenizerSettings;
  /** Id of pad_token; undefined when the tokenizer has none (padding then fails, as in Python). */
  readonly padTokenId: number | undefined;
  readonly #tokenizer: JsTokenizer;

  private constructor(tokenizerJson: TokenizerJson, config: unknown, settings: TokenizerSettings, source: string) {
    this.source = source;
    this.settings = settings;
    try {
      this.#tokenizer = new JsTokenizer(tokenizerJson, (config ?? {}) as object);
    } catch (error) {
      throw new TokenizerConfigError(`${source}: cannot build the tokenizer: ${(error as Error).message}`, { cause: error });
    }
    const pad = settings.specialTokens.pad_token;
    this.padTokenId = pad === undefined ? undefined : this.#tokenizer.token_to_id(pad);
    // The JS library checks little while loading; a probe finds a malformed post_processor or
    // vocab now, naming the files, rather than at the first text a user encodes.
    this.#encodeIds("a", true);
  }

  /**
   * Runs the JS tokenizer. It throws plain TypeErrors (or returns undefined or negative ids) when
   * tokenizer.json is malformed in ways the Rust library would have refused at load; both become a
   * TokenizerConfigError naming the files.
   */
  #call<T>(what: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      throw new TokenizerConfigError(
        `${this.source}: the tokenizer failed while ${what} (${(error as Error).message}); its tokenizer.json (or vocab.json + merges.txt) is malformed — re-save it with the tokenizers library`,
        { cause: error },
      );
    }
  }

  #encodeIds(text: string, addSpecialTokens: boolean): number[] {
    const ids = this.#call("encoding a text", () => this.#tokenizer.encode(text, { add_special_tokens: addSpecialTokens }).ids) as unknown[];
    const badAt = ids.findIndex((id) => typeof id !== "number" || !Number.isInteger(id) || id < 0);
    if (badAt >= 0) {
      throw new TokenizerConfigError(
        `${this.source}: the tokenizer produced the id ${describeValue(ids[badAt])} while encoding a text; its tokenizer.json post_processor or vocab is malformed — ids must be whole numbers ≥ 0`,
      );
    }
    return ids as number[];
  }

  /** From files in memory: tokenizer.json, or vocab.json + merges.txt of a RoBERTa-style tokenizer. */
  static fromFiles(files: TokenizerFiles): TextTokenizer {
    const source = files.source ?? "tokenizer files";
    const settings = readTokenizerSettings(files.config, files.specialTokensMap, `${source} (tokenizer_config.json)`);
    if (files.tokenizerJson !== undefined) {
      const json = files.tokenizerJson;
      const model = json === null || typeof json !== "object" ? undefined : (json as TokenizerJson)["model"];
      if (Array.isArray(json) || model === null || typeof model !== "object" || Array.isArray(model)) {
        throw new TokenizerConfigError(`${source}: tokenizer.json must be an object with a "model", got ${describeValue(json)}`);
      }
      checkTokenizerJson(json as TokenizerJson, source);
      return new TextTokenizer(json as TokenizerJson, files.config, settings, source);
    }
    if (files.vocab === undefined || files.merges === undefined) {
      throw new TokenizerConfigError(
        `${source}: no tokenizer.json, and no vocab.json + merges.txt to build one from; a text model checkpoint needs one of the two`,
      );
    }
    const cls = settings.tokenizerClass;
    if (cls !== undefined && !ROBERTA_LIKE.test(cls)) {
      throw new TokenizerConfigError(
        `${source}: no tokenizer.json, and tokenizer_class ${JSON.stringify(cls)} is not one audioclass can build from vocab.json + merges.txt ` +
          "(RobertaTokenizer and its byte-level BPE relatives); add the checkpoint's tokenizer.json",
      );
    }
    const spec = robertaTokenizerJson(parseVocab(files.vocab, `${source}/vocab.json`), parseMerges(files.merges, `${source}/merges.txt`), settings);
    return new TextTokenizer(spec, files.config, settings, source);
  }

  /** Reads tokenizer.json (or vocab.json + merges.txt) and tokenizer_config.json from a folder (Node). */
  static async fromPretrained(dir: string): Promise<TextTokenizer> {
    const { readFile } = await nodeBuiltin<typeof import("node:fs/promises")>("fs/promises", "TextTokenizer.fromPretrained (a folder)");
    const { join } = await nodeBuiltin<typeof import("node:path")>("path", "TextTokenizer.fromPretrained (a folder)");
    const source: TokenizerFileSource = {
      location: dir,
      async get(name) {
        const path = join(dir, name);
        try {
          return await readFile(path);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
          throw new TokenizerConfigError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
        }
      },
    };
    return TextTokenizer.fromFileSource(source);
  }

  /** Reads the tokenizer files from wherever a model's files are (a folder, or a URL in browsers). */
  static async fromFileSource(files: TokenizerFileSource): Promise<TextTokenizer> {
    const [tokenizerJson, vocab, merges, config, specialTokensMap] = await Promise.all(
      TOKENIZER_FILES.map(async (name) => parseFile(await files.get(name), `${files.location.replace(/\/$/, "")}/${name}`, name.endsWith(".txt") ? "text" : "json")),
    );
    return TextTokenizer.fromFiles({ tokenizerJson, vocab, merges: merges as string | undefined, config, specialTokensMap, source: files.location });
  }

  get modelMaxLength(): number {
    return this.settings.modelMaxLength;
  }

  /** Ids of one text (with the special tokens unless told otherwise). */
  encode(text: string, options: EncodeOptions = {}): number[] {
    checkText(text, "text");
    return this.#encodeIds(text, options.addSpecialTokens ?? true);
  }

  /** The tokens of one text, without special tokens (Python's tokenizer.tokenize). */
  tokenize(text: string): string[] {
    checkText(text, "text");
    return this.#call("splitting a text into tokens", () => this.#tokenizer.tokenize(text));
  }

  decode(ids: readonly number[], options: { skipSpecialTokens?: boolean } = {}): string {
    if (!Array.isArray(ids)) throw new TokenizerInputError(`ids must be an array of token ids, got ${describeValue(ids)}`);
    const bad = ids.findIndex((id) => typeof id !== "number" || !Number.isInteger(id) || id < 0);
    if (bad >= 0) throw new TokenizerInputError(`ids[${bad}] must be a token id (a whole number ≥ 0), got ${describeValue(ids[bad])}`);
    if (ids.length === 0) return "";
    return this.#call("decoding ids", () => this.#tokenizer.decode([...ids], { skip_special_tokens: options.skipSpecialTokens ?? false, clean_up_tokenization_spaces: false }));
  }

  tokenToId(token: string): number | undefined {
    return this.#tokenizer.token_to_id(token);
  }

  idToToken(id: number): string | undefined {
    return this.#tokenizer.id_to_token(id);
  }

  /**
   * Python's `tokenizer(texts, padding=…, truncation=…, max_length=…, return_tensors="pt")`:
   * int64 input_ids and attention_mask [batch, length]. Without padding, the texts must encode
   * to the same length.
   */
  encodeBatch(texts: string | readonly string[], options: EncodeBatchOptions = {}): BatchEncoding {
    const list = typeof texts === "string" ? [texts] : texts;
    if (!Array.isArray(list) || list.length === 0) {
      throw new TokenizerInputError(`texts must be a string or a non-empty array of strings, got ${describeValue(texts)}`);
    }
    list.forEach((t, i) => checkText(t, `texts[${i}]`));
    const strategies = resolveStrategies(options, this.settings.modelMaxLength);
    const addSpecial = options.addSpecialTokens ?? true;
    const sequences = list.map((text) => {
      const encoded = this.encodeWithLayout(text, addSpecial);
      return strategies.truncation && strategies.maxLength !== undefined ? truncate(encoded, strategies.maxLength, this.settings.truncationSide) : encoded.ids;
    });
    return padBatch(sequences, strategies, this.padTokenId, this.settings.paddingSide);
  }

  /** The ids with the count of special tokens around the text's own (for truncation). */
  private encodeWithLayout(text: string, addSpecial: boolean): EncodedText {
    const body = this.#encodeIds(text, false);
    if (!addSpecial) return { ids: body, prefix: 0, suffix: 0 };
    const ids = this.#encodeIds(text, true);
    const extra = ids.length - body.length;
    let prefix = 0;
    while (prefix <= extra && !body.every((id, i) => ids[prefix + i] === id)) prefix++;
    if (prefix > extra) prefix = extra; // the template interleaves: treat every special token as a prefix
    return { ids, prefix, suffix: extra - prefix };
  }
}

function checkText(text: unknown, what: string): asserts text is string {
  if (typeof text !== "string") throw new TokenizerInputError(`${what} must be a string, got ${describeValue(text)}`);
}

function parseFile(bytes: Uint8Array | undefined, path: string, kind: "json" | "text"): unknown {
  if (bytes === undefined) return undefined;
  const text = new TextDecoder().decode(bytes);
  if (kind === "text") return text;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TokenizerConfigError(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}
