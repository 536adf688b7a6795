package io.audioflow.transforms.mel;

import java.util.Locale;

/** Filter normalisation, as librosa's {@code norm} argument of {@code filters.mel}. */
public enum MelNorm {
  /** Each triangle divided by its width in Hz ({@code 2 / (f[i+2] - f[i])}): about constant energy per band. */
  SLANEY,
  /** Triangles of peak 1 ({@code norm=None}). */
  NONE;

  String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
