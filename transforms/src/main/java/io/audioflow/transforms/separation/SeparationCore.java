package io.audioflow.transforms.separation;

import java.nio.FloatBuffer;

/**
 * The model between the spectrogram and the inverse spectrogram, over a batch of chunks. The batch axis may carry
 * chunks of any tracks and shift passes: each item is independent.
 */
public interface SeparationCore {
  SeparationGeometry geometry();

  /**
   * Runs {@code batch} chunks. Inputs are row-major: {@code mix} [batch][C][segment], {@code spectrogram}
   * [batch][2C][bins][frames], each holding exactly that many floats from position 0. The outputs handed to
   * {@code outputs} ([batch][S][2C][bins][frames] and [batch][S][C][segment]) are valid only during that call.
   */
  void run(FloatBuffer mix, FloatBuffer spectrogram, int batch, Outputs outputs) throws SeparationException;

  @FunctionalInterface
  interface Outputs {
    void accept(FloatBuffer freq, FloatBuffer time) throws SeparationException;
  }
}
