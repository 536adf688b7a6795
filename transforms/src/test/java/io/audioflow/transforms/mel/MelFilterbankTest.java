package io.audioflow.transforms.mel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The filterbank against the textbook formulas, computed independently (librosa's arrays: MelReferenceTest). */
class MelFilterbankTest {
  private static final MelConfig HTK = new MelConfig(
      16000, 512, 512, 160, true, PadMode.REFLECT, 2.0, 40, 100.0, 7000.0,
      MelScale.HTK, MelNorm.NONE, MelScaling.POWER);

  @Test
  void htkScaleWithoutNormIsPlainTriangles() {
    float[][] w = MelFilterbank.weights(HTK);
    double[] edges = htkEdges(HTK);
    for (int m : new int[] {0, 1, 17, 39}) {
      for (int k = 0; k < w[m].length; k++) {
        assertEquals(triangle(edges, m, k * 16000.0 / 512), w[m][k], 1e-6, "band " + m + " bin " + k);
      }
    }
  }

  @Test
  void slaneyNormDividesByTheBandWidth() {
    MelConfig config = HTK.withNorm(MelNorm.SLANEY);
    float[][] w = MelFilterbank.weights(config);
    double[] edges = htkEdges(config);
    for (int m : new int[] {0, 20, 39}) {
      double enorm = 2.0 / (edges[m + 2] - edges[m]);
      for (int k = 0; k < w[m].length; k++) {
        double expected = triangle(edges, m, k * 16000.0 / 512) * enorm;
        assertEquals(expected, w[m][k], 1e-6 * enorm, "band " + m + " bin " + k);
      }
    }
  }

  @Test
  void slaneyScaleIsLinearBelow1kHzAndLogAbove() {
    assertEquals(0.0, MelScale.SLANEY.hzToMel(0.0));
    assertEquals(7.5, MelScale.SLANEY.hzToMel(500.0), 1e-12);
    assertEquals(15.0, MelScale.SLANEY.hzToMel(1000.0), 1e-12);
    // 27 mels per factor 6.4 above 1 kHz
    assertEquals(15.0 + 27.0, MelScale.SLANEY.hzToMel(6400.0), 1e-9);
    assertEquals(2595.0 * Math.log10(1 + 1000.0 / 700), MelScale.HTK.hzToMel(1000.0), 1e-9);
    for (MelScale scale : MelScale.values()) {
      for (double hz : new double[] {0, 300, 999.9, 1000, 4321, 22050}) {
        assertEquals(hz, scale.melToHz(scale.hzToMel(hz)), 1e-9 * (1 + hz), scale + " " + hz);
      }
    }
  }

  /** The sparse form the spectrogram uses is the dense matrix, restricted to its nonzero runs. */
  @Test
  void sparseApplyEqualsDenseProduct() {
    for (MelConfig config : new MelConfig[] {MelConfig.musicnn(), MelConfig.librosa(44100), HTK.withFmin(0)}) {
      float[][] w = MelFilterbank.weights(config);
      double[] spectrum = new double[w[0].length];
      Random random = new Random(3);
      for (int k = 0; k < spectrum.length; k++) {
        spectrum[k] = random.nextDouble();
      }
      double[] sparse = new double[w.length];
      MelFilterbank.of(config).apply(spectrum, sparse);
      for (int m = 0; m < w.length; m++) {
        double dense = 0;
        for (int k = 0; k < spectrum.length; k++) {
          dense += w[m][k] * spectrum[k];
        }
        assertEquals(dense, sparse[m], 1e-12 * Math.abs(dense), config.id() + " band " + m);
        assertTrue(dense > 0, "empty band " + m);
      }
    }
  }

  /** nMels + 2 band edges, equally spaced on the HTK mel scale between fmin and fmax. */
  private static double[] htkEdges(MelConfig config) {
    double lo = 2595 * Math.log10(1 + config.fmin() / 700);
    double hi = 2595 * Math.log10(1 + config.fmax() / 700);
    double[] edges = new double[config.nMels() + 2];
    for (int i = 0; i < edges.length; i++) {
      double mel = lo + (hi - lo) * i / (edges.length - 1);
      edges[i] = 700 * (Math.pow(10, mel / 2595) - 1);
    }
    return edges;
  }

  private static double triangle(double[] edges, int m, double hz) {
    double rise = (hz - edges[m]) / (edges[m + 1] - edges[m]);
    double fall = (edges[m + 2] - hz) / (edges[m + 2] - edges[m + 1]);
    return Math.max(0, Math.min(rise, fall));
  }
}
