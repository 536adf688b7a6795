package io.audioflow.transforms.mel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.jtransforms.fft.DoubleFFT_1D;
import org.junit.jupiter.api.Test;

/**
 * {@link FramePairFft}: both FFT paths against JTransforms' single-frame {@code realForward}, over every shape the
 * four-step code has.
 */
class MelFramePairFftTest {
  /**
   * Sizes: below the four-step minimum, odd and other non-powers of two (JTransforms path), and powers of two from
   * 64 (R = 8) to 16384 (R = 128, the last pass's generic branch), so both R = C and C = 2R.
   */
  private static final int[] SIZES = {2, 3, 16, 63, 100, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384};

  @Test
  void pairMatchesSingleFrameTransforms() {
    for (int n : SIZES) {
      Random random = new Random(n);
      double[] window = hann(n);
      int chunk = FramePairFft.create(n, window).chunkLength();
      double[] signal = new double[2 * n + 2 * chunk];
      SampleRing ring = new SampleRing(chunk, signal.length);
      for (int i = 0; i < signal.length; i++) {
        signal[i] = random.nextGaussian();
      }
      ring.write(0, signal, 0, signal.length);
      // Chunk-aligned starts (the four-step path's zero-copy load), unaligned ones, and A after B in the ring.
      long[][] starts = {{0, chunk}, {3, n / 2 + 5}, {n, 1}};
      for (long[] start : starts) {
        FramePairFft fft = FramePairFft.create(n, window);
        double[] pA = new double[n / 2 + 1];
        double[] pB = new double[n / 2 + 1];
        fft.load(0, ring, start[0]);
        fft.load(1, ring, start[1]);
        fft.powerSpectra(pA, pB);
        String what = "n=" + n + " starts " + start[0] + "," + start[1];
        assertClose(reference(signal, (int) start[0], window), pA, what + " A");
        assertClose(reference(signal, (int) start[1], window), pB, what + " B");

        // The same instance again, frame B cleared (how finish() flushes an odd last frame).
        fft.load(0, ring, start[1]);
        fft.clear(1);
        fft.powerSpectra(pA, pB);
        assertClose(reference(signal, (int) start[1], window), pA, what + " A alone");
        for (double v : pB) {
          assertEquals(0.0, v, 1e-20, what + " cleared B");
        }
      }
    }
  }

  /** The weighted sum of many frames' power spectra, pairs summed unseparated, against the frames one by one. */
  @Test
  void powerSumOfScaledPairsIsTheWeightedSumOfPowerSpectra() {
    for (int n : SIZES) {
      Random random = new Random(n + 1);
      double[] window = hann(n);
      int chunk = FramePairFft.create(n, window).chunkLength();
      double[] signal = new double[4 * n + 2 * chunk];
      SampleRing ring = new SampleRing(chunk, signal.length);
      for (int i = 0; i < signal.length; i++) {
        signal[i] = random.nextGaussian() * (i < n ? 1e-3 : 1);
      }
      ring.write(0, signal, 0, signal.length);
      int[] starts = {0, 1, n / 2, 2 * n + 3, 3 * n}; // odd count: the last pair has frame B cleared
      double[] weights = {4.0, 0.5, 1e3, 1.0, 0.0};
      FramePairFft fft = FramePairFft.create(n, window);
      double[][] sum = fft.newPowerSum();
      double[] expected = new double[n / 2 + 1];
      for (int f = 0; f < starts.length; f += 2) {
        fft.load(0, ring, starts[f]);
        fft.scale(0, Math.sqrt(weights[f]));
        if (f + 1 < starts.length) {
          fft.load(1, ring, starts[f + 1]);
          fft.scale(1, Math.sqrt(weights[f + 1]));
        } else {
          fft.clear(1);
        }
        fft.addPower(sum);
      }
      for (int f = 0; f < starts.length; f++) {
        double[] p = reference(signal, starts[f], window);
        for (int k = 0; k < expected.length; k++) {
          expected[k] += weights[f] * p[k];
        }
      }
      double[] got = new double[n / 2 + 1];
      fft.powerSum(sum, got);
      assertClose(expected, got, "n=" + n + " weighted power sum");
    }
  }

  @Test
  void fourStepOnlyForPowersOfTwoFrom64() {
    assertTrue(FramePairFft.create(64, new double[64]) instanceof FramePairFft.FourStep);
    assertTrue(FramePairFft.create(32, new double[32]) instanceof FramePairFft.Interleaved);
    assertTrue(FramePairFft.create(96, new double[96]) instanceof FramePairFft.Interleaved);
  }

  /** {@code |X[k]|^2} of the windowed frame by JTransforms' real FFT. */
  private static double[] reference(double[] signal, int start, double[] window) {
    int n = window.length;
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = signal[start + i] * window[i];
    }
    new DoubleFFT_1D(n).realForward(x);
    // x[2k], x[2k+1] = Re, Im of bin k; x[1] is Re of the Nyquist bin (even n) or Im of the last bin (odd n).
    int last = n / 2;
    double[] p = new double[last + 1];
    p[0] = x[0] * x[0];
    for (int k = 1; k < last; k++) {
      p[k] = x[2 * k] * x[2 * k] + x[2 * k + 1] * x[2 * k + 1];
    }
    p[last] = n % 2 == 0 ? x[1] * x[1] : x[n - 1] * x[n - 1] + x[1] * x[1];
    return p;
  }

  private static double[] hann(int n) {
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = 0.5 - 0.5 * Math.cos(2.0 * Math.PI * i / n);
    }
    return w;
  }

  /** Equal to 1e-12 of the largest bin: float64 rounding, a billion times finer than the librosa references. */
  private static void assertClose(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    double max = Double.MIN_NORMAL;
    for (double v : expected) {
      max = Math.max(max, v);
    }
    for (int k = 0; k < expected.length; k++) {
      assertEquals(expected[k], actual[k], 1e-12 * max, what + " bin " + k);
    }
  }
}
