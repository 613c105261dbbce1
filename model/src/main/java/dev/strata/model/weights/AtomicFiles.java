package dev.strata.model.weights;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Random;

/** Temporary files for writes that end with a rename over the target. */
public final class AtomicFiles {
  private static final Random RANDOM = new SecureRandom();
  private static final int ATTEMPTS = 100;

  private AtomicFiles() {}

  /**
   * Creates an empty file next to {@code target} ({@code NAME.RANDOM.tmp}, the folder created if
   * needed) to write and then rename over {@code target}. Unlike {@link Files#createTempFile},
   * which makes the file readable by its owner only, it gets the permissions of any new file (the
   * umask): a model or cache written by one user stays readable by the account that serves it, e.g.
   * a container's own user reading a mounted model file.
   */
  public static Path tempSibling(Path target) throws IOException {
    Path abs = target.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    for (int attempt = 1; ; attempt++) {
      String suffix = Long.toUnsignedString(RANDOM.nextLong(), 36);
      Path tmp = abs.resolveSibling(abs.getFileName() + "." + suffix + ".tmp");
      try {
        Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return tmp;
      } catch (FileAlreadyExistsException e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /**
   * Renames {@code tmp} (from {@link #tempSibling}) over {@code target}, atomically where the file
   * system allows; where it does not (some network and FUSE file systems), a plain move that
   * replaces the target, which a reader may briefly see missing.
   */
  public static void replace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
