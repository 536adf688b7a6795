package io.audioflow.transforms.mel;

/**
 * {@code librosa.filters.mel} (librosa 0.11), reproduced step by step in float64 with librosa's float32 rounding,
 * and its sparse form: a triangle covers a few consecutive FFT bins, so each band keeps only that run of weights.
 */
public final class MelFilterbank {
  private final int[] firstBin;
  private final int[] offset; // band m's weights are weights[offset[m] .. offset[m+1])
  private final double[] weights;

  /** Number of bands. */
  public int bands() {
    return firstBin.length;
  }

  private MelFilterbank(float[][] dense) {
    int nMels = dense.length;
    firstBin = new int[nMels];
    offset = new int[nMels + 1];
    int[] lastBin = new int[nMels];
    for (int m = 0; m < nMels; m++) {
      int first = 0;
      while (first < dense[m].length && dense[m][first] == 0f) {
        first++;
      }
      int last = dense[m].length - 1;
      while (last >= first && dense[m][last] == 0f) {
        last--;
      }
      firstBin[m] = first;
      lastBin[m] = last;
      offset[m + 1] = offset[m] + (last - first + 1);
    }
    weights = new double[offset[nMels]];
    for (int m = 0; m < nMels; m++) {
      for (int k = firstBin[m]; k <= lastBin[m]; k++) {
        weights[offset[m] + k - firstBin[m]] = dense[m][k];
      }
    }
  }

  /** The sparse filterbank of {@code config}. */
  public static MelFilterbank of(MelConfig config) {
    return new MelFilterbank(weights(config));
  }

  /** Dense filterbank, {@code [nMels][1 + nFft/2]}, equal to {@code librosa.filters.mel(...)} (float32). */
  public static float[][] weights(MelConfig config) {
    int nBins = 1 + config.nFft() / 2;
    int nMels = config.nMels();
    MelScale scale = config.melScale();

    // np.fft.rfftfreq(n_fft, d=1/sr): k * (1 / (n_fft * (1/sr))).
    double binHz = 1.0 / (config.nFft() * (1.0 / config.sampleRate()));
    double[] fftFreqs = new double[nBins];
    for (int k = 0; k < nBins; k++) {
      fftFreqs[k] = k * binHz;
    }

    // mel_frequencies(n_mels + 2): np.linspace over the mel range, then back to Hz.
    int nPoints = nMels + 2;
    double minMel = scale.hzToMel(config.fmin());
    double maxMel = scale.hzToMel(config.fmax());
    double[] melF = new double[nPoints];
    for (int i = 0; i < nPoints; i++) {
      melF[i] = scale.melToHz(linspace(minMel, maxMel, nPoints, i));
    }

    float[][] w = new float[nMels][nBins];
    for (int m = 0; m < nMels; m++) {
      double lowerWidth = melF[m + 1] - melF[m];
      double upperWidth = melF[m + 2] - melF[m + 1];
      // Slaney area normalisation is applied in float64 to the already float32-rounded triangle, as numpy's in-place
      // `weights *= enorm[:, None]` on a float32 array does.
      double enorm = config.norm() == MelNorm.SLANEY ? 2.0 / (melF[m + 2] - melF[m]) : 1.0;
      for (int k = 0; k < nBins; k++) {
        double lower = -(melF[m] - fftFreqs[k]) / lowerWidth;
        double upper = (melF[m + 2] - fftFreqs[k]) / upperWidth;
        float triangle = (float) Math.max(0.0, Math.min(lower, upper));
        w[m][k] = config.norm() == MelNorm.SLANEY ? (float) (triangle * enorm) : triangle;
      }
    }
    return w;
  }

  /**
   * {@code out[m] = sum_k weights[m][k] * spectrum[k]}, touching only the nonzero weights, summed exactly as
   * {@link #applyPair} sums (even and odd weights apart), so a mel frame is the same to the bit on either path.
   */
  public void apply(double[] spectrum, double[] out) {
    int[] first = firstBin;
    int[] off = offset;
    double[] w = weights;
    for (int m = 0, n = first.length; m < n; m++) {
      int k = first[m];
      int j = off[m];
      int end = off[m + 1];
      double a0 = 0.0;
      double a1 = 0.0;
      for (; j + 1 < end; j += 2, k += 2) {
        a0 += w[j] * spectrum[k];
        a1 += w[j + 1] * spectrum[k + 1];
      }
      if (j < end) {
        a0 += w[j] * spectrum[k];
      }
      out[m] = a0 + a1;
    }
  }

  /**
   * {@link #apply} on two spectra at once, each band's sum split over even and odd weights as {@link #apply} splits
   * it, so both give the same frame to the bit (four independent chains here).
   */
  void applyPair(double[] spectrumA, double[] spectrumB, double[] outA, double[] outB) {
    int[] first = firstBin;
    int[] off = offset;
    double[] w = weights;
    for (int m = 0, n = first.length; m < n; m++) {
      int k = first[m];
      int j = off[m];
      int end = off[m + 1];
      double a0 = 0.0;
      double b0 = 0.0;
      double a1 = 0.0;
      double b1 = 0.0;
      for (; j + 1 < end; j += 2, k += 2) {
        double w0 = w[j];
        double w1 = w[j + 1];
        a0 += w0 * spectrumA[k];
        b0 += w0 * spectrumB[k];
        a1 += w1 * spectrumA[k + 1];
        b1 += w1 * spectrumB[k + 1];
      }
      if (j < end) {
        a0 += w[j] * spectrumA[k];
        b0 += w[j] * spectrumB[k];
      }
      outA[m] = a0 + a1;
      outB[m] = b0 + b1;
    }
  }

  /** Element {@code i} of {@code np.linspace(start, stop, num)}: {@code i * step + start}, last one exactly stop. */
  private static double linspace(double start, double stop, int num, int i) {
    if (i == num - 1) {
      return stop;
    }
    double step = (stop - start) / (num - 1);
    return i * step + start;
  }
}
