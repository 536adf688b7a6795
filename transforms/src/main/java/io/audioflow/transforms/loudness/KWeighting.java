package io.audioflow.transforms.loudness;

import java.util.Arrays;

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

  /** Per-channel state layout used by {@link #apply}: x[n-1], x[n-2], y[n-1], y[n-2], z[n-1], z[n-2]. */
  static final int STATE_SIZE = 6;

  /** Output state below this (about -400 dBFS) counts as decayed. */
  private static final double STATE_FLOOR = 1e-20;

  private final Biquad shelf;
  private final Biquad highPass;

  KWeighting(int sampleRate) {
    shelf = shelf(sampleRate);
    highPass = highPass(sampleRate);
  }

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

  /**
   * Runs both stages (direct form I, double) over {@code x[from..to)} and adds the squared output to {@code sum}.
   *
   * @param state this channel's {@link #STATE_SIZE} values at {@code offset}, updated in place
   * @return {@code sum} plus the sum of squares of the K-weighted samples
   */
  double apply(float[] x, int from, int to, double[] state, int offset, double sum) {
    final double sb0 = shelf.b0();
    final double sb1 = shelf.b1();
    final double sb2 = shelf.b2();
    final double sa1 = shelf.a1();
    final double sa2 = shelf.a2();
    final double hb0 = highPass.b0();
    final double hb1 = highPass.b1();
    final double hb2 = highPass.b2();
    final double ha1 = highPass.a1();
    final double ha2 = highPass.a2();
    double x1 = state[offset];
    double x2 = state[offset + 1];
    double y1 = state[offset + 2];
    double y2 = state[offset + 3];
    double z1 = state[offset + 4];
    double z2 = state[offset + 5];
    for (int n = from; n < to; n++) {
      double in = x[n];
      double y = sb0 * in + sb1 * x1 + sb2 * x2 - sa1 * y1 - sa2 * y2;
      double z = hb0 * y + hb1 * y1 + hb2 * y2 - ha1 * z1 - ha2 * z2;
      x2 = x1;
      x1 = in;
      y2 = y1;
      y1 = y;
      z2 = z1;
      z1 = z;
      sum += z * z;
    }
    state[offset] = x1;
    state[offset + 1] = x2;
    state[offset + 2] = y1;
    state[offset + 3] = y2;
    state[offset + 4] = z1;
    state[offset + 5] = z2;
    return sum;
  }

  /**
   * Zeroes a channel's filter outputs once they have decayed below {@link #STATE_FLOOR}: in long silence they would
   * otherwise sink into subnormal doubles, on which x86 arithmetic is very slow.
   */
  static void flushDecayed(double[] state, int offset) {
    for (int i = 2; i < STATE_SIZE; i++) {
      if (Math.abs(state[offset + i]) >= STATE_FLOOR) {
        return;
      }
    }
    Arrays.fill(state, offset + 2, offset + STATE_SIZE, 0);
  }
}
