package io.audioflow.benchmarks;

import io.audioflow.transforms.features.Feature;
import io.audioflow.transforms.features.FeatureExtractor;
import io.audioflow.transforms.features.Stft;
import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.mel.MelSpectrogram;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Prints the cost per 60 s of 44.1 kHz noise, one thread, best of a few runs after warm-up, beside the project's mel
 * spectrogram at the same configuration (n_fft 2048, hop 512, 128 mels) and librosa's 1 670 ms for the same features
 * one call at a time ({@code shared/anchors/librosa_speed.md}). A manual measurement, not a test: the machine is
 * shared and noisy.
 */
public final class FeatureBenchmark {
  private FeatureBenchmark() {}

  private static final int SR = 44100;
  private static final int WARM_UP = 6;
  private static final int RUNS = 6;
  private static final double LIBROSA_MS = 1670;

  /** Run as {@code bin/audioflow bench features}. */
  public static void main(String[] args) {
    float[] signal = new float[60 * SR];
    Random random = new Random(61);
    for (int i = 0; i < signal.length; i++) {
      signal[i] = (float) (0.25 * random.nextGaussian());
    }
    double[] sink = {0};
    MelSpectrogram mel = new MelSpectrogram(MelConfig.librosa(SR), m -> sink[0] += m[0]);
    Stft stft =
        new Stft(FeatureExtractor.N_FFT, FeatureExtractor.HOP, null, List.of(f -> sink[0] += f.power()[1]), true);
    FeatureExtractor all = new FeatureExtractor(SR, EnumSet.allOf(Feature.class), row -> sink[0] += row.values()[0]);
    FeatureExtractor noTempo = new FeatureExtractor(SR, EnumSet.complementOf(EnumSet.of(Feature.TEMPO)), null);
    Map<String, Runnable> cases = new LinkedHashMap<>();
    cases.put("mel spectrogram (project's MelSpectrogram)", () -> {
      mel.reset();
      feed(signal, mel::accept);
      mel.finish();
    });
    cases.put("STFT alone (FramePairFft, two frames per transform)", () -> {
      stft.reset();
      feed(signal, stft::accept);
      stft.finish();
    });
    List<FeatureExtractor> alone = new java.util.ArrayList<>();
    for (Feature f : EnumSet.allOf(Feature.class)) {
      FeatureExtractor one = new FeatureExtractor(SR, EnumSet.of(f), null);
      alone.add(one);
      cases.put(f.id() + " alone (with its STFT)", () -> run(one, signal));
    }
    cases.put("all features but tempo", () -> run(noTempo, signal));
    cases.put("all features", () -> run(all, signal));
    Map<String, Long> best = new LinkedHashMap<>();
    for (int rep = 0; rep < WARM_UP + RUNS; rep++) {
      for (Map.Entry<String, Runnable> c : cases.entrySet()) {
        long t0 = System.nanoTime();
        c.getValue().run();
        long t = System.nanoTime() - t0;
        if (rep >= WARM_UP) {
          best.merge(c.getKey(), t, Math::min);
        }
      }
    }
    all.close();
    noTempo.close();
    alone.forEach(FeatureExtractor::close);
    double melMs = best.values().iterator().next() / 1e6;
    StringBuilder report = new StringBuilder("cost per 60 s of 44.1 kHz noise, one thread, best of " + RUNS + ":");
    best.forEach((name, ns) -> report.append(String.format("%n  %-45s %7.1f ms  %6.0fx real time  %5.2fx mel",
        name, ns / 1e6, 60e9 / ns, ns / 1e6 / melMs)));
    report.append(String.format("%n  librosa, the same features call by call: %.0f ms; all features here: %.1fx faster"
        + " (tempo %.2f BPM, checksum %.3g)", LIBROSA_MS, LIBROSA_MS / (best.get("all features") / 1e6),
        all.tempoBpm(), sink[0]));
    System.out.println(report);
  }

  private interface Sink {
    void accept(float[] samples, int offset, int length);
  }

  private static void feed(float[] signal, Sink sink) {
    for (int at = 0; at < signal.length; at += 4096) { // decoder-sized blocks
      sink.accept(signal, at, Math.min(4096, signal.length - at));
    }
  }

  private static void run(FeatureExtractor extractor, float[] signal) {
    extractor.reset();
    feed(signal, extractor::accept);
    extractor.finish();
  }
}
