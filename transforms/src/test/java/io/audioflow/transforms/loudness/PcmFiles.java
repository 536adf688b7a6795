package io.audioflow.transforms.loudness;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/** Reads uncompressed WAV/AIFF through javax.sound into planar floats scaled as FFmpeg's float decode scales them. */
final class PcmFiles {
  private PcmFiles() {}

  /** @param channelMask the WAVE_FORMAT_EXTENSIBLE channel mask, 0 when the file has none */
  record Pcm(int sampleRate, float[][] planar, long channelMask) {
    int frames() {
      return planar[0].length;
    }
  }

  static Pcm read(Path file) throws IOException, UnsupportedAudioFileException {
    try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
      AudioFormat f = in.getFormat();
      byte[] bytes = in.readAllBytes();
      int channels = f.getChannels();
      int width = f.getSampleSizeInBits() / 8;
      int frames = bytes.length / (width * channels);
      ByteBuffer buf = ByteBuffer.wrap(bytes).order(f.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
      AudioFormat.Encoding enc = f.getEncoding();
      float[][] planar = new float[channels][frames];
      for (int i = 0; i < frames; i++) {
        for (int ch = 0; ch < channels; ch++) {
          int at = (i * channels + ch) * width;
          planar[ch][i] = sample(buf, at, width, enc);
        }
      }
      return new Pcm((int) f.getSampleRate(), planar, wavChannelMask(file));
    }
  }

  private static float sample(ByteBuffer b, int at, int width, AudioFormat.Encoding enc) {
    if (enc.equals(AudioFormat.Encoding.PCM_FLOAT)) {
      return width == 4 ? b.getFloat(at) : (float) b.getDouble(at);
    }
    if (enc.equals(AudioFormat.Encoding.PCM_UNSIGNED) && width == 1) {
      return ((b.get(at) & 0xFF) - 128) / 128f;
    }
    if (!enc.equals(AudioFormat.Encoding.PCM_SIGNED)) {
      throw new IllegalArgumentException("unsupported encoding " + enc);
    }
    return switch (width) {
      case 1 -> b.get(at) / 128f;
      case 2 -> b.getShort(at) / 32768f;
      case 3 -> {
        int v = b.order() == ByteOrder.LITTLE_ENDIAN
            ? (b.get(at) & 0xFF) | (b.get(at + 1) & 0xFF) << 8 | b.get(at + 2) << 16
            : (b.get(at + 2) & 0xFF) | (b.get(at + 1) & 0xFF) << 8 | b.get(at) << 16;
        yield v / 8388608f;
      }
      case 4 -> (float) (b.getInt(at) / 2147483648.0);
      default -> throw new IllegalArgumentException("unsupported width " + width);
    };
  }

  /** dwChannelMask of a WAVE_FORMAT_EXTENSIBLE fmt chunk; javax.sound does not expose it. */
  private static long wavChannelMask(Path file) throws IOException {
    byte[] head = new byte[4096];
    int n;
    try (var in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    ByteBuffer b = ByteBuffer.wrap(head, 0, n).order(ByteOrder.LITTLE_ENDIAN);
    if (n < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) { // "RIFF", "WAVE"
      return 0;
    }
    for (int at = 12; at + 8 <= n; ) {
      int id = b.getInt(at);
      int size = b.getInt(at + 4);
      if (id == 0x20746d66) { // "fmt "
        boolean extensible = (b.getShort(at + 8) & 0xFFFF) == 0xFFFE && size >= 40 && at + 32 <= n;
        return extensible ? b.getInt(at + 8 + 20) & 0xFFFF_FFFFL : 0;
      }
      at += 8 + size + (size & 1);
    }
    return 0;
  }
}
