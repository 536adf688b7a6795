package io.audioflow.transforms.features;

/**
 * One frame of an {@link Stft}: its samples as framed (before the window) and its spectrum. A view that the STFT
 * reuses for every frame, so consumers copy what they keep beyond {@link FrameConsumer#onFrame}.
 */
public final class StftFrame {
  private final double[] samples;
  private double[] power;
  private final double[] magnitude;
  private boolean magnitudeReady;
  private long index;
  private long position;
  private int signalFrom;
  private int signalTo;

  StftFrame(double[] samples, int bins) {
    this.samples = samples;
    this.magnitude = new double[bins];
  }

  /**
   * Starts frame {@code index}, whose first sample is signal sample {@code position} and whose real signal samples
   * are {@code [from, to)} of {@link #samples()}, with power spectrum {@code power}.
   */
  void begin(long index, long position, int from, int to, double[] power) {
    this.index = index;
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

  /** The {@code nFft} samples of the frame: the signal with its centre zero padding, not windowed. */
  public double[] samples() {
    return samples;
  }

  /** The signal sample index of {@code samples()[0]}: negative when the frame starts in the left padding. */
  public long position() {
    return position;
  }

  /** First position of {@link #samples()} that holds a signal sample, not padding. */
  public int signalFrom() {
    return signalFrom;
  }

  /** End (exclusive) of the positions of {@link #samples()} that hold signal samples. */
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
