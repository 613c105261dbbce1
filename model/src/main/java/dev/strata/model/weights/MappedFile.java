package dev.strata.model.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only memory-mapped file. Files up to 2 GB are mapped once; larger files are mapped per
 * requested region (each region must itself be under 2 GB, which holds for any single tensor of the
 * encoders we load).
 */
final class MappedFile implements AutoCloseable {
  private final Path path;
  private final FileChannel channel;
  private final long size;
  private final MappedByteBuffer whole;

  private MappedFile(Path path, FileChannel channel, long size, MappedByteBuffer whole) {
    this.path = path;
    this.channel = channel;
    this.size = size;
    this.whole = whole;
  }

  static MappedFile open(Path path) {
    return open(path, Integer.MAX_VALUE);
  }

  /** As {@link #open(Path)}, mapping the whole file only if it is at most {@code wholeLimit}. */
  static MappedFile open(Path path, long wholeLimit) {
    FileChannel channel = null;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
      long size = channel.size();
      MappedByteBuffer whole =
          size <= wholeLimit ? channel.map(FileChannel.MapMode.READ_ONLY, 0, size) : null;
      return new MappedFile(path, channel, size, whole);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new WeightFileException(
          path.toString(), null, "cannot open or memory-map the file: " + e.getMessage(), e);
    }
  }

  long size() {
    return size;
  }

  /** A little-endian view of {@code length} bytes at {@code offset}; the caller checked bounds. */
  ByteBuffer region(long offset, long length, String tensor) {
    if (offset < 0 || length < 0 || offset + length > size) {
      throw new WeightFileException(
          path.toString(),
          tensor,
          "bytes ["
              + offset
              + ", "
              + (offset + length)
              + ") lie outside the file of "
              + size
              + " bytes: the file is truncated or corrupt");
    }
    if (length > Integer.MAX_VALUE) {
      throw new WeightFileException(
          path.toString(), tensor, "a single tensor of " + length + " bytes (over 2 GB)");
    }
    if (whole != null) {
      return whole.slice((int) offset, (int) length).order(ByteOrder.LITTLE_ENDIAN);
    }
    try {
      return channel
          .map(FileChannel.MapMode.READ_ONLY, offset, length)
          .order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new WeightFileException(
          path.toString(), tensor, "cannot memory-map the tensor: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // read-only channel: nothing was written, nothing to lose
      }
    }
  }
}
