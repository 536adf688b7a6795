package io.audioflow.transforms.features;

/**
 * {@code librosa.filters.chroma(sr, n_fft, n_chroma=12, tuning=0.0, ctroct=5.0, octwidth=2, norm=2, base_c=True)}
 * (librosa 0.11), step by step in float64 and rounded to float32 at the end as librosa's {@code dtype} does.
 */
final class ChromaFilter {
  static final int N_CHROMA = 12;
  private static final double CTROCT = 5.0;
  private static final double OCTWIDTH = 2.0;
  private static final double A440 = 440.0; // 440 * 2^(tuning / n_chroma) with tuning 0

  private ChromaFilter() {}

  /** The filterbank, {@code [12][1 + nFft/2]}, row 0 = C. */
  static float[][] weights(double sampleRate, int nFft) {
    int n = N_CHROMA;
    // frqbins: n_chroma * hz_to_octs(linspace(0, sr, n_fft, endpoint=False)[1:]), bin 0 put 1.5 octaves below bin 1.
    double step = sampleRate / nFft;
    double[] frqbins = new double[nFft];
    for (int k = 1; k < nFft; k++) {
      frqbins[k] = n * log2(k * step / (A440 / 16));
    }
    frqbins[0] = frqbins[1] - 1.5 * n;
    double[] binwidth = new double[nFft];
    for (int k = 0; k < nFft - 1; k++) {
      binwidth[k] = Math.max(frqbins[k + 1] - frqbins[k], 1.0);
    }
    binwidth[nFft - 1] = 1.0;

    double half = Math.rint(n / 2.0);
    double[][] wts = new double[n][nFft];
    for (int c = 0; c < n; c++) {
      for (int k = 0; k < nFft; k++) {
        // Distance in chroma bins, wrapped into [-6, 6); the + 10 n keeps the remainder's argument positive.
        double d = (frqbins[k] - c + half + 10 * n) % n - half;
        double z = 2 * d / binwidth[k];
        wts[c][k] = Math.exp(-0.5 * (z * z));
      }
    }
    for (int k = 0; k < nFft; k++) {
      double sumSquares = 0;
      for (int c = 0; c < n; c++) {
        sumSquares += wts[c][k] * wts[c][k];
      }
      double length = Math.sqrt(sumSquares);
      double scale = length < Double.MIN_NORMAL ? 1.0 : length;
      double z = (frqbins[k] / n - CTROCT) / OCTWIDTH;
      double octave = Math.exp(-0.5 * (z * z));
      for (int c = 0; c < n; c++) {
        wts[c][k] = wts[c][k] / scale * octave;
      }
    }
    // base_c: np.roll(wts, -3) so that row 0 is C, not A; keep the 1 + n_fft/2 non-aliased bins.
    float[][] out = new float[n][nFft / 2 + 1];
    for (int c = 0; c < n; c++) {
      double[] row = wts[(c + 3) % n];
      for (int k = 0; k < out[c].length; k++) {
        out[c][k] = (float) row[k];
      }
    }
    return out;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2.0);
  }
}
