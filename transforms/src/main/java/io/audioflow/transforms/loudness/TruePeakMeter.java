package io.audioflow.transforms.loudness;

/**
 * Sample peak and ITU-R BS.1770-4 Annex 2 true peak, over all channels.
 *
 * <p>Interpolator: polyphase windowed sinc, {@value #TAPS} taps per phase at the input rate, Kaiser window with
 * beta 9, cutoff at the input Nyquist frequency, each phase scaled to unit DC gain. This is the filter libswresample
 * builds when upsampling, which FFmpeg's ebur128 uses to reach 192 kHz. It is flat within 0.1 dB to 0.87 of Nyquist
 * (20.9 kHz at 48 kHz), 6 dB down at Nyquist and more than 90 dB down from 1.2 times Nyquist. Because the cutoff is
 * exactly Nyquist the sinc vanishes at whole-sample offsets, so phase 0 is the input itself: it is not computed, and
 * the sample peak stands for it (the true peak is never below the sample peak).
 *
 * <p>Oversampling factor {@code ceil(192000 / rate)}: BS.1770's 4x at 48 kHz, and never a coarser grid than
 * FFmpeg's 192 kHz at other rates (5x at 44.1 kHz, 18x at 11.025 kHz, 24x at 8 kHz, 2x at 96 kHz, none from
 * 192 kHz up), which keeps low-rate material within a few hundredths of a dB of FFmpeg.
 *
 * <p>Edges: a position is interpolated only where all taps fall on real samples, so inter-sample peaks within the
 * first 15 and the last 16 samples are not looked for (their samples still count). Padding the signal would invent
 * overshoots there: zeros make a step out of a file that starts loud, and the mirror image FFmpeg puts before the
 * first sample makes a kink out of a sine that starts at phase 0 (FFmpeg reads EBU Tech 3341 case 15, a -6 dBFS sine
 * at fs/4, as -5.5 dBTP). FFmpeg does not flush its resampler at the end either.
 *
 * <p>Speed: input is staged in fixed chunks per channel (so results do not depend on the caller's block sizes) and
 * each phase is computed for a whole chunk, four taps per pass, in loops the JIT vectorises; one set of work buffers
 * (130 KB) serves all channels in turn. A chunk is skipped when even {@code max|x| * max_phase(sum|h|)} over its
 * filter support (sum|h| is 2.35) cannot exceed the peak found so far: silence and passages 7.4 dB or more below the
 * peak cost next to nothing, and the result cannot change.
 */
final class TruePeakMeter {
  static final int TAPS = 32;
  /** Output {@code i} of phase {@code p} interpolates at stage position {@code i + CENTER + p / factor}. */
  private static final int CENTER = TAPS / 2 - 1;

  private static final double KAISER_BETA = 9.0;
  private static final int CHUNK = 1024;
  private static final int CAPACITY = CHUNK + TAPS - 1;
  /** Covers float rounding in the computed outputs and in the bound itself. */
  private static final double BOUND_MARGIN = 1e-5;

  private final int channels;
  private final float[][] phases;
  private final float boundGain;
  private final float[][] stage;
  private final float[] out;
  private final float[][] shifted;
  private int fill;
  private float samplePeak;
  private float truePeak;

  TruePeakMeter(int sampleRate, int channels) {
    this.channels = channels;
    phases = design(oversampling(sampleRate));
    float gain = 0;
    for (float[] h : phases) {
      float sum = 0;
      for (float c : h) {
        sum += Math.abs(c);
      }
      gain = Math.max(gain, sum);
    }
    boundGain = (float) (gain * (1 + BOUND_MARGIN));
    stage = new float[phases.length == 0 ? 0 : channels][CAPACITY];
    out = new float[phases.length == 0 ? 0 : CHUNK];
    shifted = new float[phases.length == 0 ? 0 : TAPS][CHUNK];
    reset();
  }

  static int oversampling(int sampleRate) {
    return Math.max(1, (192_000 + sampleRate - 1) / sampleRate);
  }

  void reset() {
    fill = 0;
    samplePeak = 0;
    truePeak = 0;
  }

  void accept(float[][] planar, int frames) {
    float peak = samplePeak;
    for (int ch = 0; ch < channels; ch++) {
      float[] x = planar[ch];
      for (int i = 0; i < frames; i++) {
        peak = Math.max(peak, Math.abs(x[i]));
      }
    }
    samplePeak = peak;
    truePeak = Math.max(truePeak, peak);
    int done = 0;
    while (done < frames && stage.length > 0) {
      int take = Math.min(frames - done, CAPACITY - fill);
      for (int ch = 0; ch < stage.length; ch++) {
        System.arraycopy(planar[ch], done, stage[ch], fill, take);
      }
      fill += take;
      done += take;
      if (fill == CAPACITY) {
        for (float[] s : stage) {
          truePeak = interpolate(s, CHUNK, truePeak);
          System.arraycopy(s, CHUNK, s, 0, TAPS - 1);
        }
        fill = TAPS - 1;
      }
    }
  }

  float samplePeak() {
    return samplePeak;
  }

  /** The true peak including the staged tail; leaves the running state as it is. */
  float truePeak() {
    int tail = fill - TAPS + 1;
    if (tail <= 0) {
      return truePeak;
    }
    float peak = truePeak;
    for (float[] s : stage) {
      peak = interpolate(s, tail, peak);
    }
    return peak;
  }

  /** Max of {@code peak} and |phase p output i| for i in [0, n), all phases p >= 1. */
  private float interpolate(float[] s, int n, float peak) {
    float reach = 0;
    for (int i = 0; i < n + TAPS - 1; i++) {
      reach = Math.max(reach, Math.abs(s[i]));
    }
    if (reach * boundGain <= peak) {
      return peak;
    }
    // HotSpot (17) vectorises y[i] += h * x[i] only when every array is indexed by i itself (with x[i + k] it cannot
    // rule out that y and x overlap), so each tap reads its own copy of the input shifted by k.
    for (int k = 0; k < TAPS; k++) {
      System.arraycopy(s, k, shifted[k], 0, n);
    }
    float[] y = out;
    for (float[] h : phases) {
      for (int k = 0; k < TAPS; k += 4) {
        float h0 = h[k];
        float h1 = h[k + 1];
        float h2 = h[k + 2];
        float h3 = h[k + 3];
        float[] x0 = shifted[k];
        float[] x1 = shifted[k + 1];
        float[] x2 = shifted[k + 2];
        float[] x3 = shifted[k + 3];
        if (k == 0) {
          for (int i = 0; i < n; i++) {
            y[i] = h0 * x0[i] + h1 * x1[i] + h2 * x2[i] + h3 * x3[i];
          }
        } else {
          for (int i = 0; i < n; i++) {
            y[i] += h0 * x0[i] + h1 * x1[i] + h2 * x2[i] + h3 * x3[i];
          }
        }
      }
      for (int i = 0; i < n; i++) {
        peak = Math.max(peak, Math.abs(y[i]));
      }
    }
    return peak;
  }

  /** Phases 1..factor-1 of the interpolator; phase 0 is the identity. */
  private static float[][] design(int factor) {
    float[][] bank = new float[factor - 1][TAPS];
    double[] h = new double[TAPS];
    for (int p = 1; p < factor; p++) {
      double sum = 0;
      for (int k = 0; k < TAPS; k++) {
        double d = k - CENTER - (double) p / factor; // tap distance from the output instant, in input samples
        double w = 2 * d / TAPS;
        double sinc = Math.sin(Math.PI * d) / (Math.PI * d);
        h[k] = sinc * besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - w * w)));
        sum += h[k];
      }
      for (int k = 0; k < TAPS; k++) {
        bank[p - 1][k] = (float) (h[k] / sum);
      }
    }
    return bank;
  }

  /** Zeroth-order modified Bessel function of the first kind, by its power series. */
  private static double besselI0(double x) {
    double term = 1;
    double sum = 1;
    double q = x * x / 4;
    for (int k = 1; term > sum * 1e-17; k++) {
      term *= q / ((double) k * k);
      sum += term;
    }
    return sum;
  }
}
