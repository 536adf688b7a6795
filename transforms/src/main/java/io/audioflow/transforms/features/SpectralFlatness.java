package io.audioflow.transforms.features;

/**
 * {@code librosa.feature.spectral_flatness(amin=1e-10, power=2.0)}: with {@code S = max(amin, |X|^2)}, the geometric
 * mean of S over the arithmetic mean.
 *
 * <p>The geometric mean's sum of logarithms is taken as the logarithm of the product: four interleaved partial
 * products, each brought back to [1, 2) every 8 factors with its binary exponent counted apart, then one logarithm
 * per frame instead of one per bin. The rounding error is about {@code 1e-16 * bins} in the log-sum, i.e. 1e-16
 * relative in the result. A frame whose 8-factor products leave the normal range (samples far beyond full scale)
 * falls back to a logarithm per bin.
 */
final class SpectralFlatness implements FrameConsumer {
  private static final double AMIN = 1e-10;
  private static final double LN2 = Math.log(2.0);
  private static final long MANTISSA = 0x000FFFFFFFFFFFFFL;
  private static final long ONE = 0x3FF0000000000000L;

  private final float[] out;
  private final int at;

  SpectralFlatness(float[] out, int at) {
    this.out = out;
    this.at = at;
  }

  @Override
  public void onFrame(StftFrame frame) {
    double[] p = frame.power();
    int n = p.length;
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    double q0 = 1, q1 = 1, q2 = 1, q3 = 1;
    long exponents = 0; // sum of the biased exponents moved out, 1023 each
    int moves = 0;
    boolean outOfRange = false;
    int k = 0;
    for (; k + 31 < n; k += 32) {
      for (int j = k; j < k + 32; j += 4) {
        double v0 = Math.max(AMIN, p[j]);
        double v1 = Math.max(AMIN, p[j + 1]);
        double v2 = Math.max(AMIN, p[j + 2]);
        double v3 = Math.max(AMIN, p[j + 3]);
        s0 += v0;
        s1 += v1;
        s2 += v2;
        s3 += v3;
        q0 *= v0;
        q1 *= v1;
        q2 *= v2;
        q3 *= v3;
      }
      long b0 = Double.doubleToRawLongBits(q0);
      long b1 = Double.doubleToRawLongBits(q1);
      long b2 = Double.doubleToRawLongBits(q2);
      long b3 = Double.doubleToRawLongBits(q3);
      long e0 = b0 >>> 52;
      long e1 = b1 >>> 52;
      long e2 = b2 >>> 52;
      long e3 = b3 >>> 52;
      outOfRange |= abnormal(e0) || abnormal(e1) || abnormal(e2) || abnormal(e3);
      exponents += e0 + e1 + e2 + e3;
      moves += 4;
      q0 = Double.longBitsToDouble(b0 & MANTISSA | ONE);
      q1 = Double.longBitsToDouble(b1 & MANTISSA | ONE);
      q2 = Double.longBitsToDouble(b2 & MANTISSA | ONE);
      q3 = Double.longBitsToDouble(b3 & MANTISSA | ONE);
    }
    double product = (q0 * q1) * (q2 * q3);
    for (; k < n; k++) {
      double v = Math.max(AMIN, p[k]);
      s0 += v;
      product *= v;
    }
    double logSum = outOfRange || !(product >= Double.MIN_NORMAL && product < Double.POSITIVE_INFINITY)
        ? logSumPerBin(p)
        : Math.log(product) + (exponents - 1023L * moves) * LN2;
    double sum = (s0 + s1) + (s2 + s3);
    out[at] = (float) (Math.exp(logSum / n) / (sum / n));
  }

  /** Whether a positive double's biased exponent marks zero, a subnormal or infinity. */
  private static boolean abnormal(long biasedExponent) {
    return biasedExponent == 0 || biasedExponent == 2047;
  }

  private static double logSumPerBin(double[] p) {
    double logSum = 0;
    for (double v : p) {
      logSum += Math.log(Math.max(AMIN, v));
    }
    return logSum;
  }
}
