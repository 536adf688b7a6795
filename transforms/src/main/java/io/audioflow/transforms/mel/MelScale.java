package io.audioflow.transforms.mel;

import java.util.Locale;

/** Hz to mel mapping, as librosa's {@code htk} flag. */
public enum MelScale {
  /** Slaney's Auditory Toolbox scale: linear below 1 kHz, logarithmic above ({@code htk=False}). */
  SLANEY,
  /** {@code 2595 * log10(1 + f / 700)} ({@code htk=True}). */
  HTK;

  /** {@code librosa.hz_to_mel} for one frequency. */
  double hzToMel(double hz) {
    if (this == HTK) {
      return 2595.0 * Math.log10(1.0 + hz / 700.0);
    }
    double mel = hz / F_SP;
    if (hz >= MIN_LOG_HZ) {
      mel = MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP;
    }
    return mel;
  }

  /** {@code librosa.mel_to_hz} for one mel value. */
  double melToHz(double mel) {
    if (this == HTK) {
      return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
    }
    double hz = F_SP * mel;
    if (mel >= MIN_LOG_MEL) {
      hz = MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL));
    }
    return hz;
  }

  String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  // librosa's Slaney constants, written as librosa computes them so the doubles are identical.
  private static final double F_SP = 200.0 / 3;
  private static final double MIN_LOG_HZ = 1000.0;
  private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
  private static final double LOG_STEP = Math.log(6.4) / 27.0;
}
