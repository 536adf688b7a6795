package io.audioflow.transforms.features;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jtransforms.fft.DoubleFFT_1D;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/**
 * Streaming {@code librosa.stft} (0.11) with {@code center=True} and constant (zero) padding, periodic Hann window
 * of {@code nFft}, in double precision: configure once, then feed any number of signals ({@link #reset()} between
 * them) in blocks of any size. Each frame is transformed once and handed to every consumer, so all spectral features
 * of a configuration share one STFT. Memory is a few {@code nFft} whatever the signal length; nothing is allocated
 * per frame. Not thread-safe.
 *
 * <p>Frame {@code k} covers {@code [k*hop, k*hop + nFft)} of the signal padded by {@code nFft/2} zeros on each side:
 * {@code 1 + n/hop} frames for {@code n >= 1} samples (as librosa), none for an empty signal (librosa fails).
 */
public final class Stft {
  static {
    // The pipeline parallelises across files; JTransforms' own threads would only contend with it.
    ConcurrencyUtils.setNumberOfThreads(1);
  }

  private final int nFft;
  private final int hop;
  private final int pad;
  private final double[] window;
  private final DoubleFFT_1D fft;
  private final double[] work;
  /** The frame being filled: positions {@code [0, fill)} of the current frame. */
  private final double[] buffer;
  private final StftFrame frame;
  private final FrameConsumer[] consumers;
  private final boolean transform;
  private int fill;
  private long received;
  private long frames;
  private long transforms;
  private boolean finished;

  /**
   * @param nFft frame and FFT length, even
   * @param hop samples between frames, {@code 1 <= hop <= nFft}
   * @param consumers receive every frame, in this order
   * @param transform whether any consumer reads the spectrum; without, frames carry their samples only
   */
  public Stft(int nFft, int hop, List<? extends FrameConsumer> consumers, boolean transform) {
    if (nFft < 2 || nFft % 2 != 0) {
      throw new IllegalArgumentException("nFft must be even and >= 2, got " + nFft);
    }
    if (hop < 1 || hop > nFft) {
      throw new IllegalArgumentException("hop must be in [1, nFft], got " + hop);
    }
    this.nFft = nFft;
    this.hop = hop;
    this.pad = nFft / 2;
    this.window = periodicHann(nFft);
    this.fft = new DoubleFFT_1D(nFft);
    this.work = new double[nFft];
    this.buffer = new double[nFft];
    this.frame = new StftFrame(buffer, nFft / 2 + 1);
    this.consumers = consumers.toArray(new FrameConsumer[0]);
    this.transform = transform;
    for (FrameConsumer c : this.consumers) {
      Objects.requireNonNull(c, "consumer");
    }
    reset();
  }

  /**
   * {@code scipy.signal.get_window('hann', n, fftbins=True)}, computed as scipy does ({@code 0.5 + 0.5 cos(x)} over
   * {@code np.linspace(-pi, pi, n + 1)}) so that it matches to the last bit where the cosines agree.
   */
  static double[] periodicHann(int n) {
    double step = (Math.PI - -Math.PI) / n;
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = 0.5 + 0.5 * Math.cos(i * step + -Math.PI);
    }
    return w;
  }

  /** Frames a signal of {@code samples} samples gives. */
  public static long expectedFrames(long samples, int hop) {
    return samples == 0 ? 0 : 1 + samples / hop;
  }

  /** Forgets the current signal; keeps every buffer. */
  public void reset() {
    Arrays.fill(buffer, 0, pad, 0.0);
    fill = pad;
    received = 0;
    frames = 0;
    transforms = 0;
    finished = false;
  }

  /** Frames handed on since the last reset. */
  public long frames() {
    return frames;
  }

  /** FFTs computed since the last reset: one per frame when transforming, else none. */
  public long transforms() {
    return transforms;
  }

  /** Feeds samples; transforms and hands on every frame that is complete. */
  public void accept(float[] samples, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, samples.length);
    if (finished) {
      throw new IllegalStateException("finish() was called; reset() before feeding another signal");
    }
    double[] b = buffer;
    while (length > 0) {
      int n = Math.min(length, nFft - fill);
      for (int i = 0; i < n; i++) {
        b[fill + i] = samples[offset + i];
      }
      fill += n;
      offset += n;
      length -= n;
      received += n;
      if (fill == nFft) {
        emit();
      }
    }
  }

  /** Ends the signal: lays down the right padding and hands on the remaining frames. */
  public void finish() {
    if (finished) {
      throw new IllegalStateException("finish() was already called; reset() before feeding another signal");
    }
    finished = true;
    if (received == 0) {
      return;
    }
    for (int remaining = pad; remaining > 0; ) {
      int n = Math.min(remaining, nFft - fill);
      Arrays.fill(buffer, fill, fill + n, 0.0);
      fill += n;
      remaining -= n;
      if (fill == nFft) {
        emit();
      }
    }
  }

  private void emit() {
    long start = frames * hop; // in padded positions; the signal occupies [pad, pad + received)
    int from = (int) Math.max(0, Math.min(nFft, pad - start));
    int to = (int) Math.max(0, Math.min(nFft, pad + received - start));
    frame.begin(frames, start - pad, from, to);
    if (transform) {
      transform();
      transforms++;
    }
    for (FrameConsumer c : consumers) {
      c.onFrame(frame);
    }
    frames++;
    System.arraycopy(buffer, hop, buffer, 0, nFft - hop);
    fill = nFft - hop;
  }

  /** Power spectrum of the windowed frame; realForward packs {@code Re X[0], Re X[n/2]}, then {@code Re, Im} pairs. */
  private void transform() {
    double[] x = work;
    double[] b = buffer;
    double[] w = window;
    for (int i = 0; i < nFft; i++) {
      x[i] = b[i] * w[i];
    }
    fft.realForward(x);
    double[] p = frame.power();
    int half = nFft / 2;
    p[0] = x[0] * x[0];
    p[half] = x[1] * x[1];
    for (int k = 1; k < half; k++) {
      double re = x[2 * k];
      double im = x[2 * k + 1];
      p[k] = re * re + im * im;
    }
  }
}
