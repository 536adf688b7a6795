package io.audioflow.transforms.mel;

import java.util.Arrays;
import java.util.Objects;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/**
 * Streaming {@code librosa.feature.melspectrogram} (librosa 0.11): configure once, then feed any number of files
 * ({@link #reset()} between them) in blocks of any size. Memory is bounded by a few {@code nFft} regardless of the
 * signal length, and nothing is allocated per frame. Not thread-safe: use one instance per thread.
 *
 * <p>Frames are transformed two at a time (one complex FFT for two real frames, see {@link FramePairFft}), so a
 * frame reaches the listener when the next one is complete, or at {@link #finish()}; the order is unchanged.
 *
 * <p>Frames are those of librosa's STFT: with {@code center}, frame {@code k} covers
 * {@code [k*hop, k*hop + nFft)} of the signal padded by {@code nFft/2} on each side, which gives
 * {@code 1 + (n + 2*(nFft/2) - nFft) / hop} frames; without it only whole windows of the signal are framed. Unlike
 * librosa, an empty signal gives no frame (librosa pads it to one frame of zeros, or fails with reflect padding),
 * and with {@code center=false} a signal shorter than {@code nFft} gives no frame (librosa fails).
 *
 * <p>Reflect padding reproduces librosa exactly, including where librosa differs from reflecting the whole signal:
 * for long signals librosa pads only the tail segment that the last frames read ({@code y[tail_k*hop - nFft/2:]}),
 * and when that segment is not longer than {@code nFft/2} (possible when {@code hop >= nFft/2}, e.g. musicnn's
 * 512/256 on a length divisible by 256) numpy reflects it back and forth within the segment. A signal shorter than
 * {@code nFft/2 + 1} is reflected the same way, as {@code np.pad} does.
 */
public final class MelSpectrogram {
  static {
    // The pipeline parallelises across files; JTransforms' own threads would only contend with it.
    ConcurrencyUtils.setNumberOfThreads(1);
  }

  private final MelConfig config;
  private final MelFrameListener listener;
  private final MelFilterbank filterbank;
  private final FramePairFft fft;
  private final int nFft;
  private final int hop;
  /** Padding on each side when centred ({@code nFft/2}), else 0. */
  private final int pad;
  /** {@code |X|^power} from {@code |X|^2}: 0 as is (power 2), 1 square root (power 1), 2 {@code Math.pow}. */
  private final int powerMode;
  private final double halfPower;
  /** Power spectra of the frame pair, interleaved: {@code [2k]} frame A, {@code [2k + 1]} frame B. */
  private final double[] spectra;
  private final double[] mel;
  private final double[] melB;
  private final double[] rightPad;

  /**
   * The padded signal P from absolute index {@code base}: {@code buf[i] = P[base + i]} for {@code i < filled}.
   * With center, {@code P[j] = y[j - pad]}. Twice nFft so that a compaction, which copies less than nFft values,
   * frees more than nFft slots.
   */
  private final double[] buf;
  private long base;
  private int filled;
  private long nextFrame; // absolute P index where the next frame starts
  private long received; // real samples accepted so far
  private boolean leftPadDone;
  private boolean finished;
  /** Whether frame A of the pair is loaded and waits for frame B. */
  private boolean pending;
  private long frames;

  public MelSpectrogram(MelConfig config, MelFrameListener listener) {
    this.config = config;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.filterbank = MelFilterbank.of(config);
    this.nFft = config.nFft();
    this.hop = config.hopLength();
    this.pad = config.center() ? nFft / 2 : 0;
    // Periodic Hann (scipy get_window('hann', win, fftbins=True)) centred in nFft as librosa's pad_center.
    int win = config.winLength();
    int windowStart = (nFft - win) / 2;
    double[] window = new double[nFft];
    for (int i = 0; i < win; i++) {
      window[windowStart + i] = 0.5 - 0.5 * Math.cos(2.0 * Math.PI * i / win);
    }
    this.fft = FramePairFft.create(nFft, window);
    double power = config.power();
    this.powerMode = power == 2.0 ? 0 : power == 1.0 ? 1 : 2;
    this.halfPower = power / 2.0;
    this.spectra = new double[2 * (nFft / 2 + 1)];
    this.mel = new double[config.nMels()];
    this.melB = new double[config.nMels()];
    this.rightPad = new double[pad];
    this.buf = new double[2 * nFft];
    reset();
  }

  public MelConfig config() {
    return config;
  }

  /** Forgets the current signal so the instance can take the next one; keeps every buffer. */
  public void reset() {
    base = 0;
    nextFrame = 0;
    received = 0;
    frames = 0;
    finished = false;
    pending = false;
    filled = pad;
    // Zero left padding can be laid down now; reflect padding waits for the first pad + 1 samples.
    leftPadDone = !config.center() || config.padMode() == PadMode.CONSTANT;
    Arrays.fill(buf, 0, pad, 0.0);
  }

  /** Number of frames {@link #accept} and {@link #finish} emitted since construction or the last reset. */
  public long frames() {
    return frames;
  }

  /** Frames a signal of {@code samples} samples gives under {@code config}. */
  public static long expectedFrames(long samples, MelConfig config) {
    if (samples < 0) {
      throw new IllegalArgumentException("samples must be >= 0, got " + samples);
    }
    long padded = config.center() && samples > 0 ? samples + 2L * (config.nFft() / 2) : samples;
    return padded < config.nFft() ? 0 : 1 + (padded - config.nFft()) / config.hopLength();
  }

  /** Feeds mono samples at {@code config.sampleRate()}; emits every frame that is complete. */
  public void accept(float[] samples, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, samples.length);
    if (finished) {
      throw new IllegalStateException("finish() was called; reset() before feeding another signal");
    }
    int end = offset + length;
    while (offset < end) {
      if (filled == buf.length) {
        compact();
      }
      int n = Math.min(buf.length - filled, end - offset);
      for (int i = 0; i < n; i++) {
        buf[filled + i] = samples[offset + i];
      }
      filled += n;
      offset += n;
      received += n;
      if (!leftPadDone && received > pad) {
        // y[1..pad] are in the buffer (nothing compacted yet): mirror them into P[0..pad).
        for (int j = 0; j < pad; j++) {
          buf[j] = buf[2 * pad - j];
        }
        leftPadDone = true;
      }
      emitReadyFrames();
    }
  }

  /** Ends the signal: pads its end and emits the remaining frames. */
  public void finish() {
    if (finished) {
      throw new IllegalStateException("finish() was already called; reset() before feeding another signal");
    }
    finished = true;
    if (config.center() && received > 0) {
      padEnd();
    }
    if (pending) {
      pending = false;
      fft.clear(1);
      emitPair(false);
    }
  }

  /** Lays down the right padding (and a short signal's left reflection) and emits the frames that read it. */
  private void padEnd() {
    if (!leftPadDone) {
      // Fewer than pad + 1 samples: np.pad reflects back and forth over the whole (short) signal.
      for (int j = 0; j < pad; j++) {
        buf[j] = buf[pad + (int) reflectIndex(pad - j, received)];
      }
      leftPadDone = true;
    }
    if (config.padMode() == PadMode.REFLECT) {
      fillReflectRightPad();
    }
    int done = 0;
    while (done < pad) {
      if (filled == buf.length) {
        compact();
      }
      int n = Math.min(buf.length - filled, pad - done);
      System.arraycopy(rightPad, done, buf, filled, n);
      filled += n;
      done += n;
      emitReadyFrames();
    }
  }

  /** One-shot: the mel spectrogram S of a whole signal, {@code [frame][mel]}. */
  public static double[][] compute(float[] signal, MelConfig config) {
    double[][] out = new double[Math.toIntExact(expectedFrames(signal.length, config))][];
    int[] next = {0};
    MelSpectrogram spectrogram = new MelSpectrogram(config, melPower -> out[next[0]++] = melPower.clone());
    spectrogram.accept(signal, 0, signal.length);
    spectrogram.finish();
    return out;
  }

  /**
   * librosa's right padding: {@code np.pad} of the segment {@code y[s:]} by nFft/2, where {@code s} is 0 when the
   * head and tail frames overlap and {@code tail_k*hop - nFft/2} otherwise (librosa.stft's head/middle/tail split).
   * Every index it reads is among the last {@code pad + 1} samples, which {@link #compact()} keeps.
   */
  private void fillReflectRightPad() {
    long n = received;
    long startK = (pad + hop - 1) / hop; // int(np.ceil(n_fft // 2 / hop_length))
    long tailK = Math.floorDiv(n + pad - nFft, (long) hop) + 1; // first frame that reads right padding
    long segStart = tailK <= startK ? 0 : tailK * hop - pad;
    long segLen = n - segStart;
    if (segLen < 1) {
      // Only when hop >= nFft: then no frame reaches the right padding.
      Arrays.fill(rightPad, 0.0);
      return;
    }
    for (int j = 0; j < pad; j++) {
      long y = segStart + reflectIndex(segLen + j, segLen);
      rightPad[j] = buf[(int) (y + pad - base)];
    }
  }

  /**
   * Index into an array of length {@code m} that numpy's reflect padding reads for position {@code i >= 0} of the
   * infinitely reflected array (period {@code 2(m-1)}); a single sample is repeated, as np.pad does.
   */
  private static long reflectIndex(long i, long m) {
    if (m == 1) {
      return 0;
    }
    long period = 2 * (m - 1);
    long r = i % period;
    return r < m ? r : period - r;
  }

  /** Drops what no frame will read, keeping the last pad + 1 samples for the end's reflect padding. */
  private void compact() {
    long keepFrom = Math.min(nextFrame, base + filled - (pad + 1));
    int drop = (int) (keepFrom - base);
    System.arraycopy(buf, drop, buf, 0, filled - drop);
    filled -= drop;
    base = keepFrom;
  }

  private void emitReadyFrames() {
    while (leftPadDone && nextFrame + nFft <= base + filled) {
      emitFrame((int) (nextFrame - base));
      nextFrame += hop;
    }
  }

  private void emitFrame(int offset) {
    if (!pending) {
      fft.load(0, buf, offset);
      pending = true;
      return;
    }
    fft.load(1, buf, offset);
    pending = false;
    emitPair(true);
  }

  /** Transforms the loaded pair and emits frame A, then frame B if {@code both}. */
  private void emitPair(boolean both) {
    double[] p = spectra;
    fft.powerSpectra(p);
    if (powerMode == 1) {
      for (int k = 0; k < p.length; k++) {
        p[k] = Math.sqrt(p[k]);
      }
    } else if (powerMode == 2) {
      double e = halfPower;
      for (int k = 0; k < p.length; k++) {
        p[k] = Math.pow(p[k], e);
      }
    }
    double[] out = mel;
    filterbank.applyPair(p, out, melB);
    frames++;
    listener.onFrame(out);
    if (both) {
      System.arraycopy(melB, 0, out, 0, out.length);
      frames++;
      listener.onFrame(out);
    }
  }
}
