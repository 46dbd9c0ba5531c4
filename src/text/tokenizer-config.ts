/**
 * The parts of tokenizer_config.json (and special_tokens_map.json) that change how texts become
 * ids, read with transformers' defaults: special tokens, padding and truncation sides, the
 * model's maximum length, RoBERTa's add_prefix_space and the added tokens.
 */
import { describeValue } from "../errors.js";
import { TokenizerConfigError } from "./errors.js";

export type Side = "right" | "left";

/** An entry of added_tokens_decoder (tokenizers' AddedToken, serialised). */
export interface AddedTokenSpec {
  id: number;
  content: string;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  singleWord: boolean;
  special: boolean;
}

export const SPECIAL_TOKEN_KEYS = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"] as const;
export type SpecialTokenKey = (typeof SPECIAL_TOKEN_KEYS)[number];

export interface TokenizerSettings {
  /** "RobertaTokenizer", "RobertaTokenizerFast", … (undefined when the config does not say). */
  tokenizerClass: string | undefined;
  /** model_max_length; Infinity when the config sets none (transformers' VERY_LARGE_INTEGER). */
  modelMaxLength: number;
  paddingSide: Side;
  truncationSide: Side;
  /** RoBERTa / GPT-2: prepend a space so the first word is tokenised like the others. */
  addPrefixSpace: boolean;
  /** Special tokens by role (their text), e.g. { pad_token: "<pad>" }. */
  specialTokens: Partial<Record<SpecialTokenKey, string>>;
  /** lstrip/rstrip flags of special tokens given as objects (RoBERTa's <mask> strips left). */
  specialTokenFlags: Partial<Record<SpecialTokenKey, { lstrip: boolean; rstrip: boolean }>>;
  addedTokens: AddedTokenSpec[];
}

/** transformers treats model_max_length ≥ this as "no limit" (int(1e30)). */
const VERY_LARGE = 1e29;

type Json = Record<string, unknown>;

function tokenText(value: unknown, key: string, source: string): { content: string; lstrip: boolean; rstrip: boolean } | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return { content: value, lstrip: false, rstrip: false };
  if (typeof value === "object" && !Array.isArray(value) && typeof (value as Json)["content"] === "string") {
    const v = value as Json;
    return { content: v["content"] as string, lstrip: v["lstrip"] === true, rstrip: v["rstrip"] === true };
  }
  throw new TokenizerConfigError(`${source}: "${key}" must be a token string or {"content": …}, got ${describeValue(value)}`);
}

function side(config: Json, key: string, source: string): Side {
  const v = config[key];
  if (v === undefined || v === null) return "right";
  if (v === "right" || v === "left") return v;
  throw new TokenizerConfigError(`${source}: "${key}" must be "right" or "left", got ${describeValue(v)}`);
}

function addedTokens(config: Json, source: string): AddedTokenSpec[] {
  const decoder = config["added_tokens_decoder"];
  if (decoder === undefined || decoder === null) return [];
  if (typeof decoder !== "object" || Array.isArray(decoder)) {
    throw new TokenizerConfigError(`${source}: "added_tokens_decoder" must map ids to tokens, got ${describeValue(decoder)}`);
  }
  return Object.entries(decoder as Json).map(([key, value]) => {
    const id = Number(key);
    const token = tokenText(value, `added_tokens_decoder.${key}`, source);
    if (!Number.isInteger(id) || id < 0 || token === undefined) {
      throw new TokenizerConfigError(`${source}: added_tokens_decoder entry ${JSON.stringify(key)} must be a token id with {"content": …}`);
    }
    const v = value as Json;
    return {
      id,
      content: token.content,
      lstrip: token.lstrip,
      rstrip: token.rstrip,
      normalized: v["normalized"] !== false,
      singleWord: v["single_word"] === true,
      special: v["special"] === true,
    };
  });
}

/**
 * Reads the settings from tokenizer_config.json and special_tokens_map.json (either may be
 * empty); values in tokenizer_config.json win, as in transformers.
 */
export function readTokenizerSettings(config: unknown, specialTokensMap: unknown = {}, source = "tokenizer_config.json"): TokenizerSettings {
  const asObject = (value: unknown, what: string): Json => {
    if (value === undefined || value === null) return {};
    if (typeof value !== "object" || Array.isArray(value)) throw new TokenizerConfigError(`${what} must hold a JSON object, got ${describeValue(value)}`);
    return value as Json;
  };
  const cfg = asObject(config, source);
  const map = asObject(specialTokensMap, "special_tokens_map.json");
  const specialTokens: TokenizerSettings["specialTokens"] = {};
  const specialTokenFlags: TokenizerSettings["specialTokenFlags"] = {};
  for (const key of SPECIAL_TOKEN_KEYS) {
    const token = tokenText(cfg[key] ?? map[key], key, source);
    if (token === undefined) continue;
    specialTokens[key] = token.content;
    specialTokenFlags[key] = { lstrip: token.lstrip, rstrip: token.rstrip };
  }
  const rawMax = cfg["model_max_length"];
  if (rawMax !== undefined && rawMax !== null && (typeof rawMax !== "number" || !(rawMax > 0))) {
    throw new TokenizerConfigError(`${source}: "model_max_length" must be a positive number, got ${describeValue(rawMax)}`);
  }
  const modelMaxLength = typeof rawMax === "number" && rawMax < VERY_LARGE ? Math.floor(rawMax) : Infinity;
  const tokenizerClass = cfg["tokenizer_class"];
  const prefix = cfg["add_prefix_space"];
  if (prefix !== undefined && prefix !== null && typeof prefix !== "boolean") {
    throw new TokenizerConfigError(`${source}: "add_prefix_space" must be true or false, got ${describeValue(prefix)}`);
  }
  return {
    tokenizerClass: typeof tokenizerClass === "string" ? tokenizerClass : undefined,
    modelMaxLength,
    paddingSide: side(cfg, "padding_side", source),
    truncationSide: side(cfg, "truncation_side", source),
    addPrefixSpace: prefix === true,
    specialTokens,
    specialTokenFlags,
    addedTokens: addedTokens(cfg, source),
  };
}
