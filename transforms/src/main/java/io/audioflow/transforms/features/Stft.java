package io.audioflow.transforms.features;

import io.audioflow.transforms.mel.HannWindow;
import io.audioflow.transforms.mel.PadMode;
import io.audioflow.transforms.mel.StftConfig;
import io.audioflow.transforms.mel.StftFraming;
import java.util.List;
import java.util.Objects;

/**
 * Streaming {@code librosa.stft} (0.11) with {@code center=True} and constant (zero) padding, periodic Hann window
 * of {@code nFft}, in double precision, handing each frame to every consumer, so all spectral features of a
 * configuration share one STFT: the mel spectrogram's {@link StftFraming}, whose frames are read in place
 * ({@link StftFrame}). Frames are transformed two at a time, so a frame reaches the consumers when the next one is
 * complete, or at {@link #finish()}; the order is unchanged. A pair listener (the job's mel, {@link StftMel}) gets
 * each pair's two power spectra at once, before the consumers get its frames. Feed any number of signals
 * ({@link #reset()} between them) in blocks of any size. Not thread-safe.
 *
 * <p>Frame {@code k} covers {@code [k*hop, k*hop + nFft)} of the signal padded by {@code nFft/2} zeros on each side:
 * {@code 1 + n/hop} frames for {@code n >= 1} samples (as librosa), none for an empty signal (librosa fails).
 */
public final class Stft {
  private final int nFft;
  private final int hop;
  private final StftFraming framing;
  /** The frame handed to consumers: a view of the framing's ring. */
  private final StftFrame frame;
  private final StftFraming.FramePairListener pairs;
  private final FrameConsumer[] consumers;
  private long transforms;

  /**
   * @param nFft frame and FFT length, even
   * @param hop samples between frames, {@code 1 <= hop <= nFft}
   * @param pairs receives each pair of frames' power spectra before the consumers get them; null for none. It needs
   *     {@code transform}
   * @param consumers receive every frame, in this order
   * @param transform whether any consumer reads the spectrum; without, frames carry their samples only
   */
  public Stft(
      int nFft, int hop, StftFraming.FramePairListener pairs, List<? extends FrameConsumer> consumers,
      boolean transform) {
    if (nFft < 2 || nFft % 2 != 0) {
      throw new IllegalArgumentException("nFft must be even and >= 2, got " + nFft);
    }
    if (hop < 1 || hop > nFft) {
      throw new IllegalArgumentException("hop must be in [1, nFft], got " + hop);
    }
    if (pairs != null && !transform) {
      throw new IllegalArgumentException("a pair listener reads the spectra: transform the frames");
    }
    this.nFft = nFft;
    this.hop = hop;
    this.framing = new StftFraming(config(nFft, hop), HannWindow.PERIODIC, transform, this::onFramePair);
    this.frame = new StftFrame(framing.ring(), nFft, nFft / 2 + 1);
    this.pairs = pairs;
    this.consumers = consumers.toArray(new FrameConsumer[0]);
    for (FrameConsumer c : this.consumers) {
      Objects.requireNonNull(c, "consumer");
    }
    reset();
  }

  /** The framing of an {@code Stft} of {@code nFft} and {@code hop}. */
  static StftConfig config(int nFft, int hop) {
    return new StftConfig(nFft, nFft, hop, true, PadMode.CONSTANT);
  }

  /** Forgets the current signal; keeps every buffer. */
  public void reset() {
    framing.reset();
    transforms = 0;
  }

  /** Frames handed on since the last reset. */
  public long frames() {
    return framing.frames();
  }

  /** FFTs of frames computed since the last reset: one per frame when transforming, else none. */
  public long transforms() {
    return transforms;
  }

  /** Feeds samples; transforms and hands on every frame that is complete. */
  public void accept(float[] samples, int offset, int length) {
    framing.accept(samples, offset, length);
  }

  /** Ends the signal: lays down the right padding and hands on the remaining frames. */
  public void finish() {
    framing.finish();
  }

  private void onFramePair(long first, boolean second, double[] powerA, double[] powerB) {
    if (pairs != null) {
      pairs.onFramePair(first, second, powerA, powerB);
    }
    emit(first, powerA);
    if (second) {
      emit(first + 1, powerB);
    }
  }

  /** Hands frame {@code index} (which starts at padded position {@code index * hop}) to every consumer. */
  private void emit(long index, double[] power) {
    long start = index * hop;
    int pad = framing.pad(); // the signal occupies [pad, pad + received)
    int from = (int) Math.max(0, Math.min(nFft, pad - start));
    int to = (int) Math.max(0, Math.min(nFft, pad + framing.received() - start));
    frame.begin(index, start, start - pad, from, to, power);
    if (power != null) {
      transforms++;
    }
    for (FrameConsumer c : consumers) {
      c.onFrame(frame);
    }
  }
}
