package io.audioflow.transforms.loudness;

/**
 * The two K-weighting stages of ITU-R BS.1770-4 for any sample rate. BS.1770 tabulates coefficients only for
 * 48 kHz; as FFmpeg's ebur128 filter and libebur128 do, they are derived here from the analog prototype those 48 kHz
 * coefficients correspond to (shelf and high-pass frequency, gain and Q), bilinear-transformed with the frequency
 * pre-warped to the actual rate. At 48 kHz this reproduces the BS.1770 table.
 */
final class KWeighting {
  /** Centre frequency of the high-frequency shelf (Hz); the sample rate must exceed twice this. */
  static final double SHELF_HZ = 1681.974450955533;

  private static final double SHELF_GAIN_DB = 3.999843853973347;
  private static final double SHELF_Q = 0.7071752369554196;
  private static final double SHELF_BANDWIDTH_EXPONENT = 0.4996667741545416;
  private static final double HIGH_PASS_HZ = 38.13547087602444;
  private static final double HIGH_PASS_Q = 0.5003270373238773;

  private KWeighting() {}

  /** Normalised biquad {@code y = b0 x + b1 x1 + b2 x2 - a1 y1 - a2 y2}. */
  record Biquad(double b0, double b1, double b2, double a1, double a2) {}

  /** Stage 1: the +4 dB high shelf modelling the acoustic effect of the head. */
  static Biquad shelf(int sampleRate) {
    double k = Math.tan(Math.PI * SHELF_HZ / sampleRate);
    double vh = Math.pow(10.0, SHELF_GAIN_DB / 20.0);
    double vb = Math.pow(vh, SHELF_BANDWIDTH_EXPONENT);
    double a0 = 1.0 + k / SHELF_Q + k * k;
    return new Biquad(
        (vh + vb * k / SHELF_Q + k * k) / a0,
        2.0 * (k * k - vh) / a0,
        (vh - vb * k / SHELF_Q + k * k) / a0,
        2.0 * (k * k - 1.0) / a0,
        (1.0 - k / SHELF_Q + k * k) / a0);
  }

  /** Stage 2: the RLB high-pass. Its numerator stays (1, -2, 1), as in the BS.1770 table. */
  static Biquad highPass(int sampleRate) {
    double k = Math.tan(Math.PI * HIGH_PASS_HZ / sampleRate);
    double a0 = 1.0 + k / HIGH_PASS_Q + k * k;
    return new Biquad(1.0, -2.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / HIGH_PASS_Q + k * k) / a0);
  }
}
