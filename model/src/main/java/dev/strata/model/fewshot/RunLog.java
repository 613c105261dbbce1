package dev.strata.model.fewshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code runs.jsonl} file of a sweep: one {@link FewShotRun} per line, appended as runs finish.
 *
 * <p>A crash while writing can leave the last line cut off: reading skips such a line with a
 * warning (the run is then not {@linkplain #contains contained}, so a resumed sweep runs it again),
 * and the first {@link #append} removes it from the file before writing. A bad line anywhere else
 * is an error. One process writes a log at a time.
 */
public final class RunLog {
  /** The file name the sweep writes in its output directory. */
  public static final String FILE_NAME = "runs.jsonl";

  private static final Logger LOG = LoggerFactory.getLogger(RunLog.class);

  private final Path file;
  private final List<FewShotRun> runs;
  private final Set<RunKey> keys = new HashSet<>();
  private long badTailOffset;

  private RunLog(Path file, List<FewShotRun> runs, long badTailOffset) {
    this.file = file;
    this.runs = new ArrayList<>(runs);
    runs.forEach(r -> keys.add(r.key()));
    this.badTailOffset = badTailOffset;
  }

  /**
   * Reads an existing log.
   *
   * @throws NoSuchFileException when the file does not exist
   * @throws IOException when a line other than the last is not a valid run
   */
  public static RunLog read(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    if (!Files.exists(file)) {
      throw new NoSuchFileException(
          file.toString(),
          null,
          "no run log here: run the sweep first, or point to the directory it writes to");
    }
    return parse(file, Files.readAllBytes(file));
  }

  /** Reads the log when it exists, else starts an empty one that {@link #append} creates. */
  public static RunLog open(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    return Files.exists(file) ? read(file) : new RunLog(file, List.of(), -1);
  }

  private static RunLog parse(Path file, byte[] bytes) throws IOException {
    List<Line> lines = splitLines(bytes);
    int lastNonBlank = lines.size() - 1;
    while (lastNonBlank >= 0 && lines.get(lastNonBlank).text().isEmpty()) {
      lastNonBlank--;
    }
    List<FewShotRun> runs = new ArrayList<>();
    long badTail = -1;
    for (int i = 0; i <= lastNonBlank; i++) {
      Line line = lines.get(i);
      if (line.text().isEmpty()) {
        continue;
      }
      try {
        runs.add(FewShotRun.fromJsonLine(line.text()));
      } catch (IllegalArgumentException e) {
        if (i != lastNonBlank) {
          throw new IOException(
              file
                  + " line "
                  + (i + 1)
                  + " is not a valid run ("
                  + e.getMessage()
                  + "): fix or delete that line; only the last line may be cut off by a crash",
              e);
        }
        LOG.warn(
            "{} line {}: skipping a cut-off last line (a run interrupted while writing; it will"
                + " be run again): {}",
            file,
            i + 1,
            abbreviate(line.text()));
        badTail = line.offset();
      }
    }
    return new RunLog(file, runs, badTail);
  }

  private record Line(long offset, String text) {}

  private static List<Line> splitLines(byte[] bytes) {
    List<Line> lines = new ArrayList<>();
    int start = 0;
    while (start < bytes.length) {
      int end = indexOf(bytes, (byte) '\n', start);
      int stop = end < 0 ? bytes.length : end;
      lines.add(
          new Line(start, new String(bytes, start, stop - start, StandardCharsets.UTF_8).strip()));
      start = stop + 1;
    }
    return lines;
  }

  /** The file this log reads and appends to. */
  public Path file() {
    return file;
  }

  /** The runs in file order. */
  public synchronized List<FewShotRun> runs() {
    return List.copyOf(runs);
  }

  /** Whether a cut-off last line was skipped (and not yet removed by an append). */
  public synchronized boolean skippedCutOffLine() {
    return badTailOffset >= 0;
  }

  /** Whether the log holds a run with this identity: a resumed sweep skips it. */
  public synchronized boolean contains(RunKey key) {
    return keys.contains(Objects.requireNonNull(key, "key"));
  }

  /** Whether the log holds a run of this head, k and seed on this backbone and data set. */
  public boolean contains(String backbone, String data, String head, int k, long seed) {
    return contains(new RunKey(backbone, data, head, k, seed));
  }

  /**
   * Writes the run as one line and forces it to disk before returning.
   *
   * @throws IllegalStateException when the log already holds a run with the same key (check {@link
   *     #contains} before running it)
   */
  public synchronized void append(FewShotRun run) throws IOException {
    Objects.requireNonNull(run, "run");
    if (keys.contains(run.key())) {
      throw new IllegalStateException(
          "run " + run.key() + " is already in " + file + ": skip it when contains(...) is true");
    }
    byte[] line = (run.toJsonLine() + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      if (badTailOffset >= 0) {
        LOG.warn("{}: removing the cut-off last line before appending", file);
        ch.truncate(badTailOffset);
        badTailOffset = -1;
      }
      long size = ch.size();
      ByteBuffer buf;
      if (size > 0 && !endsWithNewline(ch, size)) {
        buf = ByteBuffer.allocate(line.length + 1).put((byte) '\n').put(line).flip();
      } else {
        buf = ByteBuffer.wrap(line);
      }
      ch.position(size);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    runs.add(run);
    keys.add(run.key());
  }

  private static boolean endsWithNewline(FileChannel ch, long size) throws IOException {
    ByteBuffer last = ByteBuffer.allocate(1);
    ch.read(last, size - 1);
    return last.get(0) == '\n';
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static String abbreviate(String line) {
    return line.length() <= 80 ? line : line.substring(0, 80) + "…";
  }
}
