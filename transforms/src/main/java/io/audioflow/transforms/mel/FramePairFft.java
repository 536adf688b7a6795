package io.audioflow.transforms.mel;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Power spectra of two windowed real frames from one complex FFT of size {@code nFft}: frame A is the real part,
 * frame B the imaginary part, and with {@code Z = FFT(A + iB)} the spectra separate as
 * {@code A[k] = (Z[k] + conj Z[n-k]) / 2}, {@code B[k] = (Z[k] - conj Z[n-k]) / 2i}, so
 * {@code |A[k]|^2 = ((Re Z[k] + Re Z[n-k])^2 + (Im Z[k] - Im Z[n-k])^2) / 4} and
 * {@code |B[k]|^2 = ((Re Z[k] - Re Z[n-k])^2 + (Im Z[k] + Im Z[n-k])^2) / 4}.
 *
 * <p>Power-of-two sizes from 64 up use {@link FourStep}, a split-format FFT written so that C2 vectorises its
 * butterflies; other sizes use JTransforms' {@code complexForward}. Not thread-safe; nothing is allocated per call.
 */
abstract class FramePairFft {
  final int nFft;

  FramePairFft(int nFft) {
    this.nFft = nFft;
  }

  /** The FFT for {@code nFft} with the (zero-padded, {@code nFft}-long) window {@code window} applied on load. */
  static FramePairFft create(int nFft, double[] window) {
    if (Integer.bitCount(nFft) == 1 && nFft >= FourStep.MIN_SIZE) {
      return new FourStep(nFft, window);
    }
    return new Interleaved(nFft, window);
  }

  /** Windows {@code buf[offset .. offset + nFft)} into frame {@code slot} (0: A, 1: B). */
  abstract void load(int slot, double[] buf, int offset);

  /** Sets frame {@code slot} to zeros. */
  abstract void clear(int slot);

  /**
   * Transforms the loaded pair: {@code pAB[2k] = |A[k]|^2}, {@code pAB[2k + 1] = |B[k]|^2} for
   * {@code 0 <= k <= nFft/2}. Both frames must be loaded (or cleared) again before the next call.
   */
  abstract void powerSpectra(double[] pAB);

  /** JTransforms on interleaved complex data: any size. */
  static final class Interleaved extends FramePairFft {
    private final DoubleFFT_1D fft;
    private final double[] window;
    private final double[] z;

    Interleaved(int nFft, double[] window) {
      super(nFft);
      this.fft = new DoubleFFT_1D(nFft);
      this.window = window.clone();
      this.z = new double[2 * nFft];
    }

    @Override
    void load(int slot, double[] buf, int offset) {
      double[] w = window;
      double[] x = z;
      for (int i = 0, n = nFft; i < n; i++) {
        x[2 * i + slot] = buf[offset + i] * w[i];
      }
    }

    @Override
    void clear(int slot) {
      double[] x = z;
      for (int i = 0, n = nFft; i < n; i++) {
        x[2 * i + slot] = 0.0;
      }
    }

    @Override
    void powerSpectra(double[] pAB) {
      double[] x = z;
      fft.complexForward(x);
      int n = nFft;
      pair(x[0], x[1], x[0], x[1], pAB, 0);
      for (int k = 1, half = n / 2; k <= half; k++) {
        int j = n - k;
        pair(x[2 * k], x[2 * k + 1], x[2 * j], x[2 * j + 1], pAB, 2 * k);
      }
    }
  }

  /** Separates {@code Z[k] = a + ib}, {@code Z[n-k] = c + id} into {@code |A[k]|^2, |B[k]|^2} at {@code at}. */
  static void pair(double a, double b, double c, double d, double[] pAB, int at) {
    double ar = a + c;
    double ai = b - d;
    double br = a - c;
    double bi = b + d;
    pAB[at] = (ar * ar + ai * ai) * 0.25;
    pAB[at + 1] = (br * br + bi * bi) * 0.25;
  }

  /**
   * Four-step complex FFT of {@code n = R * C} (powers of two, {@code R <= C}) on split real/imaginary arrays. Step
   * 1 is an {@code R}-point decimation-in-time FFT across {@code R} row arrays of length {@code C}, step 2
   * multiplies by {@code W_n^(c k1)} and transposes, step 3 is a {@code C}-point FFT across {@code C} arrays of
   * length {@code R}, giving {@code X[k1 + R k2]} at {@code [k2][k1]}. Every butterfly is a loop over whole arrays
   * with one scalar twiddle, all indexed by the bare loop variable: the only shape JDK 17's superword pass
   * vectorises (an offset in an index, or a twiddle table read beside offset data, keeps a loop scalar).
   */
  static final class FourStep extends FramePairFft {
    static final int MIN_SIZE = 64;

    private final int rows; // R
    private final int cols; // C
    /** Step-1 data, {@code [R][C]}: the row at {@link #rowAt}{@code [r]} holds samples {@code [C r, C r + C)}. */
    private final double[][] re;
    private final double[][] im;
    /** Window rows in natural order, {@code [R][C]}. */
    private final double[][] windowRows;
    private final int[] rowAt;
    /** {@code W_n^(c k1)}, {@code [R][C]}. */
    private final double[][] twiddleRe;
    private final double[][] twiddleIm;
    /** Step-3 data, {@code [C][R]}: array {@code colAt[c]} holds column c; after step 3, array k2 holds k2. */
    private final double[][] tRe;
    private final double[][] tIm;
    private final int[] colAt;
    private final double[] rowWRe; // W_R^j, j < R/2
    private final double[] rowWIm;
    private final double[] colWRe; // W_C^j, j < C/2
    private final double[] colWIm;

    FourStep(int n, double[] window) {
      super(n);
      int log = Integer.numberOfTrailingZeros(n);
      int logR = log / 2;
      int logC = log - logR;
      rows = 1 << logR;
      cols = 1 << logC;
      re = new double[rows][cols];
      im = new double[rows][cols];
      windowRows = new double[rows][cols];
      twiddleRe = new double[rows][cols];
      twiddleIm = new double[rows][cols];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(window, r * cols, windowRows[r], 0, cols);
        for (int c = 0; c < cols; c++) {
          double angle = -2.0 * Math.PI * (double) ((long) c * r) / n;
          twiddleRe[r][c] = Math.cos(angle);
          twiddleIm[r][c] = Math.sin(angle);
        }
      }
      tRe = new double[cols][rows];
      tIm = new double[cols][rows];
      rowAt = bitReversal(logR);
      colAt = bitReversal(logC);
      rowWRe = new double[rows / 2];
      rowWIm = new double[rows / 2];
      roots(rows, rowWRe, rowWIm);
      colWRe = new double[cols / 2];
      colWIm = new double[cols / 2];
      roots(cols, colWRe, colWIm);
    }

    private static int[] bitReversal(int bits) {
      int[] rev = new int[1 << bits];
      for (int i = 0; i < rev.length; i++) {
        rev[i] = Integer.reverse(i) >>> (32 - bits);
      }
      return rev;
    }

    /** {@code W_m^j = exp(-2 pi i j / m)} for {@code j < m/2}. */
    private static void roots(int m, double[] wr, double[] wi) {
      for (int j = 0; j < m / 2; j++) {
        double angle = -2.0 * Math.PI * j / m;
        wr[j] = Math.cos(angle);
        wi[j] = Math.sin(angle);
      }
    }

    @Override
    void load(int slot, double[] buf, int offset) {
      double[][] data = slot == 0 ? re : im;
      int c = cols;
      for (int r = 0; r < rows; r++) {
        double[] row = data[rowAt[r]];
        System.arraycopy(buf, offset + r * c, row, 0, c);
        multiply(row, windowRows[r], c);
      }
    }

    private static void multiply(double[] x, double[] w, int len) {
      for (int i = 0; i < len; i++) {
        x[i] *= w[i];
      }
    }

    @Override
    void clear(int slot) {
      for (double[] row : slot == 0 ? re : im) {
        java.util.Arrays.fill(row, 0.0);
      }
    }

    @Override
    void powerSpectra(double[] pAB) {
      fft(re, im, rowWRe, rowWIm, rows, cols);
      twiddle();
      transpose(re, tRe);
      transpose(im, tIm);
      fft(tRe, tIm, colWRe, colWIm, cols, rows);
      separate(pAB);
    }

    /** In-place radix-2 decimation-in-time FFT across {@code count} arrays (bit-reversed in, natural out). */
    private static void fft(double[][] xr, double[][] xi, double[] wr, double[] wi, int count, int len) {
      for (int h = 1; h < count; h <<= 1) {
        int step = count / (2 * h); // W_2h^j = W_count^(j step)
        int quarter = h / 2; // W_2h^(h/2) = -i
        for (int b = 0; b < count; b += 2 * h) {
          plain(xr[b], xi[b], xr[b + h], xi[b + h], len);
          for (int j = 1; j < h; j++) {
            int a = b + j;
            if (j == quarter) {
              minusI(xr[a], xi[a], xr[a + h], xi[a + h], len);
            } else {
              twiddled(xr[a], xi[a], xr[a + h], xi[a + h], wr[j * step], wi[j * step], len);
            }
          }
        }
      }
    }

    /** {@code (x, y) <- (x + y, x - y)}. */
    private static void plain(double[] xr, double[] xi, double[] yr, double[] yi, int len) {
      for (int k = 0; k < len; k++) {
        double ar = xr[k];
        double ai = xi[k];
        double br = yr[k];
        double bi = yi[k];
        xr[k] = ar + br;
        xi[k] = ai + bi;
        yr[k] = ar - br;
        yi[k] = ai - bi;
      }
    }

    /** {@code (x, y) <- (x - i y, x + i y)}. */
    private static void minusI(double[] xr, double[] xi, double[] yr, double[] yi, int len) {
      for (int k = 0; k < len; k++) {
        double ar = xr[k];
        double ai = xi[k];
        double br = yr[k];
        double bi = yi[k];
        xr[k] = ar + bi;
        xi[k] = ai - br;
        yr[k] = ar - bi;
        yi[k] = ai + br;
      }
    }

    /** {@code (x, y) <- (x + w y, x - w y)} for {@code w = c + i s}. */
    private static void twiddled(double[] xr, double[] xi, double[] yr, double[] yi, double c, double s, int len) {
      for (int k = 0; k < len; k++) {
        double br = yr[k];
        double bi = yi[k];
        double tr = br * c - bi * s;
        double ti = br * s + bi * c;
        double ar = xr[k];
        double ai = xi[k];
        xr[k] = ar + tr;
        xi[k] = ai + ti;
        yr[k] = ar - tr;
        yi[k] = ai - ti;
      }
    }

    /** Row k1 of the step-1 output times {@code W_n^(c k1)} (row 0 is all ones). */
    private void twiddle() {
      for (int k1 = 1; k1 < rows; k1++) {
        double[] xr = re[k1];
        double[] xi = im[k1];
        double[] wr = twiddleRe[k1];
        double[] wi = twiddleIm[k1];
        for (int c = 0, len = cols; c < len; c++) {
          double a = xr[c];
          double b = xi[c];
          double cos = wr[c];
          double sin = wi[c];
          xr[c] = a * cos - b * sin;
          xi[c] = a * sin + b * cos;
        }
      }
    }

    /** {@code dst[colAt[c]][k1] = src[k1][c]}, eight rows at a time (R >= 8). */
    private void transpose(double[][] src, double[][] dst) {
      int[] at = colAt;
      for (int k1 = 0; k1 < rows; k1 += 8) {
        double[] x0 = src[k1];
        double[] x1 = src[k1 + 1];
        double[] x2 = src[k1 + 2];
        double[] x3 = src[k1 + 3];
        double[] x4 = src[k1 + 4];
        double[] x5 = src[k1 + 5];
        double[] x6 = src[k1 + 6];
        double[] x7 = src[k1 + 7];
        for (int c = 0, len = cols; c < len; c++) {
          double[] d = dst[at[c]];
          d[k1 + 7] = x7[c];
          d[k1] = x0[c];
          d[k1 + 1] = x1[c];
          d[k1 + 2] = x2[c];
          d[k1 + 3] = x3[c];
          d[k1 + 4] = x4[c];
          d[k1 + 5] = x5[c];
          d[k1 + 6] = x6[c];
        }
      }
    }

    /** Z[k1 + R k2] is at {@code [k2][k1]}; its partner Z[n - k] at {@code [C-1-k2][R-k1]}, or [C-k2][0] for k1 = 0. */
    private void separate(double[] pAB) {
      int r = rows;
      int c = cols;
      double[][] zr = tRe;
      double[][] zi = tIm;
      for (int k2 = 0; k2 < c / 2; k2++) {
        double[] ar = zr[k2];
        double[] ai = zi[k2];
        double[] br = zr[c - 1 - k2];
        double[] bi = zi[c - 1 - k2];
        int mirror = (c - k2) & (c - 1);
        int at = 2 * r * k2;
        pair(ar[0], ai[0], zr[mirror][0], zi[mirror][0], pAB, at);
        for (int k1 = 1; k1 < r; k1++) {
          pair(ar[k1], ai[k1], br[r - k1], bi[r - k1], pAB, at + 2 * k1);
        }
      }
      double a = zr[c / 2][0];
      double b = zi[c / 2][0];
      pair(a, b, a, b, pAB, nFft);
    }
  }
}
