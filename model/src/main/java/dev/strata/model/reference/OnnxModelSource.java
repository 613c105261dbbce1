package dev.strata.model.reference;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Reads the bytes of an ONNX model from an {@code .onnx} file or from the one inside a jar. */
final class OnnxModelSource {

  private OnnxModelSource() {}

  /**
   * The model bytes.
   *
   * @throws IllegalArgumentException if the file is missing, or a jar holds no or several {@code
   *     .onnx} entries
   */
  static byte[] read(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException(
          "ONNX model " + path + " does not exist; give an .onnx file or a jar that holds one");
    }
    try {
      if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
        return Files.readAllBytes(path);
      }
      try (ZipFile jar = new ZipFile(path.toFile())) {
        ZipEntry entry = onnxEntry(jar, path);
        try (InputStream in = jar.getInputStream(entry)) {
          return in.readAllBytes();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ONNX model from " + path, e);
    }
  }

  private static ZipEntry onnxEntry(ZipFile jar, Path path) {
    List<? extends ZipEntry> models =
        jar.stream()
            .filter(e -> !e.isDirectory())
            .filter(e -> e.getName().toLowerCase(Locale.ROOT).endsWith(".onnx"))
            .toList();
    if (models.size() != 1) {
      throw new IllegalArgumentException(
          "jar "
              + path
              + " holds "
              + (models.isEmpty() ? "no .onnx entry" : models.size() + " .onnx entries " + models)
              + "; give a jar with exactly one model, or the .onnx file itself");
    }
    return models.get(0);
  }
}
