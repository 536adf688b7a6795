package io.audioflow.transforms.mel;

import java.util.Locale;

/** How {@code center=true} pads the signal by {@code n_fft/2} on each side, as numpy's {@code np.pad} modes. */
public enum PadMode {
  /** Zeros (librosa's default). */
  CONSTANT,
  /** Mirror about the edge sample, edge not repeated ({@code [a b c] -> b | a b c | b}). */
  REFLECT;

  String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
