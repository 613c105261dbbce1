package dev.strata.model.text;

import dev.strata.model.backbone.TokenizerFiles;
import java.io.IOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the tokeniser for a checkpoint's tokenizer files. */
public final class Tokenizers {

  private static final Logger LOG = LoggerFactory.getLogger(Tokenizers.class);

  private Tokenizers() {}

  /**
   * A {@link HfTokenizer} when the checkpoint has a {@code tokenizer.json}, else a {@link
   * WordPieceTokenizer} from {@code vocab.txt} with {@link TokenizerFiles#lowercase()}. For a
   * tokenizer.json its own normaliser decides the casing; a disagreeing flag is logged.
   *
   * @throws IOException when a file cannot be read
   */
  public static SubwordTokenizer create(TokenizerFiles files) throws IOException {
    Objects.requireNonNull(files, "files");
    if (files.tokenizerJson() != null) {
      HfTokenizer tokenizer = HfTokenizer.fromFile(files.tokenizerJson());
      if (tokenizer.lowercase() != files.lowercase()) {
        LOG.warn(
            "{} {} lower-case, but the checkpoint is described as {}; using tokenizer.json",
            files.tokenizerJson().getFileName(),
            tokenizer.lowercase() ? "does" : "does not",
            files.lowercase() ? "uncased" : "cased");
      }
      return tokenizer;
    }
    return WordPieceTokenizer.fromVocab(files.vocabTxt(), files.lowercase());
  }
}
