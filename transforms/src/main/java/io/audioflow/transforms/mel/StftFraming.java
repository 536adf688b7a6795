package io.audioflow.transforms.mel;

import java.util.Arrays;
import java.util.Objects;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/**
 * The framing and transform of a streaming {@code librosa.stft} (librosa 0.11), under both the mel spectrogram and
 * the classic features: configure once, then feed any number of signals ({@link #reset()} between them) in blocks of
 * any size. Memory is bounded by a few {@code nFft} regardless of the signal length, and nothing is allocated per
 * frame. Not thread-safe: use one instance per thread.
 *
 * <p>Frames are transformed two at a time (one complex FFT for two real frames, see {@link FramePairFft}) and handed
 * on as a pair when the second is complete, or alone at {@link #finish()}; the order is unchanged. Until a frame is
 * handed on, its samples stay in {@link #ring()}, so consumers in the time domain read them there, uncopied.
 *
 * <p>Frames are those of librosa's STFT ({@link StftConfig#frames}): with {@code center}, frame {@code k} covers
 * {@code [k*hop, k*hop + nFft)} of the signal padded by {@code nFft/2} on each side; without it only whole windows
 * of the signal are framed. Unlike librosa, an empty signal gives no frame (librosa pads it to one frame of zeros,
 * or fails with reflect padding), and with {@code center=false} a signal shorter than {@code nFft} gives no frame
 * (librosa fails).
 *
 * <p>Reflect padding reproduces librosa exactly, including where librosa differs from reflecting the whole signal:
 * for long signals librosa pads only the tail segment that the last frames read ({@code y[tail_k*hop - nFft/2:]}),
 * and when that segment is not longer than {@code nFft/2} (possible when {@code hop >= nFft/2}, e.g. musicnn's
 * 512/256 on a length divisible by 256) numpy reflects it back and forth within the segment. A signal shorter than
 * {@code nFft/2 + 1} is reflected the same way, as {@code np.pad} does.
 */
public final class StftFraming {
  static {
    // The pipeline parallelises across files; JTransforms' own threads would only contend with it.
    ConcurrencyUtils.setNumberOfThreads(1);
  }

  /** Receives the frames two at a time, in order. */
  @FunctionalInterface
  public interface FramePairListener {
    /**
     * Frame {@code first} and, when {@code second}, frame {@code first + 1}, with their power spectra
     * {@code |X[k]|^2}, {@code 0 <= k <= nFft/2} ({@code powerB} all zeros without a second frame); both null when
     * the framing does not transform. The arrays are reused for the next pair.
     */
    void onFramePair(long first, boolean second, double[] powerA, double[] powerB);
  }

  private final StftConfig config;
  private final FramePairListener listener;
  private final FramePairFft fft;
  private final boolean transform;
  private final int nFft;
  private final int hop;
  /** Padding on each side when centred ({@code nFft/2}), else 0. */
  private final int pad;
  private final double[] powerA;
  private final double[] powerB;
  private final double[] rightPad;

  /**
   * The padded signal P by absolute position (with center, {@code P[j] = y[j - pad]}): {@code [0, filled)} has been
   * written, and what a frame or the end's reflect padding may still read ({@link #liveFrom()} on) stays.
   */
  private final SampleRing ring;
  private long filled;
  private long nextFrame; // P position where the next frame starts
  private long received; // real samples accepted so far
  private boolean leftPadDone;
  private boolean finished;
  /** Whether frame A of the pair is loaded and waits for frame B. */
  private boolean pending;
  private long frames;

  /**
   * @param hann the window's definition
   * @param transform whether any consumer reads the spectrum; without, frames carry their samples only
   */
  public StftFraming(StftConfig config, HannWindow hann, boolean transform, FramePairListener listener) {
    this.config = config;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.transform = transform;
    this.nFft = config.nFft();
    this.hop = config.hopLength();
    this.pad = config.center() ? nFft / 2 : 0;
    // Hann of winLength centred in nFft as librosa's pad_center.
    int win = config.winLength();
    double[] window = new double[nFft];
    System.arraycopy(hann.values(win), 0, window, (nFft - win) / 2, win);
    this.fft = FramePairFft.create(nFft, window);
    // A frame, what stays behind it (the waiting frame A, the end's reflect source) and a chunk more: whenever the
    // ring is full a frame is ready, so accept always progresses. Small, so that it stays in the L1 cache with the
    // FFT's arrays.
    this.ring = new SampleRing(fft.chunkLength(), nFft + Math.max(hop, nFft / 2) + 2 * fft.chunkLength());
    this.powerA = new double[nFft / 2 + 1];
    this.powerB = new double[nFft / 2 + 1];
    this.rightPad = new double[pad];
    reset();
  }

  public StftConfig config() {
    return config;
  }

  /** The padded signal by position: frame {@code k} starts at {@code k * hop}, signal sample 0 at {@link #pad()}. */
  public SampleRing ring() {
    return ring;
  }

  /** Padding before the signal's first sample: {@code nFft/2} when centred, else 0. */
  public int pad() {
    return pad;
  }

  /** Signal samples accepted since the last reset. */
  public long received() {
    return received;
  }

  /** Forgets the current signal so the instance can take the next one; keeps every buffer. */
  public void reset() {
    nextFrame = 0;
    received = 0;
    frames = 0;
    finished = false;
    pending = false;
    filled = pad;
    // Zero left padding can be laid down now; reflect padding waits for the first pad + 1 samples.
    leftPadDone = !config.center() || config.padMode() == PadMode.CONSTANT;
    for (int j = 0; j < pad; j++) {
      ring.set(j, 0.0);
    }
  }

  /** Number of frames handed on since construction or the last reset. */
  public long frames() {
    return frames;
  }

  /** Feeds samples; hands on every pair of frames that is complete. */
  public void accept(float[] samples, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, samples.length);
    if (finished) {
      throw new IllegalStateException("finish() was called; reset() before feeding another signal");
    }
    int end = offset + length;
    while (offset < end) {
      int n = (int) Math.min(writeLimit() - filled, end - offset);
      ring.write(filled, samples, offset, n);
      filled += n;
      offset += n;
      received += n;
      if (!leftPadDone && received > pad) {
        // y[1..pad] are in the ring (no frame has been emitted yet): mirror them into P[0..pad).
        for (int j = 0; j < pad; j++) {
          ring.set(j, ring.get(2 * pad - j));
        }
        leftPadDone = true;
      }
      emitReadyFrames();
    }
  }

  /** Ends the signal: pads its end and hands on the remaining frames. */
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
      if (transform) {
        fft.clear(1);
      }
      emitPair(false);
    }
  }

  /** Lays down the right padding (and a short signal's left reflection) and emits the frames that read it. */
  private void padEnd() {
    if (!leftPadDone) {
      // Fewer than pad + 1 samples: np.pad reflects back and forth over the whole (short) signal.
      for (int j = 0; j < pad; j++) {
        ring.set(j, ring.get(pad + reflectIndex(pad - j, received)));
      }
      leftPadDone = true;
    }
    if (config.padMode() == PadMode.REFLECT) {
      fillReflectRightPad();
    }
    int done = 0;
    while (done < pad) {
      int n = (int) Math.min(writeLimit() - filled, pad - done);
      ring.write(filled, rightPad, done, n);
      filled += n;
      done += n;
      emitReadyFrames();
    }
  }

  /**
   * librosa's right padding: {@code np.pad} of the segment {@code y[s:]} by nFft/2, where {@code s} is 0 when the
   * head and tail frames overlap and {@code tail_k*hop - nFft/2} otherwise (librosa.stft's head/middle/tail split).
   * Every index it reads is among the last {@code pad + 1} samples, which {@link #liveFrom()} keeps.
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
      rightPad[j] = ring.get(y + pad);
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

  /**
   * First position still needed: the oldest frame not handed on (the waiting frame A's, else the next one's), and
   * the last pad + 1 samples for the end's reflect padding.
   */
  private long liveFrom() {
    long oldestFrame = pending ? nextFrame - hop : nextFrame;
    return Math.max(0, Math.min(oldestFrame, filled - (pad + 1)));
  }

  /** End of what can be written without overwriting a live position (a whole ring past the live chunk). */
  private long writeLimit() {
    return ((liveFrom() >> ring.chunkBits) + ring.chunks.length) << ring.chunkBits;
  }

  private void emitReadyFrames() {
    while (leftPadDone && nextFrame + nFft <= filled) {
      emitFrame(nextFrame);
      nextFrame += hop;
    }
  }

  private void emitFrame(long start) {
    if (!pending) {
      if (transform) {
        fft.load(0, ring, start);
      }
      pending = true;
      return;
    }
    if (transform) {
      fft.load(1, ring, start);
    }
    pending = false;
    emitPair(true);
  }

  /** Transforms the loaded pair and hands on frame A, and frame B if {@code second}. */
  private void emitPair(boolean second) {
    long first = frames;
    frames += second ? 2 : 1;
    if (!transform) {
      listener.onFramePair(first, second, null, null);
      return;
    }
    fft.powerSpectra(powerA, powerB);
    listener.onFramePair(first, second, powerA, powerB);
  }
}
