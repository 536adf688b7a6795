package io.audioflow.transforms.loudness;

import java.util.Arrays;

/**
 * BS.1770-4 channel weights G_i from an FFmpeg channel-layout mask, decided per channel bit exactly as FFmpeg's
 * ebur128 filter does: 0 for LFE and LFE2, 1.41 for back, side, top-back and surround-direct channels, 1.0 for every
 * other channel (front, centre, wide, top-front, ...).
 */
public final class ChannelWeights {
  /** Bit positions of FFmpeg's {@code AV_CH_*} / {@code AV_CHAN_*} constants. */
  private static final int FL = 0;
  private static final int FR = 1;
  private static final int FC = 2;
  private static final int LFE = 3;
  private static final int BL = 4;
  private static final int BR = 5;
  private static final int BC = 8;
  private static final int SL = 9;
  private static final int SR = 10;
  private static final int TFL = 12;
  private static final int TFC = 13;
  private static final int TFR = 14;
  private static final int TBL = 15;
  private static final int TBC = 16;
  private static final int TBR = 17;
  private static final int WL = 31;
  private static final int WR = 32;
  private static final int SDL = 33;
  private static final int SDR = 34;
  private static final int LFE2 = 35;

  private static final long SURROUND_MASK = bits(BL, BR, BC, TBL, TBC, TBR, SL, SR, SDL, SDR);

  /**
   * The layout FFmpeg guesses for a stream without one ({@code av_channel_layout_default}: the first standard
   * layout with that channel count), indexed by channel count; 0 where FFmpeg has none.
   */
  private static final long[] DEFAULT_LAYOUTS = new long[25];

  static {
    DEFAULT_LAYOUTS[1] = bits(FC);
    DEFAULT_LAYOUTS[2] = bits(FL, FR);
    DEFAULT_LAYOUTS[3] = bits(FL, FR, LFE);
    DEFAULT_LAYOUTS[4] = bits(FL, FR, FC, BC);
    DEFAULT_LAYOUTS[5] = bits(FL, FR, FC, BL, BR);
    DEFAULT_LAYOUTS[6] = bits(FL, FR, FC, LFE, BL, BR);
    DEFAULT_LAYOUTS[7] = bits(FL, FR, FC, LFE, BC, SL, SR);
    DEFAULT_LAYOUTS[8] = bits(FL, FR, FC, LFE, BL, BR, SL, SR);
    DEFAULT_LAYOUTS[16] = bits(FL, FR, FC, BL, BR, BC, SL, SR, TFL, TFC, TFR, TBL, TBC, TBR, WL, WR);
    // 22.2: the 18 channels FL..TBR, then LFE2, TSL, TSR, BFC, BFL, BFR
    DEFAULT_LAYOUTS[24] = 0x3FFFFL | bits(LFE2, 36, 37, 38, 39, 40);
  }

  private ChannelWeights() {}

  /**
   * @param ffmpegChannelMask the stream's {@code AVChannelLayout.u.mask} when its order is native, else 0
   * @param channels the stream's channel count
   * @return one weight per channel, in stream order
   */
  public static double[] forLayout(long ffmpegChannelMask, int channels) {
    if (channels < 1) {
      throw new IllegalArgumentException("channels must be positive: " + channels);
    }
    long mask = ffmpegChannelMask;
    // A mask that does not name exactly one bit per channel cannot be mapped; treat it as unknown, as FFmpeg would.
    if (Long.bitCount(mask) != channels) {
      mask = channels < DEFAULT_LAYOUTS.length ? DEFAULT_LAYOUTS[channels] : 0;
    }
    double[] weights = new double[channels];
    if (mask == 0) {
      Arrays.fill(weights, 1.0);
      return weights;
    }
    for (int i = 0; i < channels; i++) {
      int bit = Long.numberOfTrailingZeros(mask);
      mask &= mask - 1;
      if (bit == LFE || bit == LFE2) {
        weights[i] = 0.0;
      } else if ((SURROUND_MASK & (1L << bit)) != 0) {
        weights[i] = 1.41;
      } else {
        weights[i] = 1.0;
      }
    }
    return weights;
  }

  private static long bits(int... positions) {
    long mask = 0;
    for (int p : positions) {
      mask |= 1L << p;
    }
    return mask;
  }
}
