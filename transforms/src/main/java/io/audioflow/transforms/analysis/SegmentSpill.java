package io.audioflow.transforms.analysis;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Collects a track's frames (rows of {@code width} floats) in a local temporary file, then replays them as
 * fixed-length segments.
 *
 * <p>Segments are keyed by the track's content hash, which is known only once the whole file has been read, so
 * frames are spilled to disk rather than held in memory: a 3-hour track stays within a constant heap.
 */
public class SegmentSpill implements AutoCloseable {
  /**
   * Receives one segment; {@code values} is frame-major, its first {@code frames * width} entries are the segment's,
   * and it is reused between calls.
   */
  @FunctionalInterface
  public interface SegmentConsumer {
    void accept(int index, double startSeconds, int frames, float[] values);
  }

  private final int width;
  private final double secondsPerFrame;
  private final int framesPerSegment;
  private final Path file;
  private final DataOutputStream out;
  private long frames;

  /**
   * @param width floats per frame
   * @param hop samples between frames
   * @param sampleRate the frames' sample rate, Hz
   * @param segmentSeconds segment length, seconds (rounded to whole frames, at least one)
   */
  public SegmentSpill(int width, int hop, int sampleRate, double segmentSeconds) {
    this.width = width;
    this.secondsPerFrame = hop / (double) sampleRate;
    this.framesPerSegment = (int) Math.max(1, Math.round(segmentSeconds * sampleRate / hop));
    try {
      file = Files.createTempFile("audioflow-frames-", ".f32");
      out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int width() {
    return width;
  }

  public int framesPerSegment() {
    return framesPerSegment;
  }

  /** Appends one frame: {@code width} values of {@code row} from {@code offset}. */
  protected void add(float[] row, int offset) {
    try {
      for (int i = 0; i < width; i++) {
        out.writeFloat(row[offset + i]);
      }
      frames++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replays the spilled frames as segments, in order; the last one may hold fewer frames. */
  public void replay(SegmentConsumer consumer) throws IOException {
    out.close();
    float[] values = new float[framesPerSegment * width];
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      for (long first = 0, index = 0; first < frames; first += framesPerSegment, index++) {
        int n = (int) Math.min(framesPerSegment, frames - first);
        for (int i = 0; i < n * width; i++) {
          values[i] = in.readFloat();
        }
        consumer.accept((int) index, first * secondsPerFrame, n, values);
      }
    }
  }

  @Override
  public void close() {
    try {
      out.close();
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
