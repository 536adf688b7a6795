package io.audioflow.transforms.features;

/**
 * librosa's {@code spectral_centroid}, {@code spectral_bandwidth(p=2, norm=True)} and
 * {@code spectral_rolloff(roll_percent=0.85)} of the magnitude spectrum. Each writes its column only when wanted
 * ({@code at >= 0}).
 *
 * <p>Sums run as four interleaved partial sums, so that they are not one long chain of dependent additions; they
 * differ from numpy's in the last bits only. Rolloff, the first bin whose cumulative sum reaches 85 % of the total,
 * takes the cumulative sum at every 64th bin from the same pass and walks bin by bin only within the block where the
 * threshold falls.
 */
final class SpectralShape implements FrameConsumer {
  private static final double ROLL_PERCENT = 0.85;
  private static final int BLOCK = 64; // a multiple of 4

  private final double[] freq;
  private final double[] blockEnd; // cumulative sum up to the end of each block
  private final float[] out;
  private final int centroidAt;
  private final int bandwidthAt;
  private final int rolloffAt;

  SpectralShape(double sampleRate, int nFft, float[] out, int centroidAt, int bandwidthAt, int rolloffAt) {
    this.freq = fftFrequencies(sampleRate, nFft);
    this.blockEnd = new double[(freq.length + BLOCK - 1) / BLOCK];
    this.out = out;
    this.centroidAt = centroidAt;
    this.bandwidthAt = bandwidthAt;
    this.rolloffAt = rolloffAt;
  }

  /** {@code np.fft.rfftfreq(n_fft, d=1/sr)}: {@code k * (1 / (n_fft * (1/sr)))}. */
  static double[] fftFrequencies(double sampleRate, int nFft) {
    double binHz = 1.0 / (nFft * (1.0 / sampleRate));
    double[] f = new double[nFft / 2 + 1];
    for (int k = 0; k < f.length; k++) {
      f[k] = k * binHz;
    }
    return f;
  }

  @Override
  public void onFrame(StftFrame frame) {
    double[] s = frame.magnitude();
    double[] f = freq;
    int n = s.length;
    double t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    double m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    int k = 0;
    for (int b = 0; b < blockEnd.length; b++) {
      int end = Math.min(n, k + BLOCK);
      for (; k + 3 < end; k += 4) {
        t0 += s[k];
        t1 += s[k + 1];
        t2 += s[k + 2];
        t3 += s[k + 3];
        m0 += f[k] * s[k];
        m1 += f[k + 1] * s[k + 1];
        m2 += f[k + 2] * s[k + 2];
        m3 += f[k + 3] * s[k + 3];
      }
      for (; k < end; k++) {
        t0 += s[k];
        m0 += f[k] * s[k];
      }
      blockEnd[b] = (t0 + t1) + (t2 + t3);
    }
    double total = blockEnd[blockEnd.length - 1];
    // util.normalize(norm=1) leaves a frame whose sum is below the smallest normal double as it is (all zeros).
    double norm = total < Double.MIN_NORMAL ? 1.0 : total;
    double centroid = ((m0 + m1) + (m2 + m3)) / norm;
    if (centroidAt >= 0) {
      out[centroidAt] = (float) centroid;
    }
    if (bandwidthAt >= 0) {
      out[bandwidthAt] = (float) Math.sqrt(spread(s, centroid) / norm);
    }
    if (rolloffAt >= 0) {
      out[rolloffAt] = (float) rolloff(s, ROLL_PERCENT * total);
    }
  }

  /** {@code sum_k S[k] (f[k] - centroid)^2}. */
  private double spread(double[] s, double centroid) {
    double[] f = freq;
    double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    int k = 0;
    for (; k + 3 < s.length; k += 4) {
      double d0 = f[k] - centroid;
      double d1 = f[k + 1] - centroid;
      double d2 = f[k + 2] - centroid;
      double d3 = f[k + 3] - centroid;
      a0 += s[k] * (d0 * d0);
      a1 += s[k + 1] * (d1 * d1);
      a2 += s[k + 2] * (d2 * d2);
      a3 += s[k + 3] * (d3 * d3);
    }
    for (; k < s.length; k++) {
      double d = f[k] - centroid;
      a0 += s[k] * (d * d);
    }
    return (a0 + a1) + (a2 + a3);
  }

  /** The frequency of the first bin whose cumulative sum is not below {@code threshold}. */
  private double rolloff(double[] s, double threshold) {
    int b = 0;
    while (b < blockEnd.length - 1 && blockEnd[b] < threshold) {
      b++;
    }
    int k = b * BLOCK;
    double cumulative = (b == 0 ? 0 : blockEnd[b - 1]) + s[k];
    while (cumulative < threshold && k < s.length - 1) {
      cumulative += s[++k];
    }
    return freq[k];
  }
}
