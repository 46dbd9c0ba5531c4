/**
 * The checks the Rust tokenizers library makes while deserialising tokenizer.json and the
 * JavaScript port skips: token ids are u32 (a negative or fractional id loads in JS and comes out
 * of encode() as a nonsense id), and added tokens need an id and a content string.
 */
import { describeValue } from "../errors.js";
import { TokenizerConfigError } from "./errors.js";
import type { TokenizerJson } from "./roberta-tokenizer.js";

const MAX_ID = 2 ** 32 - 1;

function isTokenId(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_ID;
}

/** Throws TokenizerConfigError naming the first bad id in model.vocab or added_tokens. */
export function checkTokenizerJson(json: TokenizerJson, source: string): void {
  const file = `${source}/tokenizer.json`;
  const fail = (message: string): never => {
    throw new TokenizerConfigError(`${file}: ${message}; token ids are whole numbers from 0 to ${MAX_ID}, as the tokenizers library reads them`);
  };
  const model = json["model"] as Record<string, unknown>;
  const vocab = model["vocab"];
  if (vocab !== undefined && vocab !== null && !Array.isArray(vocab)) {
    // BPE, WordPiece and WordLevel map tokens to ids (Unigram lists [token, score] pairs instead).
    if (typeof vocab !== "object") fail(`"model.vocab" must map tokens to ids, got ${describeValue(vocab)}`);
    for (const [token, id] of Object.entries(vocab as Record<string, unknown>)) {
      if (!isTokenId(id)) fail(`"model.vocab" gives ${JSON.stringify(token)} the id ${describeValue(id)}`);
    }
  }
  const added = json["added_tokens"];
  if (added === undefined || added === null) return;
  if (!Array.isArray(added)) fail(`"added_tokens" must be a list, got ${describeValue(added)}`);
  for (const [i, token] of (added as unknown[]).entries()) {
    const t = token as Record<string, unknown> | null;
    if (t === null || typeof t !== "object" || typeof t["content"] !== "string" || !isTokenId(t["id"])) {
      fail(`"added_tokens"[${i}] must be {"id": …, "content": "…"} with a valid id, got ${describeValue(token)}`);
    }
  }
}
