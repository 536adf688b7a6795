package io.audioflow.benchmarks;

import io.audioflow.transforms.separation.StemFormat;
import io.audioflow.transforms.separation.StemWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A many-small-files input made here (issue 23), for the per-file costs a corpus of a few long files hides:
 * {@code bin/audioflow samples --many=N [DIR]} (default {@code samples-many}) and {@code bin/audioflow bench
 * --many=N}. File {@code i} is drawn from a generator seeded with {@code i}, so it is the same whatever N: 16, 22.05,
 * 44.1 or 48 kHz, mono or stereo, 2.0 to 20.0 s, three partials over noise, 32-bit float WAV or 24-bit FLAC (the
 * separation's stem writers, so no second encoder).
 */
public final class SmallFiles {
  private SmallFiles() {}

  private static final int[] RATES = {16000, 22050, 44100, 48000};
  private static final int BLOCK = 4096;

  /** The files written, in index order, and their total duration. */
  public record Written(List<Path> files, double audioSeconds) {}

  public static void main(String[] args) throws IOException {
    int many = 0;
    Path dir = Path.of("samples-many");
    for (String arg : args) {
      if (arg.startsWith("--many=")) {
        many = Integer.parseInt(arg.substring(7));
      } else if (!arg.startsWith("--")) {
        dir = Path.of(arg);
      } else {
        throw new IllegalArgumentException("usage: samples --many=N [DIR]; got " + arg);
      }
    }
    if (many < 1) {
      throw new IllegalArgumentException("usage: samples --many=N [DIR] with N >= 1");
    }
    Written written = write(dir, many);
    System.out.printf(Locale.ROOT, "wrote %d files, %.1f s of audio (%.2f h), to %s%n", written.files().size(),
        written.audioSeconds(), written.audioSeconds() / 3600, dir.toAbsolutePath());
  }

  /** Writes files 0 to {@code count - 1} into {@code dir}. */
  public static Written write(Path dir, int count) throws IOException {
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    double audio = 0;
    for (int i = 0; i < count; i++) {
      RandomGenerator random = new SplittableRandom(i); // mixes its seed: java.util.Random(i) draws alike for small i
      int rate = RATES[random.nextInt(RATES.length)];
      int channels = 1 + random.nextInt(2);
      double seconds = 2 + random.nextInt(181) / 10.0;
      StemFormat format = random.nextBoolean() ? StemFormat.WAV : StemFormat.FLAC;
      Path file = dir.resolve(String.format(Locale.ROOT, "many_%05d_%d_%s_%.1fs.%s", i, rate,
          channels == 1 ? "mono" : "stereo", seconds, format.extension()));
      int frames = (int) Math.round(seconds * rate);
      write(file, format, rate, channels, frames, random);
      files.add(file);
      audio += frames / (double) rate;
    }
    return new Written(files, audio);
  }

  /** Three partials (80 Hz to 4 kHz, log-uniform) and a little noise, each channel its own noise. */
  private static void write(Path file, StemFormat format, int rate, int channels, int frames, RandomGenerator random)
      throws IOException {
    double[] hz = new double[3];
    double[] gain = new double[3];
    for (int p = 0; p < hz.length; p++) {
      hz[p] = 80 * Math.pow(50, random.nextDouble());
      gain[p] = 0.1 + 0.2 * random.nextDouble();
    }
    float[][] block = new float[channels][BLOCK];
    try (StemWriter out = format.open(file, rate, channels)) {
      for (int done = 0; done < frames; done += BLOCK) {
        int n = Math.min(BLOCK, frames - done);
        for (int i = 0; i < n; i++) {
          double t = (done + i) / (double) rate;
          double tone = 0;
          for (int p = 0; p < hz.length; p++) {
            tone += gain[p] * Math.sin(2 * Math.PI * hz[p] * t);
          }
          for (float[] channel : block) {
            channel[i] = (float) (0.5 * tone + 0.02 * random.nextGaussian());
          }
        }
        out.write(block, n);
      }
    }
  }
}
