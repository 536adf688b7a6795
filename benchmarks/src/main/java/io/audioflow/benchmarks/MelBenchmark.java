package io.audioflow.benchmarks;

import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.mel.MelSpectrogram;
import java.util.Random;

/**
 * Prints the cost per frame of the streaming mel spectrogram on 60 s of noise (a manual check, not a test):
 * {@code bin/audioflow bench mel [runs per config, default 40] [musicnn|librosa22050|librosa44100]}
 * (one config alone, in a fresh JVM, profiles the JIT as a worker running that config would). Reports the best run:
 * the machine is shared and noisy, so compare best-of-many figures from the same machine only.
 */
public final class MelBenchmark {
  private MelBenchmark() {}

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    MelConfig[] configs = {MelConfig.musicnn(), MelConfig.librosa(22050), MelConfig.librosa(44100)};
    if (args.length > 1) {
      configs = new MelConfig[] {switch (args[1]) {
        case "musicnn" -> MelConfig.musicnn();
        case "librosa22050" -> MelConfig.librosa(22050);
        case "librosa44100" -> MelConfig.librosa(44100);
        default -> throw new IllegalArgumentException("unknown config " + args[1]);
      }};
    }
    for (MelConfig config : configs) {
      float[] signal = new float[60 * config.sampleRate()];
      Random random = new Random(1);
      for (int i = 0; i < signal.length; i++) {
        signal[i] = (float) (0.2 * random.nextGaussian());
      }
      double[] sink = {0};
      MelSpectrogram spectrogram = new MelSpectrogram(config, mel -> sink[0] += mel[0]);
      long best = Long.MAX_VALUE;
      for (int rep = 0; rep < runs; rep++) { // the first runs warm the JIT up; report the best
        spectrogram.reset();
        long t0 = System.nanoTime();
        for (int at = 0; at < signal.length; at += 4096) { // decoder-sized blocks
          spectrogram.accept(signal, at, Math.min(4096, signal.length - at));
        }
        spectrogram.finish();
        best = Math.min(best, System.nanoTime() - t0);
      }
      long frames = spectrogram.frames();
      System.out.printf("%s%n  %d frames, %.0f ns/frame, %.1f ms per 60 s (%.0fx real time), checksum %.3g%n",
          config.id(), frames, (double) best / frames, best / 1e6, 60e9 / best, sink[0]);
    }
  }
}
