package io.audioflow.transforms.separation;

import io.audioflow.models.TensorBuffers;
import java.nio.FloatBuffer;

/**
 * A core's direct buffers for batches of up to {@link #capacity()} chunks: the lent inputs (mix, spectrogram) and
 * the outputs (freq, time), row-major by chunk. They grow when a larger capacity is asked for and never shrink, so a
 * track's smaller last batch uses the first chunks of the same buffers. Shared by the cores that own tensors
 * ({@link OnnxSeparationCore}) and the batcher's clients ({@link ChunkBatcher.Client}).
 */
final class ChunkBuffers {
  private final SeparationGeometry geometry;
  private int capacity;
  private FloatBuffer mix;
  private FloatBuffer spectrogram;
  private FloatBuffer freq;
  private FloatBuffer time;

  ChunkBuffers(SeparationGeometry geometry) {
    this.geometry = geometry;
  }

  int capacity() {
    return capacity;
  }

  /** Whether {@code capacity} chunks need new buffers (the old ones, and views of them, are then dropped). */
  boolean mustGrow(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
    }
    return capacity > this.capacity;
  }

  /** The inputs for {@code capacity} chunks, growing the buffers first when needed. */
  SeparationCore.Inputs inputs(int capacity) {
    if (mustGrow(capacity)) {
      mix = TensorBuffers.directFloats(capacity * geometry.waveSize());
      spectrogram = TensorBuffers.directFloats(capacity * geometry.spectrogramSize());
      freq = TensorBuffers.directFloats(capacity * geometry.freqSize());
      time = TensorBuffers.directFloats(capacity * geometry.sources().size() * geometry.waveSize());
      this.capacity = capacity;
    }
    return new SeparationCore.Inputs(mix(capacity), spectrogram(capacity));
  }

  /** Refuses a batch larger than the inputs lent. */
  void requireBatch(int batch) {
    if (batch < 1 || batch > capacity) {
      throw new IllegalArgumentException("a batch of " + batch + " chunks, but inputs are lent for " + capacity);
    }
  }

  /** The first {@code chunks} chunks of each buffer. */
  FloatBuffer mix(int chunks) {
    return mix.slice(0, chunks * geometry.waveSize());
  }

  FloatBuffer spectrogram(int chunks) {
    return spectrogram.slice(0, chunks * geometry.spectrogramSize());
  }

  FloatBuffer freq(int chunks) {
    return freq.slice(0, chunks * geometry.freqSize());
  }

  FloatBuffer time(int chunks) {
    return time.slice(0, chunks * geometry.sources().size() * geometry.waveSize());
  }
}
