package io.audioflow.transforms.separation;

import java.io.IOException;

/** Encodes one stem to a local file, block by block. */
public interface StemWriter extends AutoCloseable {
  void write(float[][] planar, int frames) throws IOException;

  /** Completes the file (headers, trailer); idempotent. */
  @Override
  void close() throws IOException;
}
