package io.audioflow.transforms.spill;

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
 * A track's frames, records of a fixed number of floats, kept until the end of the track and then replayed in order:
 * as records, or as fixed-length segments (the {@code mel} and {@code frames} tables', keyed by a content hash known
 * only at the end). Up to 1 MiB of records stay in memory; beyond that they go to a temporary file (created on first
 * need, deleted by {@link #discard()}, the next {@link #start} and {@link #close()}), so the heap stays bounded
 * whatever the track length.
 *
 * <p>The 1 MiB buffer is direct, and the JVM frees direct memory only when the garbage collector runs: allocate a
 * spill once per worker and {@link #start} it for each track.
 */
public final class FrameSpill implements AutoCloseable {
  /** Receives each replayed record, already read into the arrays given to {@link #replay}. */
  @FunctionalInterface
  public interface RecordVisitor {
    void onRecord(long index);
  }

  /**
   * Receives one segment; {@code values} is frame-major, its first {@code frames * columns} entries are the segment's,
   * and it is reused between calls.
   */
  @FunctionalInterface
  public interface SegmentConsumer {
    void accept(int index, double startSeconds, int frames, float[] values);
  }

  private static final int BUFFER_BYTES = 1 << 20;
  private static final float[] NONE = {};

  private final ByteBuffer bytes = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.nativeOrder());
  private final FloatBuffer floats = bytes.asFloatBuffer(); // limited to a whole number of records
  private int width;
  private Path file;
  private FileChannel channel;
  private long fileBytes;
  private long records;

  /** Forgets the previous track (deleting its file) and takes records of {@code width} floats. */
  public void start(int width) {
    if (width < 1 || width > BUFFER_BYTES / 4) {
      throw new IllegalArgumentException("a record of " + width + " floats does not fit a 1 MiB spill buffer");
    }
    discard();
    this.width = width;
    floats.clear().limit(floats.capacity() / width * width);
  }

  /** Floats per record. */
  public int width() {
    return width;
  }

  /** Records written since {@link #start}. */
  public long records() {
    return records;
  }

  /** Appends a record: {@code width} floats of {@code record}. */
  public void write(float[] record) {
    write(record, NONE);
  }

  /** Appends a record: {@code a} then {@code b}, {@code width} floats together. */
  public void write(float[] a, float[] b) {
    if (floats.remaining() < width) {
      flush();
    }
    floats.put(a).put(b);
    records++;
  }

  /**
   * Reads every record back, in order, into {@code a} and {@code b}, calling {@code visitor} after each; with
   * {@code keepA}, what the visitor leaves in {@code a} replaces the record's first floats for later replays.
   */
  public void replay(float[] a, float[] b, boolean keepA, RecordVisitor visitor) {
    long r = 0;
    while (r < records) {
      int n = load(r);
      for (int i = 0; i < n; i++, r++) {
        floats.get(i * width, a).get(i * width + a.length, b);
        visitor.onRecord(r);
        if (keepA) {
          floats.put(i * width, a);
        }
      }
      if (keepA && channel != null) {
        transfer(r - n, n, true);
      }
    }
  }

  /**
   * Replays the records' first {@code columns} floats as segments of {@code segmentSeconds} (rounded to whole
   * frames, at least one), in order; the last one may hold fewer frames.
   *
   * @param hop samples between frames
   * @param sampleRate the frames' sample rate, Hz
   */
  public void replaySegments(int columns, int hop, int sampleRate, double segmentSeconds, SegmentConsumer consumer) {
    double secondsPerFrame = hop / (double) sampleRate;
    long framesPerSegment = Math.max(1, Math.round(segmentSeconds * sampleRate / hop));
    // Sized by the frames the track has, not by the option: a segment longer than the track holds the track.
    float[] values = new float[Math.toIntExact(Math.min(framesPerSegment, Math.max(1, records)) * columns)];
    float[] row = new float[columns];
    float[] rest = new float[width - columns];
    int[] frames = {0};
    int[] segment = {0};
    replay(row, rest, false, r -> {
      System.arraycopy(row, 0, values, frames[0]++ * columns, columns);
      if (frames[0] == framesPerSegment || r == records - 1) {
        consumer.accept(segment[0], (r + 1 - frames[0]) * secondsPerFrame, frames[0], values);
        segment[0]++;
        frames[0] = 0;
      }
    });
  }

  /** Puts records {@code first} onwards in the buffer (they are there already while all fit); returns how many. */
  private int load(long first) {
    if (channel == null) {
      return (int) (records - first);
    }
    flush();
    int n = (int) Math.min(floats.limit() / width, records - first);
    transfer(first, n, false);
    return n;
  }

  /** Reads or writes {@code n} records from {@code first} between the buffer's start and the file. */
  private void transfer(long first, int n, boolean write) {
    long position = first * width * 4L;
    bytes.clear().limit(n * width * 4);
    try {
      while (bytes.hasRemaining()) {
        int done = write
            ? channel.write(bytes, position + bytes.position())
            : channel.read(bytes, position + bytes.position());
        if (done < 0) {
          throw new IOException("spill file " + file + " ended early");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Moves the buffered records to the end of the file (created on first need). */
  private void flush() {
    int n = floats.position() / width;
    if (n == 0) {
      return;
    }
    try {
      if (channel == null) {
        file = Files.createTempFile("audioflow-frames-", ".f32");
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    transfer(fileBytes / (width * 4L), n, true);
    fileBytes += n * width * 4L;
    floats.position(0);
  }

  /** Forgets the records and deletes the file; keeps the buffer for the next {@link #start}. */
  public void discard() {
    records = 0;
    fileBytes = 0;
    floats.clear();
    if (channel == null) {
      return;
    }
    Path spilled = file;
    FileChannel open = channel;
    channel = null;
    file = null;
    try {
      try {
        open.close();
      } finally {
        Files.deleteIfExists(spilled); // even when the close failed
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    discard();
  }
}
