package io.audioflow.transforms.features;

/**
 * {@code librosa.onset.onset_strength(sr, hop_length, lag=1, max_size=1, center=True, detrend=False)} with its
 * default front end (the mel spectrogram in dB, {@code power_to_db} with top_db 80) and aggregate (mean), fed one
 * floored dB frame at a time. Frame i's flux is the mean over bands of {@code max(0, S[i+1] - S[i])}; librosa then
 * pads {@code lag + n_fft // (2 hop)} = 3 zeros in front (undoing the framing delay) and keeps the first frames, so
 * frame t's strength is the flux from frame t-3 to t-2, and frames 0 to 2 are 0.
 */
final class OnsetStrength {
  private static final int DELAY = 3;

  private final int bands;
  private final double[] previous;
  /** The last three fluxes, oldest first. */
  private final double[] pending = new double[DELAY];
  private long frames;

  OnsetStrength(int bands) {
    this.bands = bands;
    this.previous = new double[bands];
  }

  void reset() {
    frames = 0;
  }

  /** Takes the next frame's floored mel dB values and returns that frame's onset strength. */
  double next(double[] db) {
    if (frames >= 1) {
      double sum = 0;
      for (int m = 0; m < bands; m++) {
        sum += Math.max(0.0, db[m] - previous[m]);
      }
      System.arraycopy(pending, 1, pending, 0, DELAY - 1);
      pending[DELAY - 1] = sum / bands;
    }
    System.arraycopy(db, 0, previous, 0, bands);
    // pending now holds the fluxes ending at frames - 2, frames - 1 and frames; the first is due now.
    double strength = frames >= DELAY ? pending[0] : 0.0;
    frames++;
    return strength;
  }
}
