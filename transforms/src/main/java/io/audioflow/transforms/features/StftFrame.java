package io.audioflow.transforms.features;

import io.audioflow.transforms.mel.SampleRing;

/**
 * One frame of an {@link Stft}: its samples as framed (before the window) and its spectrum. A view that the STFT
 * reuses for every frame, valid only during {@link FrameConsumer#onFrame}. The samples are read from the STFT's
 * own sample ring rather than copied per frame: consumers in the time domain read only the samples they have not
 * seen, a hop per frame.
 */
public final class StftFrame {
  private final SampleRing ring;
  private final int length;
  private double[] power;
  private final double[] magnitude;
  private boolean magnitudeReady;
  private long index;
  private long ringStart;
  private long position;
  private int signalFrom;
  private int signalTo;

  StftFrame(SampleRing ring, int length, int bins) {
    this.ring = ring;
    this.length = length;
    this.magnitude = new double[bins];
  }

  /**
   * Starts frame {@code index}, which sits at {@code ringStart} in the ring and whose first sample is signal sample
   * {@code position}; its real signal samples are positions {@code [from, to)}; its power spectrum is {@code power}.
   */
  void begin(long index, long ringStart, long position, int from, int to, double[] power) {
    this.index = index;
    this.ringStart = ringStart;
    this.power = power;
    this.position = position;
    this.signalFrom = from;
    this.signalTo = to;
    this.magnitudeReady = false;
  }

  /** Frame number within the signal, from 0. */
  public long index() {
    return index;
  }

  /** Samples in the frame ({@code nFft}). */
  public int length() {
    return length;
  }

  /**
   * Copies positions {@code [from, from + n)} of the frame (the signal, or its centre zero padding) into
   * {@code dst[0, n)}.
   */
  public void read(int from, double[] dst, int n) {
    java.util.Objects.checkFromIndexSize(from, n, length);
    ring.read(ringStart + from, dst, 0, n);
  }

  /** The signal sample index of position 0: negative when the frame starts in the left padding. */
  public long position() {
    return position;
  }

  /** First position that holds a signal sample, not padding. */
  public int signalFrom() {
    return signalFrom;
  }

  /** End (exclusive) of the positions that hold signal samples. */
  public int signalTo() {
    return signalTo;
  }

  /** {@code |X[k]|^2} for {@code 0 <= k <= nFft/2}. */
  public double[] power() {
    return power;
  }

  /** {@code |X[k]|}, computed from {@link #power()} on the first call for this frame. */
  public double[] magnitude() {
    if (!magnitudeReady) {
      double[] p = power;
      double[] m = magnitude;
      for (int k = 0; k < p.length; k++) {
        m[k] = Math.sqrt(p[k]);
      }
      magnitudeReady = true;
    }
    return magnitude;
  }
}
