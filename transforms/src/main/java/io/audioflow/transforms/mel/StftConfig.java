package io.audioflow.transforms.mel;

import java.util.Objects;

/**
 * How {@code librosa.stft} (0.11) frames a signal: frames of {@code nFft} samples every {@code hopLength}, windowed
 * by a Hann of {@code winLength} zero-padded centred to {@code nFft}, and, with {@code center}, the signal first
 * padded by {@code nFft/2} on each side as {@code padMode} says.
 */
public record StftConfig(int nFft, int winLength, int hopLength, boolean center, PadMode padMode)
    implements java.io.Serializable {

  public StftConfig {
    Objects.requireNonNull(padMode, "padMode");
    require(nFft >= 2, "nFft must be >= 2, got " + nFft);
    require(winLength >= 1 && winLength <= nFft, "winLength must be in [1, nFft=" + nFft + "], got " + winLength);
    require(hopLength > 0, "hopLength must be > 0, got " + hopLength);
  }

  /**
   * Frames a signal of {@code samples} samples gives: with {@code center}, {@code 1 + (n + 2*(nFft/2) - nFft) / hop}
   * for {@code n >= 1}; without, one per whole window. None for an empty signal, or one shorter than {@code nFft}
   * without {@code center} (where librosa pads to one frame or fails).
   */
  public long frames(long samples) {
    if (samples < 0) {
      throw new IllegalArgumentException("samples must be >= 0, got " + samples);
    }
    long padded = center && samples > 0 ? samples + 2L * (nFft / 2) : samples;
    return padded < nFft ? 0 : 1 + (padded - nFft) / hopLength;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("StftConfig: " + message);
    }
  }
}
