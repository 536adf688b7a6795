package io.audioflow.transforms.analysis;

import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.mel.MelFrameListener;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Collects a track's scaled mel frames in a local temporary file, then replays them as fixed-length segments.
 *
 * <p>Segments are keyed by the track's content hash, which is known only once the whole file has been read, so
 * frames are spilled to disk rather than held in memory: a 3-hour track stays within a constant heap.
 */
public final class MelSegmentSpill implements MelFrameListener, AutoCloseable {
  /**
   * Receives one segment; {@code values} is frame-major, its first {@code frames * nMels} entries are the segment's,
   * and it is reused between calls.
   */
  @FunctionalInterface
  public interface SegmentConsumer {
    void accept(int index, double startSeconds, int frames, float[] values);
  }

  private final MelConfig config;
  private final int framesPerSegment;
  private final Path file;
  private DataOutputStream out;
  private long frames;

  public MelSegmentSpill(MelConfig config, double segmentSeconds) {
    this.config = config;
    this.framesPerSegment =
        (int) Math.max(1, Math.round(segmentSeconds * config.sampleRate() / config.hopLength()));
    try {
      file = Files.createTempFile("audioflow-mel-", ".f32");
      out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public MelConfig config() {
    return config;
  }

  public int framesPerSegment() {
    return framesPerSegment;
  }

  @Override
  public void onFrame(double[] melPower) {
    try {
      for (double v : melPower) {
        out.writeFloat((float) config.scaling().apply(v));
      }
      frames++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replays the spilled frames as segments, in order; the last one may hold fewer frames. */
  public void replay(SegmentConsumer consumer) throws IOException {
    out.close();
    int nMels = config.nMels();
    float[] values = new float[framesPerSegment * nMels];
    double secondsPerFrame = config.hopLength() / (double) config.sampleRate();
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      for (long first = 0, index = 0; first < frames; first += framesPerSegment, index++) {
        int n = (int) Math.min(framesPerSegment, frames - first);
        for (int i = 0; i < n * nMels; i++) {
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
