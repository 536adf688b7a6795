package io.audioflow.transforms.separation;

import java.nio.FloatBuffer;

/**
 * The model between the spectrogram and the inverse spectrogram, over a batch of chunks. The batch axis may carry
 * chunks of any tracks and shift passes: each item is independent.
 *
 * <p>The core lends its input buffers and the caller writes each chunk straight into them, so the inputs (tens of
 * MB per batch for HTDemucs) reach the model without a copy.
 */
public interface SeparationCore {
  SeparationGeometry geometry();

  /**
   * The input buffers for batches of up to {@code capacity} chunks, row-major: {@code mix} [capacity][C][segment],
   * {@code spectrogram} [capacity][2C][bins][frames]; chunk b starts at b · waveSize and b · spectrogramSize. They
   * stay the core's: valid until {@code inputs} is asked for a larger capacity, and shared by every caller of this
   * core, so one caller at a time fills and runs them.
   */
  Inputs inputs(int capacity);

  /**
   * Runs the first {@code batch} chunks of the lent inputs ({@code batch} at most the capacity lent). The outputs
   * handed to {@code outputs} ([batch][S][2C][bins][frames] and [batch][S][C][segment]) are valid only during that
   * call.
   */
  void run(int batch, Outputs outputs) throws SeparationException;

  /** Input buffers lent by the core; absolute indexing, positions are not read. */
  record Inputs(FloatBuffer mix, FloatBuffer spectrogram) {}

  @FunctionalInterface
  interface Outputs {
    void accept(FloatBuffer freq, FloatBuffer time) throws SeparationException;
  }
}
