package dev.strata.model.backbone;

import java.nio.file.Path;

/**
 * The tokenizer files of a checkpoint: a WordPiece {@code vocab.txt}, a Hugging Face {@code
 * tokenizer.json}, or both.
 *
 * @param vocabTxt path of vocab.txt, or {@code null}
 * @param tokenizerJson path of tokenizer.json, or {@code null}
 * @param lowercase whether the vocabulary lower-cases and strips accents
 */
public record TokenizerFiles(Path vocabTxt, Path tokenizerJson, boolean lowercase) {
  public TokenizerFiles {
    if (vocabTxt == null && tokenizerJson == null) {
      throw new IllegalArgumentException("a checkpoint needs vocab.txt or tokenizer.json");
    }
  }
}
