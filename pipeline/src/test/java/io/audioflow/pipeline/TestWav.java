package io.audioflow.pipeline;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** Writes 16-bit PCM WAV test files: a 440 Hz tone with a little deterministic noise. */
final class TestWav {
  private TestWav() {}

  static Path write(Path file, int rate, int channels, double seconds) throws IOException {
    int frames = (int) Math.round(rate * seconds);
    ByteBuffer pcm = ByteBuffer.allocate(frames * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
    java.util.Random random = new java.util.Random(frames);
    for (int i = 0; i < frames; i++) {
      double v = 0.4 * Math.sin(2 * Math.PI * 440 * i / rate) + 0.01 * random.nextGaussian();
      for (int ch = 0; ch < channels; ch++) {
        pcm.putShort((short) Math.round(Math.max(-1, Math.min(1, v)) * 32767));
      }
    }
    AudioFormat format = new AudioFormat(rate, 16, channels, true, false);
    try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, frames)) {
      AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
    }
    return file;
  }

  /** The canonical 44-byte header of such a file, for streaming one by hand. */
  static byte[] header(int rate, int channels, long frames) {
    ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    int data = (int) (frames * channels * 2);
    h.put("RIFF".getBytes()).putInt(36 + data).put("WAVE".getBytes());
    h.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate)
        .putInt(rate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
    h.put("data".getBytes()).putInt(data);
    return h.array();
  }
}
