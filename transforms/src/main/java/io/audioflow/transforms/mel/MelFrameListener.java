package io.audioflow.transforms.mel;

/** Receives one mel frame at a time, in frame order. */
@FunctionalInterface
public interface MelFrameListener {
  /**
   * @param melPower the unscaled mel spectrogram S of one frame ({@code |X|^power} through the filterbank), length
   *     {@code nMels}; the array is reused for the next frame, so copy what you keep
   */
  void onFrame(double[] melPower);
}
