/**
 * Padding and truncation of encoded texts, with the semantics of transformers'
 * PreTrainedTokenizerBase.__call__ for single sequences: truncation keeps the special tokens and
 * cuts the text's own tokens on the truncation side; padding adds pad ids (mask 0) on the
 * padding side, to the longest sequence or to maxLength, rounded up to a multiple if asked.
 */
import { describeValue } from "../errors.js";
import { tensor, type Tensor } from "../tensor.js";
import { TokenizerInputError } from "./errors.js";
import type { Side } from "./tokenizer-config.js";

export type PaddingStrategy = "longest" | "max_length" | "do_not_pad";
export type TruncationStrategy = "longest_first" | "only_first" | "do_not_truncate";

export interface PaddingTruncationOptions {
  /** true / "longest": pad to the longest text of the batch; "max_length": to maxLength; false: none (default). */
  padding?: boolean | PaddingStrategy;
  /** true / "longest_first" / "only_first": cut to maxLength (default: model_max_length); false: none (default). */
  truncation?: boolean | TruncationStrategy;
  /** Length in tokens, special tokens included. */
  maxLength?: number;
  /** Round padded lengths up to a multiple of this (e.g. 8 for tensor cores). */
  padToMultipleOf?: number;
}

/** Hugging Face's BatchEncoding as tensors (int64, like return_tensors="pt"). */
export interface BatchEncoding {
  input_ids: Tensor<"int64">;
  attention_mask: Tensor<"int64">;
}

/** One encoded text: its ids, and how many special tokens sit before and after the text's own. */
export interface EncodedText {
  ids: number[];
  prefix: number;
  suffix: number;
}

export interface ResolvedStrategies {
  padding: PaddingStrategy;
  truncation: boolean;
  /** The length to truncate to / pad to, when the strategies need one. */
  maxLength: number | undefined;
  padToMultipleOf: number | undefined;
}

function positiveInteger(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new TokenizerInputError(`${name} must be a positive integer number of tokens, got ${describeValue(value)}`);
  }
  return value;
}

/** transformers' _get_padding_truncation_strategies, for one-sequence inputs. */
export function resolveStrategies(options: PaddingTruncationOptions, modelMaxLength: number): ResolvedStrategies {
  let maxLength = positiveInteger(options.maxLength, "maxLength");
  const padToMultipleOf = positiveInteger(options.padToMultipleOf, "padToMultipleOf");
  const p = options.padding ?? false;
  const padding: PaddingStrategy =
    p === true || p === "longest" ? "longest" : p === false || p === "do_not_pad" ? "do_not_pad" : p === "max_length" ? "max_length" : invalid("padding", p, 'true, false, "longest", "max_length" or "do_not_pad"');
  const t = options.truncation;
  // As Python: a maxLength without padding or an explicit truncation choice means truncation.
  const implied = t === undefined && maxLength !== undefined && padding === "do_not_pad";
  const truncation =
    t === true || t === "longest_first" || t === "only_first" || implied ? true
    : t === undefined || t === false || t === "do_not_truncate" ? false
    : invalid("truncation", t, 'true, false, "longest_first", "only_first" or "do_not_truncate"');
  if ((truncation || padding === "max_length") && maxLength === undefined) {
    if (!Number.isFinite(modelMaxLength)) {
      if (padding === "max_length") {
        throw new TokenizerInputError('padding "max_length" needs maxLength: this tokenizer has no model_max_length to default to');
      }
      return { padding, truncation: false, maxLength: undefined, padToMultipleOf };
    }
    maxLength = modelMaxLength;
  }
  if (truncation && padToMultipleOf !== undefined && maxLength !== undefined && maxLength % padToMultipleOf !== 0) {
    throw new TokenizerInputError(`truncation with padToMultipleOf ${padToMultipleOf} needs a maxLength that is a multiple of it, got ${maxLength}`);
  }
  return { padding, truncation, maxLength, padToMultipleOf };
}

function invalid(name: string, value: unknown, valid: string): never {
  throw new TokenizerInputError(`${name} must be ${valid}, got ${describeValue(value)}`);
}

/** Cuts the text's own tokens so that the whole sequence fits maxLength. */
export function truncate(encoded: EncodedText, maxLength: number, side: Side): number[] {
  const excess = encoded.ids.length - maxLength;
  if (excess <= 0) return encoded.ids;
  const body = encoded.ids.length - encoded.prefix - encoded.suffix;
  if (excess > body) {
    throw new TokenizerInputError(
      `maxLength ${maxLength} is too short: the ${encoded.prefix + encoded.suffix} special tokens alone need more room; use a maxLength above ${encoded.prefix + encoded.suffix}`,
    );
  }
  const start = encoded.prefix;
  const end = encoded.ids.length - encoded.suffix;
  const kept = side === "right" ? encoded.ids.slice(start, end - excess) : encoded.ids.slice(start + excess, end);
  return [...encoded.ids.slice(0, start), ...kept, ...encoded.ids.slice(end)];
}

/** Pads id lists into [batch, length] int64 tensors of ids and attention mask. */
export function padBatch(sequences: readonly number[][], strategies: ResolvedStrategies, padTokenId: number | undefined, side: Side): BatchEncoding {
  const longest = Math.max(0, ...sequences.map((s) => s.length));
  let length = strategies.padding === "max_length" ? Math.max(strategies.maxLength ?? longest, 0) : longest;
  if (strategies.padding !== "do_not_pad" && strategies.padToMultipleOf !== undefined) {
    length = Math.ceil(length / strategies.padToMultipleOf) * strategies.padToMultipleOf;
  }
  if (strategies.padding === "do_not_pad") {
    const ragged = sequences.some((s) => s.length !== longest);
    if (ragged) {
      throw new TokenizerInputError(
        `the texts encode to different lengths (${sequences.map((s) => s.length).join(", ")} tokens) and cannot form one tensor; pass padding: true`,
      );
    }
  } else if (longest > length) {
    throw new TokenizerInputError(`a text encodes to ${longest} tokens, more than the ${length} to pad to; pass truncation: true to cut it`);
  } else if (padTokenId === undefined && sequences.some((s) => s.length < length)) {
    throw new TokenizerInputError("Asking to pad but the tokenizer does not have a padding token (pad_token in tokenizer_config.json)");
  }
  const batch = sequences.length;
  const ids = new BigInt64Array(batch * length);
  const mask = new BigInt64Array(batch * length);
  sequences.forEach((sequence, b) => {
    const pad = length - sequence.length;
    const offset = b * length + (side === "left" ? pad : 0);
    sequence.forEach((id, i) => {
      ids[offset + i] = BigInt(id);
      mask[offset + i] = 1n;
    });
    const padStart = b * length + (side === "left" ? 0 : sequence.length);
    for (let i = 0; i < pad; i++) ids[padStart + i] = BigInt(padTokenId ?? 0);
  });
  return { input_ids: tensor("int64", [batch, length], ids), attention_mask: tensor("int64", [batch, length], mask) };
}
