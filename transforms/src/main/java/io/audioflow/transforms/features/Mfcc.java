package io.audioflow.transforms.features;

/**
 * The last step of {@code librosa.feature.mfcc(n_mfcc=20, dct_type=2, norm='ortho', lifter=0)}: the first 20
 * coefficients of the orthonormal DCT-II ({@code scipy.fft.dct}) of a frame's 128 mel bands in dB, as a 20 x 128
 * matrix: {@code c_0 = sqrt(1/N) sum x_n}, {@code c_k = sqrt(2/N) sum x_n cos(pi k (2n + 1) / (2N))}.
 */
final class Mfcc {
  static final int N_MFCC = 20;

  private final double[] matrix; // row k at [k * bands, (k + 1) * bands)
  private final int bands;

  Mfcc(int bands) {
    this.bands = bands;
    this.matrix = new double[N_MFCC * bands];
    for (int k = 0; k < N_MFCC; k++) {
      double scale = Math.sqrt((k == 0 ? 1.0 : 2.0) / bands);
      for (int n = 0; n < bands; n++) {
        matrix[k * bands + n] = scale * Math.cos(Math.PI * k * (2 * n + 1) / (2.0 * bands));
      }
    }
  }

  /** Writes the 20 coefficients of {@code db} to {@code out[at ..]}. */
  void apply(double[] db, float[] out, int at) {
    double[] a = matrix;
    for (int k = 0, row = 0; k < N_MFCC; k++, row += bands) {
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      for (int n = 0; n < bands; n += 4) { // bands is 128, a multiple of 4
        s0 = Math.fma(a[row + n], db[n], s0);
        s1 = Math.fma(a[row + n + 1], db[n + 1], s1);
        s2 = Math.fma(a[row + n + 2], db[n + 2], s2);
        s3 = Math.fma(a[row + n + 3], db[n + 3], s3);
      }
      out[at + k] = (float) ((s0 + s1) + (s2 + s3));
    }
  }
}
