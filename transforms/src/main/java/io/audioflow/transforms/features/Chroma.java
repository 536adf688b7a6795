package io.audioflow.transforms.features;

/**
 * {@code librosa.feature.chroma_stft(tuning=0.0, norm=np.inf, n_chroma=12)}: the chroma filterbank applied to the
 * power spectrum (chroma_stft's own {@code power=2}), each frame divided by its largest value (a frame whose largest
 * value is below the smallest normal double is left as it is, as {@code util.normalize} does).
 */
final class Chroma implements FrameConsumer {
  /** Filterbank transposed, bin-major: the 12 weights of bin k at {@code [12k, 12k + 12)}. */
  private final double[] weights;
  private final int bins;
  private final float[] out;
  private final int at;
  private final double[] raw = new double[ChromaFilter.N_CHROMA];

  Chroma(double sampleRate, int nFft, float[] out, int at) {
    float[][] w = ChromaFilter.weights(sampleRate, nFft);
    this.bins = w[0].length;
    this.weights = new double[bins * ChromaFilter.N_CHROMA];
    for (int c = 0; c < ChromaFilter.N_CHROMA; c++) {
      for (int k = 0; k < bins; k++) {
        weights[k * ChromaFilter.N_CHROMA + c] = w[c][k];
      }
    }
    this.out = out;
    this.at = at;
  }

  @Override
  public void onFrame(StftFrame frame) {
    double[] p = frame.power();
    double[] w = weights;
    // Twelve independent accumulators, one per pitch class, over the bins in order; fused multiply-adds halve the
    // floating-point operations of this, the densest loop per frame.
    double c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0, c8 = 0, c9 = 0, c10 = 0, c11 = 0;
    for (int k = 0, j = 0; k < bins; k++, j += 12) {
      double v = p[k];
      c0 = Math.fma(w[j], v, c0);
      c1 = Math.fma(w[j + 1], v, c1);
      c2 = Math.fma(w[j + 2], v, c2);
      c3 = Math.fma(w[j + 3], v, c3);
      c4 = Math.fma(w[j + 4], v, c4);
      c5 = Math.fma(w[j + 5], v, c5);
      c6 = Math.fma(w[j + 6], v, c6);
      c7 = Math.fma(w[j + 7], v, c7);
      c8 = Math.fma(w[j + 8], v, c8);
      c9 = Math.fma(w[j + 9], v, c9);
      c10 = Math.fma(w[j + 10], v, c10);
      c11 = Math.fma(w[j + 11], v, c11);
    }
    double[] r = raw;
    r[0] = c0;
    r[1] = c1;
    r[2] = c2;
    r[3] = c3;
    r[4] = c4;
    r[5] = c5;
    r[6] = c6;
    r[7] = c7;
    r[8] = c8;
    r[9] = c9;
    r[10] = c10;
    r[11] = c11;
    double max = 0;
    for (double v : r) {
      max = Math.max(max, Math.abs(v));
    }
    double norm = max < Double.MIN_NORMAL ? 1.0 : max;
    for (int c = 0; c < r.length; c++) {
      out[at + c] = (float) (r[c] / norm);
    }
  }
}
