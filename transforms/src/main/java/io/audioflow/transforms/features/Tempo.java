package io.audioflow.transforms.features;

import io.audioflow.transforms.mel.FramePairFft;
import io.audioflow.transforms.mel.HannWindow;
import io.audioflow.transforms.mel.SampleRing;
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
 * forward transform (the mel spectrogram's {@link FramePairFft}), each scaled by the square root of its weight, and
 * the pair's complex spectrum is summed as it is ({@link FramePairFft#addPower}): the weighted sum needs no
 * separation of the two frames; a pair of silent frames (weight 0) is skipped. Each frame's energy is computed in
 * the time domain before its transform. The FFT length is a power of two of at least {@code 2 * win_length - 1}, so
 * the circular autocorrelation equals the linear one over the lags kept, as scipy's zero padding gives. Memory: the
 * padded envelope and the ring it is framed from, 16 bytes a frame, while estimating.
 */
final class Tempo {
  private static final double AC_SIZE_SECONDS = 8.0;
  private static final double START_BPM = 120.0;
  private static final double STD_BPM = 1.0;
  private static final double MAX_TEMPO = 320.0;

  private final int winLength;
  private final int nFft;
  /** Two windowed tempogram frames per transform. */
  private final FramePairFft pairs;
  /** The squared window, for the frames' energies. */
  private final double[] windowSquared;
  /** For the one inverse transform of the summed spectrum. */
  private final DoubleFFT_1D fft;
  private final double[] inverse;
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
    // The Hann window zero-padded to nFft: each frame's autocorrelation is linear over the lags kept.
    double[] window = HannWindow.PERIODIC.values(winLength);
    this.pairs = FramePairFft.create(nFft, Arrays.copyOf(window, nFft));
    this.windowSquared = new double[winLength];
    for (int i = 0; i < winLength; i++) {
      windowSquared[i] = window[i] * window[i];
    }
    this.fft = new DoubleFFT_1D(nFft);
    this.inverse = new double[2 * nFft];
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
    // The last frame reads nFft positions from n - 1; the ring is large enough that none of them wraps around.
    SampleRing ring = new SampleRing(pairs.chunkLength(), padded.length + nFft);
    ring.write(0, padded, 0, padded.length);
    double[][] sum = pairs.newPowerSum();
    for (int t = 0; t < n; t += 2) {
      double weightA = weight(padded, t);
      double weightB = t + 1 < n ? weight(padded, t + 1) : 0.0;
      if (weightA == 0 && weightB == 0) {
        continue; // silence adds nothing
      }
      pairs.load(0, ring, t);
      pairs.scale(0, Math.sqrt(weightA));
      if (t + 1 < n) {
        pairs.load(1, ring, t + 1);
        pairs.scale(1, Math.sqrt(weightB));
      } else {
        pairs.clear(1);
      }
      pairs.addPower(sum);
    }
    pairs.powerSum(sum, spectrumSum);
    // The inverse of the real, even sum: one complex FFT's real part, scaled by 1/nFft.
    double[] z = inverse;
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
   * Tempogram frame {@code t}'s weight: the inverse of its energy (its autocorrelation at lag 0, the largest), 1 when
   * that is below the smallest normal double (util.normalize leaves such a frame as it is), 0 for an all-zero frame.
   */
  private double weight(double[] padded, int t) {
    double[] w = windowSquared;
    // Four partial sums: one would chain every multiply-add on the previous one.
    double e0 = 0;
    double e1 = 0;
    double e2 = 0;
    double e3 = 0;
    int i = 0;
    for (int end = w.length - 3; i < end; i += 4) {
      double x0 = padded[t + i];
      double x1 = padded[t + i + 1];
      double x2 = padded[t + i + 2];
      double x3 = padded[t + i + 3];
      e0 = Math.fma(w[i] * x0, x0, e0);
      e1 = Math.fma(w[i + 1] * x1, x1, e1);
      e2 = Math.fma(w[i + 2] * x2, x2, e2);
      e3 = Math.fma(w[i + 3] * x3, x3, e3);
    }
    for (; i < w.length; i++) {
      e0 = Math.fma(w[i] * padded[t + i], padded[t + i], e0);
    }
    double energy = (e0 + e1) + (e2 + e3);
    return energy == 0 ? 0 : energy < Double.MIN_NORMAL ? 1.0 : 1.0 / energy;
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
