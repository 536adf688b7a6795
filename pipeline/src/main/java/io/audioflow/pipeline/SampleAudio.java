package io.audioflow.pipeline;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Generates the sample audio the README's first command runs on: a few seconds of tones, a chirp and noise at
 * several rates and channel counts, plus one file that is not audio, so both tables have rows. Deterministic.
 */
public final class SampleAudio {
  private SampleAudio() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "samples");
    Files.createDirectories(dir);
    write(dir.resolve("a440_44100_stereo.wav"), 44100, 2, 5, (t, ch) -> 0.5 * Math.sin(2 * Math.PI * 440 * t));
    write(dir.resolve("chord_22050_mono.wav"), 22050, 1, 4,
        (t, ch) -> 0.2 * (Math.sin(2 * Math.PI * 261.63 * t) + Math.sin(2 * Math.PI * 329.63 * t)
            + Math.sin(2 * Math.PI * 392.0 * t)));
    write(dir.resolve("chirp_16000_mono.wav"), 16000, 1, 3,
        (t, ch) -> 0.6 * Math.sin(2 * Math.PI * (50 * t + (7950.0 / 6) * t * t)));
    Random random = new Random(7);
    write(dir.resolve("noise_bursts_48000_stereo.wav"), 48000, 2, 6,
        (t, ch) -> ((int) (t * 2) % 2 == 0 ? 0.3 : 0.03) * random.nextGaussian() / 3);
    Files.writeString(dir.resolve("not_audio.wav"), "This text file has an audio extension.\n",
        StandardCharsets.UTF_8);
    System.out.println("wrote sample audio to " + dir.toAbsolutePath());
  }

  private interface Signal {
    double at(double seconds, int channel);
  }

  private static void write(Path file, int rate, int channels, int seconds, Signal signal) throws IOException {
    int frames = rate * seconds;
    ByteBuffer pcm = ByteBuffer.allocate(frames * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < frames; i++) {
      for (int ch = 0; ch < channels; ch++) {
        double v = Math.max(-1, Math.min(1, signal.at(i / (double) rate, ch)));
        pcm.putShort((short) Math.round(v * 32767));
      }
    }
    AudioFormat format = new AudioFormat(rate, 16, channels, true, false);
    try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, frames)) {
      AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
    }
  }
}
