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
 * butterflies; other sizes use JTransforms' {@code complexForward}. Not thread-safe; nothing is allocated per frame.
 *
 * <p>Accuracy: the frames share one transform, so the rounding error of a bin of A is relative to the larger of the
 * two frames (about {@code 1e-16 log2(n)} of its norm), not to A alone; a frame next to one louder by 120 dB keeps
 * about nine digits, still far below the float32 rounding of librosa's own STFT.
 */
public abstract class FramePairFft {
  final int nFft;

  FramePairFft(int nFft) {
    this.nFft = nFft;
  }

  /** The FFT for {@code nFft} with the (zero-padded, {@code nFft}-long) window {@code window} applied on load. */
  public static FramePairFft create(int nFft, double[] window) {
    if (Integer.bitCount(nFft) == 1 && nFft >= FourStep.MIN_SIZE) {
      return new FourStep(nFft, window);
    }
    return new Interleaved(nFft, window);
  }

  /** The chunk length of the {@link SampleRing} that {@link #load} reads fastest from. */
  public abstract int chunkLength();

  /** Windows positions {@code [start, start + nFft)} of {@code ring} into frame {@code slot} (0: A, 1: B). */
  public abstract void load(int slot, SampleRing ring, long start);

  /** Sets frame {@code slot} to zeros. */
  public abstract void clear(int slot);

  /**
   * Transforms the loaded pair: {@code pA[k] = |A[k]|^2}, {@code pB[k] = |B[k]|^2} for {@code 0 <= k <= nFft/2}.
   * Both frames must be loaded (or cleared) again before the next call.
   */
  public abstract void powerSpectra(double[] pA, double[] pB);

  /** Multiplies the loaded frame {@code slot} by {@code factor}. */
  public abstract void scale(int slot, double factor);

  /** A zeroed running sum for {@link #addPower}, in this transform's internal order. */
  public abstract double[][] newPowerSum();

  /**
   * Transforms the loaded pair and adds {@code |Z[k]|^2} of its complex transform {@code Z = FFT(A + iB)}, every
   * {@code k < nFft}, to {@code sum}. For real frames {@code |Z[k]|^2 + |Z[n-k]|^2 = 2 (|A[k]|^2 + |B[k]|^2)}, so a
   * sum of (scaled) frames' power spectra needs no separation of the pairs: {@link #powerSum} gives it at the end.
   * Both frames must be loaded (or cleared) again before the next call.
   */
  public abstract void addPower(double[][] sum);

  /** {@code out[k]} for {@code 0 <= k <= nFft/2}: the sum of the power spectra of every frame added to {@code sum}. */
  public void powerSum(double[][] sum, double[] out) {
    double[] z = new double[nFft];
    naturalOrder(sum, z);
    for (int k = 0; k <= nFft / 2; k++) {
      out[k] = (z[k] + z[(nFft - k) % nFft]) * 0.5;
    }
  }

  /** {@code z[k]} from {@code sum}'s internal order. */
  abstract void naturalOrder(double[][] sum, double[] z);

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
    public int chunkLength() {
      return 64;
    }

    @Override
    public void load(int slot, SampleRing ring, long start) {
      double[] w = window;
      double[] x = z;
      int mask = ring.chunkLength - 1;
      for (int i = 0, n = nFft; i < n; ) {
        long p = start + i;
        double[] chunk = ring.chunk(p >> ring.chunkBits);
        int at = (int) p & mask;
        int m = Math.min(n - i, ring.chunkLength - at);
        for (int j = 0; j < m; j++, i++) {
          x[2 * i + slot] = chunk[at + j] * w[i];
        }
      }
    }

    @Override
    public void clear(int slot) {
      double[] x = z;
      for (int i = 0, n = nFft; i < n; i++) {
        x[2 * i + slot] = 0.0;
      }
    }

    @Override
    public void scale(int slot, double factor) {
      double[] x = z;
      for (int i = 0, n = nFft; i < n; i++) {
        x[2 * i + slot] *= factor;
      }
    }

    @Override
    public double[][] newPowerSum() {
      return new double[1][nFft];
    }

    @Override
    public void addPower(double[][] sum) {
      double[] x = z;
      fft.complexForward(x);
      double[] s = sum[0];
      for (int k = 0, n = nFft; k < n; k++) {
        s[k] += x[2 * k] * x[2 * k] + x[2 * k + 1] * x[2 * k + 1];
      }
    }

    @Override
    void naturalOrder(double[][] sum, double[] out) {
      System.arraycopy(sum[0], 0, out, 0, nFft);
    }

    @Override
    public void powerSpectra(double[] pA, double[] pB) {
      double[] x = z;
      fft.complexForward(x);
      int n = nFft;
      for (int k = 0, half = n / 2; k <= half; k++) {
        int j = (n - k) % n;
        double a = x[2 * k];
        double b = x[2 * k + 1];
        double c = x[2 * j];
        double d = x[2 * j + 1];
        double ar = a + c;
        double ai = b - d;
        double br = a - c;
        double bi = b + d;
        pA[k] = (ar * ar + ai * ai) * 0.25;
        pB[k] = (br * br + bi * bi) * 0.25;
      }
    }
  }

  /**
   * Four-step complex FFT of {@code n = R * C} (powers of two, {@code R <= C}) on split real/imaginary arrays:
   *
   * <ol>
   *   <li>an {@code R}-point decimation-in-time FFT across {@code R} row arrays of length {@code C}, its first pass
   *       fused with the window (and reading the rows straight from the sample ring when they are whole chunks);
   *   <li>a multiplication by {@code W_n^(c k1)};
   *   <li>a transposition, fused with the first two (twiddle-free) passes of
   *   <li>a {@code C}-point FFT across {@code C/2} arrays of length {@code 2R}, each holding positions {@code p} and
   *       {@code p + C/2}, which share every twiddle but the last pass's (so the loops are twice as long), giving
   *       {@code X[k1 + R k2]} at {@code [k2 mod C/2][k1 + R (k2 >= C/2)]};
   *   <li>the separation of the two spectra (scalar: it pairs {@code k} with {@code n - k}).
   * </ol>
   *
   * <p>Every vectorised loop runs over whole arrays, at most six of them, indexed by the bare loop variable (or that
   * plus a compile-time constant), with scalar twiddles: the only shapes JDK 17's superword pass vectorises. An
   * index with a run-time offset, more arrays, or a bigger body (a radix-4 butterfly with twiddles) keep a loop
   * scalar. Measured on the 2-core AMD EPYC (AVX-512) development machine, JDK 17.
   */
  static final class FourStep extends FramePairFft {
    static final int MIN_SIZE = 64;

    private final int rows; // R
    private final int cols; // C
    /** Step-1 data, {@code [R][C]}: position {@code rowAt[r]} holds samples {@code [C r, C r + C)}. */
    private final double[][] re;
    private final double[][] im;
    private final int[] rowAt;
    /** Window of the samples at each step-1 position, {@code [R][C]}. */
    private final double[][] windowAt;
    /** {@code W_n^(c k1)}, {@code [R][C]}. */
    private final double[][] twiddleRe;
    private final double[][] twiddleIm;
    /**
     * Step-3 data, {@code [C/2][2R]}: array {@code p} holds position {@code p} in {@code [0, R)} and position
     * {@code p + C/2} in {@code [R, 2R)}; column c goes to position {@code bitrev(c)}.
     */
    private final double[][] tRe;
    private final double[][] tIm;
    private final int[] colArray;
    private final int[] colOffset;
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
      rowAt = bitReversal(logR);
      windowAt = new double[rows][cols];
      twiddleRe = new double[rows][cols];
      twiddleIm = new double[rows][cols];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(window, r * cols, windowAt[rowAt[r]], 0, cols);
        for (int c = 0; c < cols; c++) {
          double angle = -2.0 * Math.PI * (double) ((long) c * r) / n;
          twiddleRe[r][c] = Math.cos(angle);
          twiddleIm[r][c] = Math.sin(angle);
        }
      }
      int half = cols / 2;
      tRe = new double[half][2 * rows];
      tIm = new double[half][2 * rows];
      int[] colAt = bitReversal(logC);
      colArray = new int[cols];
      colOffset = new int[cols];
      for (int c = 0; c < cols; c++) {
        colArray[c] = colAt[c] % half;
        colOffset[c] = colAt[c] < half ? 0 : rows;
      }
      rowWRe = new double[rows / 2];
      rowWIm = new double[rows / 2];
      roots(rows, rowWRe, rowWIm);
      colWRe = new double[half];
      colWIm = new double[half];
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
    public int chunkLength() {
      return cols;
    }

    /**
     * Step 1's first pass with the window applied: positions {@code b} and {@code b + 1} hold rows {@code r} and
     * {@code r + R/2}. A frame starting on a chunk boundary reads its rows straight from the ring's chunks; any
     * other is copied into place first.
     */
    @Override
    public void load(int slot, SampleRing ring, long start) {
      double[][] data = slot == 0 ? re : im;
      double[][] w = windowAt;
      int c = cols;
      int halfRows = rows / 2;
      if (ring.chunkLength == c && (start & (c - 1)) == 0) {
        long first = start >> ring.chunkBits;
        for (int b = 0; b < rows; b += 2) {
          long row = first + rowAt[b];
          windowedPlain(ring.chunk(row), ring.chunk(row + halfRows), w[b], w[b + 1], data[b], data[b + 1], c);
        }
      } else {
        for (int b = 0; b < rows; b += 2) {
          long row = start + (long) rowAt[b] * c;
          ring.read(row, data[b], 0, c);
          ring.read(row + (long) halfRows * c, data[b + 1], 0, c);
          windowedPlain(data[b], data[b + 1], w[b], w[b + 1], data[b], data[b + 1], c);
        }
      }
    }

    /** {@code (ox, oy) <- (wx x + wy y, wx x - wy y)}. */
    private static void windowedPlain(
        double[] x, double[] y, double[] wx, double[] wy, double[] ox, double[] oy, int len) {
      for (int k = 0; k < len; k++) {
        double u = x[k] * wx[k];
        double v = y[k] * wy[k];
        ox[k] = u + v;
        oy[k] = u - v;
      }
    }

    @Override
    public void clear(int slot) {
      for (double[] row : slot == 0 ? re : im) {
        java.util.Arrays.fill(row, 0.0);
      }
    }

    @Override
    public void powerSpectra(double[] pA, double[] pB) {
      transform();
      separate(pA, pB);
    }

    /** Steps 1 to 4: {@code Z} in {@link #tRe}, {@link #tIm}. */
    private void transform() {
      passes(re, im, rowWRe, rowWIm, rows, cols, 2, rows);
      twiddle();
      transpose();
      passes(tRe, tIm, colWRe, colWIm, cols / 2, 2 * rows, 4, cols);
      lastPass();
    }

    @Override
    public void scale(int slot, double factor) {
      for (double[] row : slot == 0 ? re : im) {
        for (int k = 0; k < row.length; k++) {
          row[k] *= factor;
        }
      }
    }

    /** The shape of step 3's output: {@code [C/2][2R]}. */
    @Override
    public double[][] newPowerSum() {
      return new double[cols / 2][2 * rows];
    }

    @Override
    public void addPower(double[][] sum) {
      transform();
      for (int p = 0; p < sum.length; p++) {
        double[] s = sum[p];
        double[] zr = tRe[p];
        double[] zi = tIm[p];
        for (int k = 0; k < s.length; k++) {
          s[k] += zr[k] * zr[k] + zi[k] * zi[k];
        }
      }
    }

    /** {@code Z[k1 + R k2]} is at index {@code k1} of array {@code k2} for {@code k2 < C/2}, else at {@code R + k1} of array {@code k2 - C/2}. */
    @Override
    void naturalOrder(double[][] sum, double[] out) {
      int half = cols / 2;
      for (int k2 = 0; k2 < cols; k2++) {
        double[] s = sum[k2 % half];
        int offset = k2 < half ? 0 : rows;
        for (int k1 = 0; k1 < rows; k1++) {
          out[k1 + rows * k2] = s[offset + k1];
        }
      }
    }

    /**
     * Radix-2 decimation-in-time passes of span {@code firstSpan} and up across {@code count} arrays of length
     * {@code len}; {@code wr, wi} hold {@code W_roots^j}, and a pass of span h uses {@code W_2h^j}.
     */
    private static void passes(
        double[][] xr, double[][] xi, double[] wr, double[] wi, int count, int len, int firstSpan, int roots) {
      for (int h = firstSpan; h < count; h <<= 1) {
        int step = roots / (2 * h); // W_2h^j = W_roots^(j step)
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

    /**
     * The transposition fused with step 3's first two (twiddle-free) passes. Columns {@code c}, {@code c + C/2},
     * {@code c + C/4} and {@code c + 3C/4} ({@code c < C/4}) go to positions {@code 4i .. 4i + 3},
     * {@code 4i = bitrev(c)}, which those passes combine as a radix-4 butterfly; the four positions lie in four
     * consecutive arrays, at the same offset.
     */
    private void transpose() {
      double[][] xr = re;
      double[][] xi = im;
      int r = rows;
      int half = cols / 2;
      int quarter = cols / 4;
      for (int c = 0; c < quarter; c++) {
        int a = colArray[c];
        int o = colOffset[c];
        double[] r0 = tRe[a];
        double[] r1 = tRe[a + 1];
        double[] r2 = tRe[a + 2];
        double[] r3 = tRe[a + 3];
        double[] i0 = tIm[a];
        double[] i1 = tIm[a + 1];
        double[] i2 = tIm[a + 2];
        double[] i3 = tIm[a + 3];
        int c1 = c + half;
        int c2 = c + quarter;
        int c3 = c2 + half;
        for (int k1 = 0; k1 < r; k1++) {
          double[] sr = xr[k1];
          double[] si = xi[k1];
          double a0r = sr[c];
          double a1r = sr[c1];
          double a2r = sr[c2];
          double a3r = sr[c3];
          double a0i = si[c];
          double a1i = si[c1];
          double a2i = si[c2];
          double a3i = si[c3];
          double u0r = a0r + a1r;
          double u0i = a0i + a1i;
          double u1r = a0r - a1r;
          double u1i = a0i - a1i;
          double u2r = a2r + a3r;
          double u2i = a2i + a3i;
          double u3r = a2r - a3r;
          double u3i = a2i - a3i;
          int at = o + k1;
          r0[at] = u0r + u2r;
          i0[at] = u0i + u2i;
          r2[at] = u0r - u2r;
          i2[at] = u0i - u2i;
          r1[at] = u1r + u3i;
          i1[at] = u1i - u3r;
          r3[at] = u1r - u3i;
          i3[at] = u1i + u3r;
        }
      }
    }

    /**
     * Step 3's last pass: positions p (first half of array p) and p + C/2 (second half), twiddle {@code W_C^p}. The
     * offset between the halves must be a compile-time constant for C2 to vectorise the loop, hence one call site
     * per common R (each inlines {@link #lastButterfly} with its constant); other sizes run it scalar.
     */
    private void lastPass() {
      double[][] xr = tRe;
      double[][] xi = tIm;
      double[] wr = colWRe;
      double[] wi = colWIm;
      int arrays = cols / 2;
      switch (rows) {
        case 8 -> {
          for (int p = 0; p < arrays; p++) {
            lastButterfly(xr[p], xi[p], wr[p], wi[p], 8);
          }
        }
        case 16 -> {
          for (int p = 0; p < arrays; p++) {
            lastButterfly(xr[p], xi[p], wr[p], wi[p], 16);
          }
        }
        case 32 -> {
          for (int p = 0; p < arrays; p++) {
            lastButterfly(xr[p], xi[p], wr[p], wi[p], 32);
          }
        }
        case 64 -> {
          for (int p = 0; p < arrays; p++) {
            lastButterfly(xr[p], xi[p], wr[p], wi[p], 64);
          }
        }
        default -> {
          for (int p = 0; p < arrays; p++) {
            lastButterfly(xr[p], xi[p], wr[p], wi[p], rows);
          }
        }
      }
    }

    /** {@code (x[k], x[r + k]) <- (x[k] + w x[r + k], x[k] - w x[r + k])} for {@code w = c + i s}. */
    private static void lastButterfly(double[] xr, double[] xi, double c, double s, int r) {
      for (int k = 0; k < r; k++) {
        double br = xr[r + k];
        double bi = xi[r + k];
        double tr = br * c - bi * s;
        double ti = br * s + bi * c;
        double ar = xr[k];
        double ai = xi[k];
        xr[k] = ar + tr;
        xi[k] = ai + ti;
        xr[r + k] = ar - tr;
        xi[r + k] = ai - ti;
      }
    }

    /**
     * The two power spectra from step 3's output: {@code Z[k1 + R k2]} is at index k1 of array {@code k2} for
     * {@code k2 < C/2} and at {@code R + k1} of array {@code k2 - C/2} otherwise. The partner of {@code k = k1 + R p}
     * is {@code Z[(R - k1) + R (C - 1 - p)]}, index {@code 2R - k1} of array {@code C/2 - 1 - p}, for k1 > 0, and
     * {@code Z[R (C - p)]}, index R of array {@code C/2 - p}, for k1 = 0 (Z[0] and Z[n/2] pair with themselves).
     */
    private void separate(double[] pA, double[] pB) {
      double[][] zr = tRe;
      double[][] zi = tIm;
      int r = rows;
      int arrays = cols / 2;
      double a0 = zr[0][0];
      double b0 = zi[0][0];
      pair(a0, b0, a0, b0, pA, pB, 0);
      for (int p = 1; p < arrays; p++) {
        pair(zr[p][0], zi[p][0], zr[arrays - p][r], zi[arrays - p][r], pA, pB, r * p);
      }
      // k1 > 0: arrays p and q = C/2 - 1 - p give k = k1 + R p and k = k1 + R q, each other's partners' arrays.
      for (int p = 0; p < arrays / 2; p++) {
        int q = arrays - 1 - p;
        double[] pr = zr[p];
        double[] pi = zi[p];
        double[] qr = zr[q];
        double[] qi = zi[q];
        int kp = r * p;
        int kq = r * q;
        for (int k1 = 1, m = 2 * r - 1; k1 < r; k1++, m--) {
          double a = pr[k1];
          double b = pi[k1];
          double c = qr[m];
          double d = qi[m];
          double xr = a + c;
          double xi = b - d;
          double yr = a - c;
          double yi = b + d;
          pA[kp + k1] = (xr * xr + xi * xi) * 0.25;
          pB[kp + k1] = (yr * yr + yi * yi) * 0.25;
          a = qr[k1];
          b = qi[k1];
          c = pr[m];
          d = pi[m];
          xr = a + c;
          xi = b - d;
          yr = a - c;
          yi = b + d;
          pA[kq + k1] = (xr * xr + xi * xi) * 0.25;
          pB[kq + k1] = (yr * yr + yi * yi) * 0.25;
        }
      }
      double a = zr[0][r];
      double b = zi[0][r];
      pair(a, b, a, b, pA, pB, nFft / 2);
    }
  }

  /** {@code |A[k]|^2, |B[k]|^2} into {@code pA[k], pB[k]} from {@code Z[k] = a + ib}, {@code Z[n-k] = c + id}. */
  static void pair(double a, double b, double c, double d, double[] pA, double[] pB, int k) {
    double xr = a + c;
    double xi = b - d;
    double yr = a - c;
    double yi = b + d;
    pA[k] = (xr * xr + xi * xi) * 0.25;
    pB[k] = (yr * yr + yi * yi) * 0.25;
  }
}
