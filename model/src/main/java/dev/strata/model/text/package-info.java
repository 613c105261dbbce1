/**
 * Word-piece tokenisation that keeps word ids and character offsets for every sub-token.
 *
 * <p>{@link dev.strata.model.text.Tokenizers#create} picks {@link
 * dev.strata.model.text.HfTokenizer} (Hugging Face tokenizers through DJL) for a {@code
 * tokenizer.json} and {@link dev.strata.model.text.WordPieceTokenizer} (pure Java) for a {@code
 * vocab.txt}-only checkpoint; both give the same ids, word ids and UTF-16 offsets. {@link
 * dev.strata.model.text.TokenizerJsonWriter} writes the tokenizer.json equivalent to a vocab.txt.
 */
package dev.strata.model.text;
