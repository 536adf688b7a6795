package io.audioflow.transforms.features;

import java.util.Arrays;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * {@code librosa.feature.tempo(onset_envelope, sr, hop_length)} with its defaults (librosa 0.11): the autocorrelation
 * tempogram ({@code ac_size} 8 s of onset frames, periodic Hann, centred with linear-ramp padding, each frame's
 * autocorrelation divided by its largest magnitude), averaged over frames, weighted by a log-normal prior around
 * 120 BPM ({@code std_bpm} 1 octave) with lags above 320 BPM excluded; the tempo is the best lag's BPM.
 *
 * <p>Rather than one inverse FFT per tempogram frame, the frames' power spectra are summed, each weighted by the
 * inverse of its autocorrelation's largest magnitude (its lag-0 value, the windowed frame's energy), and one inverse
 * FFT at the end gives the sum of the normalised autocorrelations: the inverse FFT is linear. Two frames share each
 * forward transform (one complex FFT of two real frames). The FFT length is a power of two of at least
 * {@code 2 * win_length - 1}, so the circular autocorrelation equals the linear one over the lags kept, as scipy's
 * zero padding gives. Memory: the padded envelope, 8 bytes a frame, while estimating.
 */
final class Tempo {
  private static final double AC_SIZE_SECONDS = 8.0;
  private static final double START_BPM = 120.0;
  private static final double STD_BPM = 1.0;
  private static final double MAX_TEMPO = 320.0;

  private final int winLength;
  private final int nFft;
  private final double[] hann;
  private final DoubleFFT_1D fft;
  private final double[] pair; // two frames, interleaved as the real and imaginary parts of one complex input
  private final double[] spectrumSum;
  private final double[] bpm;
  private final double[] logPrior;

  Tempo(int sampleRate, int hop) {
    // time_to_frames(ac_size, sr, hop): int(ac_size * sr) // hop
    this.winLength = (int) ((long) (AC_SIZE_SECONDS * sampleRate) / hop);
    if (winLength < 2) {
      throw new IllegalArgumentException("tempo needs at least 2 onset frames in 8 s; sr=" + sampleRate);
    }
    this.nFft = Integer.highestOneBit(2 * winLength - 1) << 1;
    this.hann = Stft.periodicHann(winLength);
    this.fft = new DoubleFFT_1D(nFft);
    this.pair = new double[2 * nFft];
    this.spectrumSum = new double[nFft / 2 + 1];
    // tempo_frequencies: bin 0 is infinite; bin k is 60 sr / (hop k).
    this.bpm = new double[winLength];
    this.logPrior = new double[winLength];
    bpm[0] = Double.POSITIVE_INFINITY;
    for (int k = 1; k < winLength; k++) {
      bpm[k] = 60.0 * sampleRate / (hop * (double) k);
    }
    int maxIndex = 0; // np.argmax(bpms < max_tempo): the first bin under max_tempo (0 if none)
    while (maxIndex < winLength && !(bpm[maxIndex] < MAX_TEMPO)) {
      maxIndex++;
    }
    if (maxIndex == winLength) {
      maxIndex = 0;
    }
    for (int k = 0; k < winLength; k++) {
      double z = (log2(bpm[k]) - log2(START_BPM)) / STD_BPM;
      logPrior[k] = k < maxIndex ? Double.NEGATIVE_INFINITY : -0.5 * (z * z);
    }
  }

  /** The tempo of {@code onset[0, n)}, {@code n >= 1}, in BPM. */
  double estimate(double[] onset, int n) {
    double[] padded = linearRampPadded(onset, n, winLength / 2);
    Arrays.fill(spectrumSum, 0.0);
    for (int t = 0; t < n; t += 2) {
      double weightA = window(padded, t, 0);
      double weightB = t + 1 < n ? window(padded, t + 1, 1) : clear(1);
      if (weightA != 0 || weightB != 0) {
        accumulate(weightA, weightB);
      }
    }
    // The inverse of the real, even sum: one complex FFT's real part, scaled by 1/nFft.
    double[] z = pair;
    for (int k = 0; k < nFft; k++) {
      z[2 * k] = spectrumSum[Math.min(k, nFft - k)];
      z[2 * k + 1] = 0.0;
    }
    fft.complexInverse(z, true);
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < winLength; k++) {
      double score = Math.log1p(1e6 * (z[2 * k] / n)) + logPrior[k];
      if (score > bestScore) {
        best = k;
        bestScore = score;
      }
    }
    return bpm[best];
  }

  /**
   * Loads tempogram frame t, windowed, into slot 0 (real part) or 1 (imaginary part) of the FFT input
   * and returns its weight: the inverse of its energy (its autocorrelation at lag 0, the largest), 1 when that is
   * below the smallest normal double (util.normalize leaves such a frame as it is), 0 for an all-zero frame.
   */
  private double window(double[] padded, int t, int slot) {
    double[] z = pair;
    double[] w = hann;
    double energy = 0;
    for (int m = 0; m < winLength; m++) {
      double v = padded[t + m] * w[m];
      z[2 * m + slot] = v;
      energy += v * v;
    }
    return energy == 0 ? 0 : energy < Double.MIN_NORMAL ? 1.0 : 1.0 / energy;
  }

  private double clear(int slot) {
    for (int m = 0; m < winLength; m++) {
      pair[2 * m + slot] = 0.0;
    }
    return 0;
  }

  /**
   * Transforms the loaded pair (frame A real, frame B imaginary) and adds {@code wA |A[k]|^2 + wB |B[k]|^2}: with
   * {@code Z = FFT(A + iB)}, {@code A[k] = (Z[k] + conj Z[n-k]) / 2} and {@code B[k] = (Z[k] - conj Z[n-k]) / 2i}.
   */
  private void accumulate(double weightA, double weightB) {
    double[] z = pair;
    Arrays.fill(z, 2 * winLength, 2 * nFft, 0.0); // the zero padding, overwritten by the previous transform
    fft.complexForward(z);
    double[] s = spectrumSum;
    int half = nFft / 2;
    // Z[0] and Z[n/2] pair with themselves: A is their real part, B their imaginary part.
    s[0] += weightA * (z[0] * z[0]) + weightB * (z[1] * z[1]);
    s[half] += weightA * (z[nFft] * z[nFft]) + weightB * (z[nFft + 1] * z[nFft + 1]);
    for (int k = 1, j = 2 * (nFft - 1); k < half; k++, j -= 2) {
      double a = z[2 * k];
      double b = z[2 * k + 1];
      double c = z[j];
      double d = z[j + 1];
      double ar = a + c;
      double ai = b - d;
      double br = a - c;
      double bi = b + d;
      s[k] += 0.25 * (weightA * (ar * ar + ai * ai) + weightB * (br * br + bi * bi));
    }
  }

  /**
   * {@code np.pad(onset, p, mode='linear_ramp', end_values=0)}: ramps from 0 up to the edge value, excluded, as
   * {@code np.linspace(0, edge, p, endpoint=False)}, mirrored on the right.
   */
  private static double[] linearRampPadded(double[] onset, int n, int p) {
    double[] out = new double[n + 2 * p];
    System.arraycopy(onset, 0, out, p, n);
    double leftStep = onset[0] / p;
    double rightStep = onset[n - 1] / p;
    for (int i = 0; i < p; i++) {
      out[i] = i * leftStep;
      out[p + n + p - 1 - i] = i * rightStep;
    }
    return out;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2.0);
  }
}
