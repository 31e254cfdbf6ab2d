/**
 * Language as data: the special tokens every text model shares (tokens.ts), the Brown corpus and
 * its train / held-out split (corpus.ts), n-gram count models over a compact counting table
 * (ngram.ts, ngram_table.ts), a softmax bigram model trained by gradient descent
 * (bigram_model.ts), text generation with the decoding rules of lib/math (generate.ts) and by
 * beam search (beam_search.ts), measures of repetition in generated text (repetition.ts), and
 * tokenizers: OpenAI's byte-pair encodings from the npm package gpt-tokenizer (tokenizers.ts) and
 * a byte-level BPE trained from scratch (bpe.ts). Anything that works on words or tokens rather
 * than plain vectors goes in this folder.
 *
 * @module
 */

export * from "./tokens.ts";
export * from "./corpus.ts";
export * from "./ngram.ts";
export * from "./bigram_model.ts";
export * from "./generate.ts";
export * from "./beam_search.ts";
export * from "./repetition.ts";
export * from "./tokenizers.ts";
export * from "./bpe.ts";
export * from "./vocabulary.ts";
export * from "./language_model.ts";
