// text/: tokenizers for the text towers of multimodal models (CLAP's RoBERTa).
export { TextTokenizer, type TokenizerFiles, type EncodeOptions, type EncodeBatchOptions } from "./tokenizer.js";
export type { BatchEncoding, PaddingTruncationOptions, PaddingStrategy, TruncationStrategy } from "./batch-encoding.js";
export { readTokenizerSettings, type TokenizerSettings, type AddedTokenSpec, type Side } from "./tokenizer-config.js";
export { robertaTokenizerJson, parseMerges, parseVocab, type TokenizerJson } from "./roberta-tokenizer.js";
export { TokenizerConfigError, TokenizerInputError } from "./errors.js";
