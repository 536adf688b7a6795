package io.audioflow.transforms.loudness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.audioflow.transforms.testing.DecodedFile;
import io.audioflow.transforms.testing.SharedTestData;
import org.junit.jupiter.api.Test;

/** {@link ChannelWeights} against FFmpeg's {@code AV_CH_*} bits and its default layouts. */
class LoudnessChannelWeightsTest {
  private static final double S = 1.41;

  @Test
  void standardLayouts() {
    assertArrayEquals(new double[] {1}, ChannelWeights.forLayout(0x4, 1)); // mono: FC
    assertArrayEquals(new double[] {1, 1}, ChannelWeights.forLayout(0x3, 2));
    assertArrayEquals(new double[] {1, 1, 1, 0, S, S}, ChannelWeights.forLayout(0x3F, 6)); // 5.1: BL BR
    assertArrayEquals(new double[] {1, 1, 1, 0, S, S}, ChannelWeights.forLayout(0x60F, 6)); // 5.1(side): SL SR
    assertArrayEquals(new double[] {1, 1, 1, 0, S, S, S, S}, ChannelWeights.forLayout(0x63F, 8)); // 7.1
    assertArrayEquals(new double[] {1, 1, 1, S}, ChannelWeights.forLayout(0x107, 4)); // 4.0: BC
  }

  @Test
  void everyChannelBitAsFfmpegWeighsIt() {
    assertArrayEquals(new double[] {1, 1, 0}, ChannelWeights.forLayout(0x3L | 1L << 35, 3)); // LFE2
    assertArrayEquals(new double[] {1, 1}, ChannelWeights.forLayout(1L << 31 | 1L << 32, 2)); // wide L/R
    assertArrayEquals(new double[] {S, S}, ChannelWeights.forLayout(1L << 33 | 1L << 34, 2)); // surround direct
    assertArrayEquals(new double[] {1, S, S, S}, ChannelWeights.forLayout(1L << 12 | 7L << 15, 4)); // TFL, TBL..TBR
    assertArrayEquals(new double[] {1, 1}, ChannelWeights.forLayout(1L << 29 | 1L << 30, 2)); // downmix L/R
  }

  @Test
  void unknownLayoutsUseFfmpegsDefaultForTheChannelCount() {
    assertArrayEquals(ChannelWeights.forLayout(0x3F, 6), ChannelWeights.forLayout(0, 6));
    assertArrayEquals(new double[] {1, 1, 0}, ChannelWeights.forLayout(0, 3)); // 2.1
    assertArrayEquals(new double[] {1, 1, 1, S, S}, ChannelWeights.forLayout(0, 5)); // 5.0 (back)
    assertArrayEquals(new double[] {1, 1, 1, 0, S, S, S}, ChannelWeights.forLayout(0, 7)); // 6.1
    assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, ChannelWeights.forLayout(0, 9)); // none: all 1
    double[] twentyTwo = ChannelWeights.forLayout(0, 24);
    assertEquals(0, twentyTwo[3]);
    assertEquals(0, twentyTwo[18]);
    // A mask that does not have one bit per channel is no layout either.
    assertArrayEquals(ChannelWeights.forLayout(0, 6), ChannelWeights.forLayout(0x3, 6));
    assertThrows(IllegalArgumentException.class, () -> ChannelWeights.forLayout(0, 0));
  }

  @Test
  void surroundFileIsWeightedPerChannel() throws Exception {
    double[] weights = ChannelWeights.forLayout(0x3F, 6);
    LoudnessMeter masked = new LoudnessMeter(48_000, weights);
    LoudnessMeter guessed = new LoudnessMeter(48_000, ChannelWeights.forLayout(0, 6));
    LoudnessMeter[] alone = new LoudnessMeter[6];
    for (int ch = 0; ch < 6; ch++) {
      alone[ch] = new LoudnessMeter(48_000, new double[] {1});
    }
    DecodedFile.Decoded decoded =
        DecodedFile.stream(
            SharedTestData.resolve("corpus/synthetic/surround51_s16_48000_extensible_4s.wav"),
            info -> (planar, frames) -> {
              masked.accept(planar, frames);
              guessed.accept(planar, frames);
              for (int ch = 0; ch < 6; ch++) {
                alone[ch].accept(new float[][] {planar[ch]}, frames);
              }
            });
    assertEquals(0x3F, decoded.info().channelMask(), "the decoder reports the file's 5.1 mask");
    LoudnessResult r = masked.finish();
    assertEquals(r, guessed.finish());
    assertEquals(-7.9, r.integratedLufs(), 0.1); // FFmpeg's figure

    // Steady tones pass every gate, so the weighted sum of each channel's own energy must give the same figure.
    double energy = 0;
    for (int ch = 0; ch < 6; ch++) {
      energy += weights[ch] * Math.pow(10, (alone[ch].finish().integratedLufs() + 0.691) / 10);
    }
    assertEquals(-0.691 + 10 * Math.log10(energy), r.integratedLufs(), 0.01);
  }
}
