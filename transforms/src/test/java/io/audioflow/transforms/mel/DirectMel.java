package io.audioflow.transforms.mel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A deliberately naive, whole-signal transcription of librosa 0.11's {@code stft} (head / middle / tail split,
 * numpy's iterative {@code np.pad} reflection) with an O(n^2) DFT, used as an independent oracle for configurations
 * the shared reference set does not cover. Shares only the filterbank with the code under test (that one is checked
 * against librosa's own arrays).
 */
final class DirectMel {
  private DirectMel() {}

  static double[][] melspectrogram(float[] signal, MelConfig c) {
    double[] y = new double[signal.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = signal[i];
    }
    List<double[]> frames = stftFrames(y, c);
    float[][] fb = MelFilterbank.weights(c);
    double[][] out = new double[frames.size()][c.nMels()];
    double[] window = window(c);
    for (int t = 0; t < frames.size(); t++) {
      double[] spectrum = powerSpectrum(frames.get(t), window, c.power());
      for (int m = 0; m < c.nMels(); m++) {
        double sum = 0;
        for (int k = 0; k < spectrum.length; k++) {
          sum += fb[m][k] * spectrum[k];
        }
        out[t][m] = sum;
      }
    }
    return out;
  }

  /** The raw (unwindowed) frames librosa's stft transforms. */
  private static List<double[]> stftFrames(double[] y, MelConfig c) {
    int nFft = c.nFft();
    int hop = c.hopLength();
    int h = nFft / 2;
    int n = y.length;
    List<double[]> frames = new ArrayList<>();
    if (n == 0) {
      return frames; // our convention; librosa gives one zero frame (constant) or fails (reflect)
    }
    if (!c.center()) {
      frame(y, nFft, hop, Integer.MAX_VALUE, frames);
      return frames;
    }
    int startK = (int) Math.ceil((double) h / hop);
    int tailK = Math.floorDiv(n + h - nFft, hop) + 1;
    if (tailK <= startK) {
      frame(pad(y, h, h, c.padMode()), nFft, hop, Integer.MAX_VALUE, frames);
      return frames;
    }
    int start = startK * hop - h;
    double[] pre = pad(Arrays.copyOfRange(y, 0, (startK - 1) * hop - h + nFft + 1), h, 0, c.padMode());
    frame(pre, nFft, hop, startK, frames);
    frame(Arrays.copyOfRange(y, start, n), nFft, hop, Integer.MAX_VALUE, frames);
    if (tailK * hop - h + nFft <= n + h) {
      frame(pad(Arrays.copyOfRange(y, tailK * hop - h, n), 0, h, c.padMode()), nFft, hop, Integer.MAX_VALUE, frames);
    }
    return frames;
  }

  private static void frame(double[] x, int nFft, int hop, int limit, List<double[]> out) {
    for (int s = 0, k = 0; s + nFft <= x.length && k < limit; s += hop, k++) {
      out.add(Arrays.copyOfRange(x, s, s + nFft));
    }
  }

  /** {@code np.pad(a, (left, right), mode)}, reflect done as numpy 2 does it: mirror chunk by chunk. */
  static double[] pad(double[] a, int left, int right, PadMode mode) {
    int n = a.length;
    double[] p = new double[left + n + right];
    System.arraycopy(a, 0, p, left, n);
    if (mode == PadMode.CONSTANT) {
      return p;
    }
    if (n == 1) {
      Arrays.fill(p, a[0]);
      return p;
    }
    int l = left;
    int r = right;
    while (l > 0 || r > 0) {
      int filled = p.length - l - r;
      // numpy only mirrors whole periods of the original (n - 1 steps), so repeated mirrors stay periodic
      int usable = (filled - 1) / (n - 1) * (n - 1);
      if (l > 0) {
        int chunk = Math.min(usable, l);
        for (int t = 1; t <= chunk; t++) {
          p[l - t] = p[l + t];
        }
        l -= chunk;
      }
      if (r > 0) {
        int chunk = Math.min(usable, r);
        int edge = p.length - r - 1;
        for (int t = 1; t <= chunk; t++) {
          p[edge + t] = p[edge - t];
        }
        r -= chunk;
      }
    }
    return p;
  }

  /** scipy's periodic Hann, written as scipy's general_cosine computes it, centred in nFft. */
  private static double[] window(MelConfig c) {
    int win = c.winLength();
    double[] w = new double[c.nFft()];
    int lpad = (c.nFft() - win) / 2;
    for (int i = 0; i < win; i++) {
      double fac = -Math.PI + 2.0 * Math.PI * i / win;
      w[lpad + i] = 0.5 + 0.5 * Math.cos(fac);
    }
    return w;
  }

  private static double[] powerSpectrum(double[] frame, double[] window, double power) {
    int nFft = frame.length;
    double[] cos = new double[nFft];
    double[] sin = new double[nFft];
    for (int j = 0; j < nFft; j++) {
      cos[j] = Math.cos(2.0 * Math.PI * j / nFft);
      sin[j] = Math.sin(2.0 * Math.PI * j / nFft);
    }
    double[] out = new double[nFft / 2 + 1];
    for (int k = 0; k < out.length; k++) {
      double re = 0;
      double im = 0;
      for (int i = 0; i < nFft; i++) {
        int j = (int) ((long) k * i % nFft);
        double v = frame[i] * window[i];
        re += v * cos[j];
        im -= v * sin[j];
      }
      out[k] = Math.pow(Math.hypot(re, im), power);
    }
    return out;
  }
}
