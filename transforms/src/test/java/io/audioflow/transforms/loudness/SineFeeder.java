package io.audioflow.transforms.loudness;

/** Feeds a meter a continuous sine, segment by segment, each channel at its own peak level, in 4096-frame blocks. */
final class SineFeeder {
  private static final int BLOCK = 4096;

  private final LoudnessMeter meter;
  private final int rate;
  private final double step;
  private final float[][] block;
  private long n;
  private double phase;

  SineFeeder(LoudnessMeter meter, int rate, int channels, double frequencyHz) {
    this.meter = meter;
    this.rate = rate;
    this.step = 2 * Math.PI * frequencyHz / rate;
    this.block = new float[channels][BLOCK];
  }

  /** Starts the sine at this phase (radians) instead of 0. */
  SineFeeder phase(double radians) {
    phase = radians;
    return this;
  }

  /** @param peakDbfs one level per channel, or one for all channels; -inf for silence */
  SineFeeder play(double seconds, double... peakDbfs) {
    long frames = Math.round(seconds * rate);
    double[] amplitude = new double[block.length];
    for (int ch = 0; ch < block.length; ch++) {
      amplitude[ch] = Math.pow(10, peakDbfs[Math.min(ch, peakDbfs.length - 1)] / 20);
    }
    for (long done = 0; done < frames; ) {
      int count = (int) Math.min(BLOCK, frames - done);
      for (int i = 0; i < count; i++) {
        double s = Math.sin(step * (n + i) + phase);
        for (int ch = 0; ch < block.length; ch++) {
          block[ch][i] = (float) (amplitude[ch] * s);
        }
      }
      meter.accept(block, count);
      n += count;
      done += count;
    }
    return this;
  }
}
