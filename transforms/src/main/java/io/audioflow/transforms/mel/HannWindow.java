package io.audioflow.transforms.mel;

/** The Hann window's two definitions, so every analysis (mel, features, tempo, Demucs) builds it the same way. */
public enum HannWindow {
  /**
   * scipy {@code get_window('hann', n, fftbins=True)} (librosa's, and torch's {@code hann_window(n)}):
   * {@code 0.5 - 0.5 cos(2 pi i / n)}, computed as scipy does ({@code 0.5 + 0.5 cos(x)} over
   * {@code np.linspace(-pi, pi, n + 1)}) so that it matches to the last bit where the cosines agree.
   */
  PERIODIC,
  /** Essentia's {@code Windowing(type='hann')}: {@code 0.5 - 0.5 cos(2 pi i / (n - 1))}. */
  SYMMETRIC;

  /** The window's {@code n} values. */
  public double[] values(int n) {
    double[] w = new double[n];
    if (this == PERIODIC) {
      double step = (Math.PI - -Math.PI) / n;
      for (int i = 0; i < n; i++) {
        w[i] = 0.5 + 0.5 * Math.cos(i * step + -Math.PI);
      }
    } else {
      for (int i = 0; i < n; i++) {
        w[i] = n == 1 ? 1.0 : 0.5 - 0.5 * Math.cos(2.0 * Math.PI * i / (n - 1));
      }
    }
    return w;
  }
}
