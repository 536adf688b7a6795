package io.audioflow.transforms.separation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

/** Interleaved 32-bit little-endian floats to a channel: a float WAV's data chunk, or a span's raw part. */
final class RawFloatStemWriter implements StemWriter {
  private final WritableByteChannel out;
  private final int channels;
  private ByteBuffer buffer = ByteBuffer.allocate(0);
  private long bytes;
  private boolean closed;

  RawFloatStemWriter(WritableByteChannel out, int channels) {
    this.out = out;
    this.channels = channels;
  }

  @Override
  public void write(float[][] planar, int frames) throws IOException {
    int size = frames * channels * Float.BYTES;
    if (buffer.capacity() < size) {
      buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
    buffer.clear();
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < channels; c++) {
        buffer.putFloat(planar[c][i]);
      }
    }
    buffer.flip();
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
    bytes += size;
  }

  /** Bytes written so far. */
  long bytes() {
    return bytes;
  }

  /** Closes the channel. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
    }
  }
}
