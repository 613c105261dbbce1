package dev.strata.model.data;

/**
 * A data file does not have the expected format. The message names the file and, when one is
 * involved, the 1-based line, followed by the bad value and the form that was expected.
 */
public class DataFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;

  /**
   * @param file the file as given to the reader
   * @param line 1-based line number, or 0 when the file as a whole is at fault
   * @param problem what is wrong and what is expected
   */
  public DataFileException(String file, int line, String problem) {
    this(file, line, problem, null);
  }

  public DataFileException(String file, int line, String problem, Throwable cause) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem, cause);
    this.file = file;
    this.line = line;
  }

  /** The file that failed, as given to the reader. */
  public String file() {
    return file;
  }

  /** The 1-based line, or 0 when the file as a whole is at fault. */
  public int line() {
    return line;
  }
}
