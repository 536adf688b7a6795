package io.audioflow.transforms.mel;

import java.util.Locale;

/** Compression applied to the mel spectrogram S when it is stored. */
public enum MelScaling {
  /** S itself. */
  POWER,
  /** {@code librosa.power_to_db(S, ref=1.0, amin=1e-10, top_db=None)}: {@code 10 * log10(max(S, 1e-10))}. */
  DB,
  /** musicnn's {@code log10(10000 * S + 1)}. */
  LOG10;

  private static final double AMIN = 1e-10;

  public double apply(double power) {
    return switch (this) {
      case POWER -> power;
      case DB -> 10.0 * Math.log10(Math.max(power, AMIN));
      case LOG10 -> Math.log10(10000.0 * power + 1.0);
    };
  }

  String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
