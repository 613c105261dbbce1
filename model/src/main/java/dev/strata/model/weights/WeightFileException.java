package dev.strata.model.weights;

/**
 * A weight file is missing, corrupt or does not match what the model expects. The message always
 * names the file and, when one is involved, the tensor.
 */
public class WeightFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String tensor;

  public WeightFileException(String file, String tensor, String problem) {
    this(file, tensor, problem, null);
  }

  public WeightFileException(String file, String tensor, String problem, Throwable cause) {
    super(format(file, tensor, problem), cause);
    this.file = file;
    this.tensor = tensor;
  }

  private static String format(String file, String tensor, String problem) {
    StringBuilder sb = new StringBuilder();
    sb.append("weight file ").append(file);
    if (tensor != null) {
      sb.append(", tensor '").append(tensor).append('\'');
    }
    sb.append(": ").append(problem);
    return sb.toString();
  }

  /** The file that failed, as given to the reader. */
  public String file() {
    return file;
  }

  /** The tensor involved, or {@code null} when the file as a whole is at fault. */
  public String tensor() {
    return tensor;
  }
}
