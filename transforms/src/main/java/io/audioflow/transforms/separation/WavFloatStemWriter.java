package io.audioflow.transforms.separation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** 32-bit float WAV (WAVE_FORMAT_IEEE_FLOAT); the RIFF sizes are patched in when the stem is complete. */
final class WavFloatStemWriter implements StemWriter {
  private static final int HEADER_BYTES = 44;
  private final FileChannel file;
  private final RawFloatStemWriter data;
  private final int sampleRate;
  private final int channels;
  private boolean closed;

  WavFloatStemWriter(Path path, int sampleRate, int channels) throws IOException {
    this.file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    this.sampleRate = sampleRate;
    this.channels = channels;
    file.write(header(0));
    this.data = new RawFloatStemWriter(file, channels);
  }

  @Override
  public void write(float[][] planar, int frames) throws IOException {
    data.write(planar, frames);
  }

  private ByteBuffer header(long data) throws IOException {
    if (data + HEADER_BYTES - 8 > 0xFFFFFFFFL) {
      throw new IOException("stem too long for WAV (4 GiB); use flac");
    }
    ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    h.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) (data + HEADER_BYTES - 8));
    h.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16);
    h.putShort((short) 3).putShort((short) channels).putInt(sampleRate)
        .putInt(sampleRate * channels * Float.BYTES).putShort((short) (channels * Float.BYTES)).putShort((short) 32);
    h.put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) data);
    return h.flip();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (file) {
      file.write(header(data.bytes()), 0);
    }
  }
}
