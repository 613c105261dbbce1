package dev.strata.model.weights;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Finding and extracting entries of model jars (plain zips, read with {@code java.util.zip}). */
public final class JarEntries {
  private JarEntries() {}

  /**
   * The one file entry whose name ends with {@code suffix}.
   *
   * @throws WeightFileException if there is none, or several (listing them)
   */
  public static String findOne(Path jar, String suffix) {
    Objects.requireNonNull(jar, "jar");
    Objects.requireNonNull(suffix, "suffix");
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      List<String> hits =
          zip.stream()
              .filter(e -> !e.isDirectory() && e.getName().endsWith(suffix))
              .map(ZipEntry::getName)
              .sorted()
              .toList();
      if (hits.size() != 1) {
        throw new WeightFileException(
            jar.toString(),
            null,
            (hits.isEmpty() ? "no entry ends with '" : "several entries end with '")
                + suffix
                + "'"
                + (hits.isEmpty() ? "" : ": " + hits)
                + "; is this the right artifact?");
      }
      return hits.get(0);
    } catch (IOException e) {
      throw new WeightFileException(jar.toString(), null, "cannot open as a jar: " + e, e);
    }
  }

  /** Reads a whole entry into memory. */
  public static byte[] read(Path jar, String entry) {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry e = zip.getEntry(entry);
      if (e == null) {
        throw new WeightFileException(jar.toString(), null, "no entry " + entry);
      }
      try (InputStream in = zip.getInputStream(e)) {
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new WeightFileException(
          jar.toString(), null, "cannot read entry " + entry + ": " + e, e);
    }
  }

  /**
   * Copies an entry to {@code target}, atomically (temporary file in the same folder, then rename).
   */
  public static void extract(Path jar, String entry, Path target) {
    Objects.requireNonNull(target, "target");
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry e = zip.getEntry(entry);
      if (e == null) {
        throw new WeightFileException(jar.toString(), null, "no entry " + entry);
      }
      Path tmp = AtomicFiles.tempSibling(target);
      try {
        try (InputStream in = zip.getInputStream(e)) {
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        AtomicFiles.replace(tmp, target);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot extract " + entry + " from " + jar + " to " + target + ": " + e, e);
    }
  }
}
