package io.audioflow.transforms.features;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Fixed-width float records kept until the end of a file, then replayed in order. Up to 1 MiB of records stay in
 * memory; beyond that they go to a temporary file (created on first need, truncated on reset, deleted on close), so
 * the heap stays bounded whatever the file length.
 */
final class FrameSpill implements AutoCloseable {
  /** Receives each replayed record, already read into the arrays given to {@link #replay}. */
  @FunctionalInterface
  interface Visitor {
    void onRecord(long index);
  }

  private static final int BUFFER_BYTES = 1 << 20;

  private final int width;
  private final ByteBuffer bytes;
  private final FloatBuffer floats; // a view of bytes, a whole number of records long
  private Path file;
  private FileChannel channel;
  private long fileBytes;
  private long records;

  /** Records of {@code widthA + widthB} floats, written from two arrays. */
  FrameSpill(int widthA, int widthB) {
    this.width = widthA + widthB;
    int perBuffer = BUFFER_BYTES / (4 * width);
    if (perBuffer < 1) {
      throw new IllegalArgumentException("a record of " + width + " floats exceeds the buffer");
    }
    this.bytes = ByteBuffer.allocateDirect(perBuffer * width * 4).order(ByteOrder.nativeOrder());
    this.floats = bytes.asFloatBuffer();
  }

  void reset() {
    floats.clear();
    records = 0;
    fileBytes = 0;
    if (channel != null) {
      try {
        channel.truncate(0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Appends a record: {@code a} then {@code b}. */
  void write(float[] a, float[] b) {
    if (floats.remaining() < width) {
      flush();
    }
    floats.put(a);
    floats.put(b);
    records++;
  }

  /** Reads every record back, in order, into {@code a} and {@code b}, calling {@code visitor} after each. */
  void replay(float[] a, float[] b, Visitor visitor) {
    if (channel == null) {
      floats.flip();
      for (long r = 0; r < records; r++) {
        floats.get(a).get(b);
        visitor.onRecord(r);
      }
      return;
    }
    flush();
    long r = 0;
    while (r < records) {
      int n = (int) Math.min(floats.capacity() / width, records - r);
      readFully(r * width * 4L, n * width * 4);
      floats.clear().limit(n * width);
      for (int i = 0; i < n; i++, r++) {
        floats.get(a).get(b);
        visitor.onRecord(r);
      }
    }
  }

  private void readFully(long position, int length) {
    bytes.clear().limit(length);
    try {
      while (bytes.hasRemaining()) {
        if (channel.read(bytes, position + bytes.position()) < 0) {
          throw new IOException("spill file " + file + " ended early");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void flush() {
    try {
      if (channel == null) {
        file = Files.createTempFile("audioflow-features-", ".f32");
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      }
      bytes.clear().limit(floats.position() * 4);
      while (bytes.hasRemaining()) {
        fileBytes += channel.write(bytes, fileBytes);
      }
      floats.clear();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      if (channel != null) {
        channel.close();
        Files.deleteIfExists(file);
        channel = null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
