package io.audioflow.transforms.features;

import io.audioflow.transforms.mel.FramePairFft;
import io.audioflow.transforms.mel.HannWindow;
import io.audioflow.transforms.mel.SampleRing;
import java.util.List;
import java.util.Objects;

/**
 * Streaming {@code librosa.stft} (0.11) with {@code center=True} and constant (zero) padding, periodic Hann window
 * of {@code nFft}, in double precision: configure once, then feed any number of signals ({@link #reset()} between
 * them) in blocks of any size. Each frame is transformed once and handed to every consumer, so all spectral features
 * of a configuration share one STFT. Frames are transformed two at a time by the mel spectrogram's
 * {@link FramePairFft} (one complex FFT for two real frames), so a frame reaches the consumers when the next one is
 * complete, or at {@link #finish()}; the order is unchanged. Memory is a few {@code nFft} whatever the signal length;
 * nothing is allocated or copied per frame. Not thread-safe.
 *
 * <p>Frame {@code k} covers {@code [k*hop, k*hop + nFft)} of the signal padded by {@code nFft/2} zeros on each side:
 * {@code 1 + n/hop} frames for {@code n >= 1} samples (as librosa), none for an empty signal (librosa fails).
 */
public final class Stft {
  private final int nFft;
  private final int hop;
  private final int pad;
  private final FramePairFft fft;
  /** The padded signal by absolute position: {@code [0, pad)} zeros, then the samples, then {@code pad} zeros. */
  private final SampleRing ring;
  /** Power spectra of the frame pair. */
  private final double[] powerA;
  private final double[] powerB;
  /** The frame handed to consumers: a view of the ring. */
  private final StftFrame frame;
  private final FrameConsumer[] consumers;
  private final boolean transform;
  private long filled;
  private long received;
  private long frames;
  private long transforms;
  /** Whether frame A of the pair is loaded and waits for frame B. */
  private boolean pending;
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
    this.fft = FramePairFft.create(nFft, HannWindow.PERIODIC.values(nFft));
    // Frame A's samples stay until frame B, a hop later, is complete; a chunk more so that writing always progresses.
    this.ring = new SampleRing(fft.chunkLength(), nFft + hop + 2 * fft.chunkLength());
    this.powerA = new double[nFft / 2 + 1];
    this.powerB = new double[nFft / 2 + 1];
    this.frame = new StftFrame(ring, nFft, nFft / 2 + 1);
    this.consumers = consumers.toArray(new FrameConsumer[0]);
    this.transform = transform;
    for (FrameConsumer c : this.consumers) {
      Objects.requireNonNull(c, "consumer");
    }
    reset();
  }

  /** Frames a signal of {@code samples} samples gives. */
  public static long expectedFrames(long samples, int hop) {
    return samples == 0 ? 0 : 1 + samples / hop;
  }

  /** Forgets the current signal; keeps every buffer. */
  public void reset() {
    for (int j = 0; j < pad; j++) {
      ring.set(j, 0.0);
    }
    filled = pad;
    received = 0;
    frames = 0;
    transforms = 0;
    pending = false;
    finished = false;
  }

  /** Frames handed on since the last reset. */
  public long frames() {
    return frames;
  }

  /** FFTs of frames computed since the last reset: one per frame when transforming, else none. */
  public long transforms() {
    return transforms;
  }

  /** Feeds samples; transforms and hands on every frame that is complete. */
  public void accept(float[] samples, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, samples.length);
    if (finished) {
      throw new IllegalStateException("finish() was called; reset() before feeding another signal");
    }
    while (length > 0) {
      int n = (int) Math.min(length, writeLimit() - filled);
      ring.write(filled, samples, offset, n);
      filled += n;
      offset += n;
      length -= n;
      received += n;
      emitReadyFrames();
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
      int n = (int) Math.min(remaining, writeLimit() - filled);
      for (int i = 0; i < n; i++) {
        ring.set(filled + i, 0.0);
      }
      filled += n;
      remaining -= n;
      emitReadyFrames();
    }
    if (pending) {
      pending = false;
      fft.clear(1);
      fft.powerSpectra(powerA, powerB);
      emit(frames, powerA);
    }
  }

  /** The first position not yet writable: the ring keeps everything from the oldest frame not handed on. */
  private long writeLimit() {
    return (long) frames * hop + ring.capacity();
  }

  private void emitReadyFrames() {
    for (long start = (frames + (pending ? 1 : 0)) * hop; start + nFft <= filled; start += hop) {
      if (!transform) {
        emit(start / hop, null);
      } else if (!pending) {
        fft.load(0, ring, start);
        pending = true;
      } else {
        fft.load(1, ring, start);
        fft.powerSpectra(powerA, powerB);
        pending = false;
        emit(frames, powerA);
        emit(frames, powerB);
      }
    }
  }

  /** Hands frame {@code index} (which starts at padded position {@code index * hop}) to every consumer. */
  private void emit(long index, double[] power) {
    long start = index * hop; // in padded positions; the signal occupies [pad, pad + received)
    int from = (int) Math.max(0, Math.min(nFft, pad - start));
    int to = (int) Math.max(0, Math.min(nFft, pad + received - start));
    frame.begin(index, start, start - pad, from, to, power);
    if (power != null) {
      transforms++;
    }
    for (FrameConsumer c : consumers) {
      c.onFrame(frame);
    }
    frames++;
  }
}
