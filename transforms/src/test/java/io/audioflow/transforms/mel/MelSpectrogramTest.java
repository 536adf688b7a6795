package io.audioflow.transforms.mel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

class MelSpectrogramTest {
  /** A small config so the O(n^2) oracle stays fast: 64-point FFT, 12 bands. */
  private static final MelConfig SMALL = new MelConfig(
      8000, 64, 64, 16, true, PadMode.REFLECT, 2.0, 12, 0.0, 4000.0, MelScale.SLANEY, MelNorm.SLANEY, MelScaling.POWER);

  @Test
  void blockSizesDoNotChangeTheResult() {
    float[] signal = noise(20011, 1);
    List<MelConfig> configs =
        List.of(MelConfig.musicnn(), MelConfig.librosa(22050), SMALL.withWinLength(50).withNFft(63));
    for (MelConfig config : configs) {
      double[][] oneShot = MelSpectrogram.compute(signal, config);
      assertEquals(MelSpectrogram.expectedFrames(signal.length, config), oneShot.length);
      Random random = new Random(7);
      for (IntSupplier blocks : List.<IntSupplier>of(() -> 1, () -> 7, () -> 1000, () -> random.nextInt(3000))) {
        assertArrayEquals(oneShot, streamed(config, signal, blocks), config.id());
      }
    }
  }

  @Test
  void resetReusesTheInstance() {
    float[] a = noise(30000, 2);
    float[] b = noise(777, 3);
    for (MelConfig config : List.of(MelConfig.musicnn(), MelConfig.librosa(16000))) {
      List<double[]> out = new ArrayList<>();
      MelSpectrogram spectrogram = new MelSpectrogram(config, m -> out.add(m.clone()));
      spectrogram.accept(b, 0, 500); // abandoned mid-signal: reset must forget it too
      for (float[] signal : List.of(a, b, a)) {
        out.clear();
        spectrogram.reset();
        spectrogram.accept(signal, 0, signal.length);
        spectrogram.finish();
        assertEquals(out.size(), spectrogram.frames());
        assertArrayEquals(MelSpectrogram.compute(signal, config), out.toArray(double[][]::new), config.id());
      }
    }
  }

  @Test
  void feedingAfterFinishNeedsReset() {
    MelSpectrogram spectrogram = new MelSpectrogram(SMALL, m -> {});
    spectrogram.accept(new float[100], 0, 100);
    spectrogram.finish();
    assertThrows(IllegalStateException.class, () -> spectrogram.accept(new float[1], 0, 1));
    assertThrows(IllegalStateException.class, spectrogram::finish);
    spectrogram.reset();
    spectrogram.accept(new float[1], 0, 1);
  }

  /** 0, 1, nFft/2, nFft-1 samples, both pad modes, both presets: no crash, the expected count, librosa's values. */
  @Test
  void shortSignals() {
    for (MelConfig preset : List.of(MelConfig.musicnn(), MelConfig.librosa(16000))) {
      for (PadMode padMode : PadMode.values()) {
        MelConfig config = preset.withPadMode(padMode);
        int n = config.nFft();
        for (int length : new int[] {0, 1, n / 2, n - 1}) {
          float[] signal = noise(length, length);
          double[][] mel = MelSpectrogram.compute(signal, config);
          assertEquals(MelSpectrogram.expectedFrames(length, config), mel.length, config.id() + " n=" + length);
          assertEquals(length == 0 ? 0 : 1 + length / config.hopLength(), mel.length);
          assertClose(DirectMel.melspectrogram(signal, config), mel, config.id() + " n=" + length);
        }
      }
    }
  }

  /**
   * Every length up to a few windows against the oracle, over hops below, at and above nFft/2, nFft and the
   * 2 nFft buffer, odd nFft, a window shorter than nFft, both pad modes and center off; powers 2, 1 and 1.5 (one
   * per FFT shape).
   */
  @Test
  void matchesLibrosaStftAcrossLengthsAndHops() {
    List<MelConfig> shapes = List.of(
        SMALL, SMALL.withWinLength(50).withNFft(63).withPower(1.0), SMALL.withWinLength(40).withPower(1.5));
    for (MelConfig shape : shapes) {
      for (int hop : new int[] {1, 16, shape.nFft() / 2, 40, shape.nFft(), 100, 150}) {
        List<MelConfig> framings = List.of(
            shape.withHopLength(hop),
            shape.withHopLength(hop).withPadMode(PadMode.CONSTANT),
            shape.withHopLength(hop).withCenter(false));
        for (MelConfig config : framings) {
          for (int length = 0; length <= 260; length += hop == 1 ? 13 : 1) {
            float[] signal = noise(length, length);
            String what = config.id() + " n=" + length;
            double[][] mel = MelSpectrogram.compute(signal, config);
            assertEquals(MelSpectrogram.expectedFrames(length, config), mel.length, what);
            assertClose(DirectMel.melspectrogram(signal, config), mel, what);
          }
        }
      }
    }
  }

  /**
   * musicnn (512/256, reflect) on a length divisible by 256: librosa pads the last frame from a tail segment of
   * exactly nFft/2 samples, which numpy reflects twice, unlike a reflection of the whole signal.
   */
  @Test
  void reflectsTheTailSegmentLikeLibrosa() {
    float[] signal = noise(32000, 5);
    MelConfig config = MelConfig.musicnn();
    double[][] mel = MelSpectrogram.compute(signal, config);
    assertClose(DirectMel.melspectrogram(signal, config), mel, "musicnn n=32000");

    double[] whole = new double[signal.length];
    for (int i = 0; i < whole.length; i++) {
      whole[i] = signal[i];
    }
    double[] padded = DirectMel.pad(whole, 256, 256, PadMode.REFLECT);
    double[] segment = DirectMel.pad(Arrays.copyOfRange(whole, 32000 - 256, 32000), 0, 256, PadMode.REFLECT);
    // The last padded sample differs, so the test above would catch a whole-signal reflection.
    assertFalse(padded[padded.length - 1] == segment[segment.length - 1]);
  }

  @Test
  void emptyAndTinySignalsWithoutCenter() {
    MelConfig config = SMALL.withCenter(false);
    assertEquals(0, MelSpectrogram.compute(new float[0], config).length);
    assertEquals(0, MelSpectrogram.compute(new float[63], config).length);
    assertEquals(1, MelSpectrogram.compute(new float[64], config).length);
    assertEquals(0, MelSpectrogram.expectedFrames(0, SMALL));
    assertThrows(IllegalArgumentException.class, () -> MelSpectrogram.expectedFrames(-1, SMALL));
  }

  /**
   * A constant 1.0 through a periodic Hann of N points has exactly two nonzero bins, |X0| = N/2 and |X1| = N/4,
   * so S[m] = w[m][0] (N/2)^p + w[m][1] (N/4)^p: power 1 gives magnitudes.
   */
  @Test
  void powerIsTheExponentOfTheMagnitude() {
    float[] ones = new float[64];
    Arrays.fill(ones, 1f);
    for (double power : new double[] {1.0, 2.0, 1.5}) {
      MelConfig config = SMALL.withCenter(false).withNorm(MelNorm.NONE).withFmax(1000).withPower(power);
      float[][] w = MelFilterbank.weights(config);
      double[][] mel = MelSpectrogram.compute(ones, config);
      assertEquals(1, mel.length);
      boolean anyNonzero = false;
      for (int m = 0; m < config.nMels(); m++) {
        double expected = w[m][0] * Math.pow(32, power) + w[m][1] * Math.pow(16, power);
        assertEquals(expected, mel[0][m], 1e-12 * Math.pow(32, power), "power " + power + " band " + m);
        anyNonzero |= expected > 0;
      }
      assertTrue(anyNonzero);
    }
  }

  /**
   * Frames are transformed two at a time, so a complete frame may wait for the next one: at most one is held back,
   * and finish() emits it.
   */
  @Test
  void atMostOneFrameWaits() {
    MelConfig config = MelConfig.musicnn();
    float[] signal = noise(16000, 9);
    List<double[]> out = new ArrayList<>();
    MelSpectrogram spectrogram = new MelSpectrogram(config, m -> out.add(m.clone()));
    for (int at = 0; at < signal.length; at += 1000) {
      spectrogram.accept(signal, at, 1000);
      // Complete so far: frames whose window (signal padded by nFft/2 on the left) is fully received.
      long complete = (at + 1000 + 256 - 512) / 256 + 1;
      assertTrue(spectrogram.frames() == complete || spectrogram.frames() == complete - 1, "after " + (at + 1000));
      assertEquals(spectrogram.frames(), out.size());
    }
    spectrogram.finish();
    assertArrayEquals(MelSpectrogram.compute(signal, config), out.toArray(double[][]::new));
  }

  /**
   * A frame shares its FFT with a neighbour, so its rounding error scales with the louder of the two; a quiet frame
   * next to one 120 dB louder must still match the oracle to 1e-8 of its own level, band by band (it gets about
   * 6e-10; a frame on its own gets about 1e-15).
   */
  @Test
  void quietFrameNextToALoudOne() {
    MelConfig config = SMALL.withCenter(false).withHopLength(64); // frames do not overlap: each is loud or quiet
    float[] signal = noise(64 * 40, 11);
    for (int i = 0; i < signal.length; i++) {
      if ((i / 64) % 2 == 0) {
        signal[i] *= 1e-6f; // even frames quiet, so every pair is one quiet, one loud frame
      }
    }
    double[][] expected = DirectMel.melspectrogram(signal, config);
    double[][] actual = MelSpectrogram.compute(signal, config);
    assertEquals(expected.length, actual.length);
    double worst = 0;
    for (int t = 0; t < expected.length; t += 2) {
      for (int m = 0; m < config.nMels(); m++) {
        worst = Math.max(worst, Math.abs(actual[t][m] - expected[t][m]) / expected[t][m]);
      }
    }
    assertTrue(worst < 1e-8, "worst relative error of a quiet frame " + worst);
  }

  private static double[][] streamed(MelConfig config, float[] signal, IntSupplier blockSize) {
    List<double[]> out = new ArrayList<>();
    MelSpectrogram spectrogram = new MelSpectrogram(config, m -> out.add(m.clone()));
    for (int at = 0; at < signal.length; ) {
      int n = Math.min(signal.length - at, blockSize.getAsInt());
      spectrogram.accept(signal, at, n);
      at += n;
    }
    spectrogram.finish();
    assertEquals(out.size(), spectrogram.frames());
    return out.toArray(double[][]::new);
  }

  /** Equal up to float64 rounding: 1e-9 of the largest value (the oracle's DFT is O(n^2) float64). */
  private static void assertClose(double[][] expected, double[][] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": frames");
    double max = Double.MIN_NORMAL;
    for (double[] frame : expected) {
      for (double v : frame) {
        max = Math.max(max, v);
      }
    }
    for (int t = 0; t < expected.length; t++) {
      assertArrayEquals(expected[t], actual[t], 1e-9 * max, what + ": frame " + t);
    }
  }

  /** Gaussian noise of the given length, seeded, at a level like music (float32, as decoded audio is). */
  private static float[] noise(int length, long seed) {
    Random random = new Random(seed);
    float[] x = new float[length];
    for (int i = 0; i < length; i++) {
      x[i] = (float) (0.2 * random.nextGaussian());
    }
    return x;
  }
}
