package io.audioflow.transforms.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.transforms.spill.FrameSpill;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The streaming contract: block sizes, reuse, edge lengths, one STFT per file, summaries, aligned rows. */
class FeatureStreamingTest {
  private static final int SR = 22050;
  /** The features computed frame by frame, whose rows go straight to the listener when nothing is deferred. */
  private static final Set<Feature> DIRECT = EnumSet.of(
      Feature.RMS, Feature.ZCR, Feature.CENTROID, Feature.BANDWIDTH, Feature.ROLLOFF, Feature.FLATNESS,
      Feature.CHROMA);

  /** Noise and a tone, with digital silence and a DC step in between: every feature has something to do. */
  static float[] testSignal(int samples, long seed) {
    Random random = new Random(seed);
    float[] y = new float[samples];
    for (int i = 0; i < samples; i++) {
      double t = i / (double) SR;
      int part = (int) (4 * i / (long) samples);
      y[i] = (float) switch (part) {
        case 0 -> 0.3 * random.nextGaussian();
        case 1 -> 0.0;
        case 2 -> 0.5 * Math.sin(2 * Math.PI * 440 * t) + 0.01 * random.nextGaussian();
        default -> (i / 4096 % 2 == 0 ? -0.2 : 0.2) + 0.05 * Math.sin(2 * Math.PI * 3000 * t);
      };
    }
    return y;
  }

  @Test
  void oddBlockSizesGiveWhatOneBlockGives() {
    float[] signal = testSignal(3 * SR + 123, 1);
    FeatureFrames.Run whole = FeatureFrames.run(signal, SR, FeatureFrames.ALL, signal.length);
    for (int block : new int[] {1, 7, 511, 512, 513, 4097}) {
      assertSameRun(whole, FeatureFrames.run(signal, SR, FeatureFrames.ALL, block), "block " + block);
    }
    FeatureFrames frames = new FeatureFrames();
    try (FeatureExtractor extractor = new FeatureExtractor(SR, FeatureFrames.ALL, frames)) {
      Random random = new Random(2);
      for (int at = 0; at < signal.length; ) {
        int n = Math.min(1 + random.nextInt(3000), signal.length - at);
        extractor.accept(signal, at, n);
        at += n;
      }
      extractor.finish();
      assertSameRun(whole, new FeatureFrames.Run(frames, extractor.summaries(), extractor.tempoBpm(),
          extractor.stftCount(), extractor.fftCount()), "random blocks");
    }
  }

  @Test
  void resetReusesTheExtractorCleanly() {
    float[] a = testSignal(2 * SR, 3);
    float[] b = testSignal(SR / 2 + 77, 4);
    FeatureFrames.Run freshA = FeatureFrames.run(a, SR, FeatureFrames.ALL, 1000);
    FeatureFrames.Run freshB = FeatureFrames.run(b, SR, FeatureFrames.ALL, 1000);
    FeatureFrames[] frames = {new FeatureFrames()};
    try (FeatureExtractor extractor = new FeatureExtractor(SR, FeatureFrames.ALL, row -> frames[0].onFrame(row))) {
      for (float[] signal : new float[][] {a, b, a}) {
        frames[0] = new FeatureFrames();
        extractor.reset();
        FeatureFrames.feed(extractor, signal, 1000);
        FeatureFrames.Run run = new FeatureFrames.Run(frames[0], extractor.summaries(), extractor.tempoBpm(),
            extractor.stftCount(), extractor.fftCount());
        assertSameRun(signal == a ? freshA : freshB, run, "reused, " + signal.length + " samples");
      }
    }
  }

  @Test
  void rowsKeptInTheCallersSpillAreTheListenersRows() {
    // 40 s: with the deferred features (167 floats a frame), past the 1 MiB the spill holds in memory.
    float[] signal = testSignal(40 * SR, 6);
    try (FrameSpill rows = new FrameSpill()) {
      for (Set<Feature> features : List.of(FeatureFrames.ALL, DIRECT)) {
        FeatureFrames.Run expected = FeatureFrames.run(signal, SR, features, 4096);
        FeatureFrames frames = new FeatureFrames();
        try (FeatureExtractor extractor = new FeatureExtractor(SR, features, frames)) {
          for (int file = 0; file < 2; file++) { // reused: the same rows again
            frames.rows().clear();
            extractor.reset(rows);
            FeatureFrames.feed(extractor, signal, 4096);
            int width = extractor.rowLayout().values().length;
            float[] row = new float[width];
            float[] rest = new float[rows.width() - width];
            int[] seen = {0};
            rows.replay(row, rest, false, index -> assertArrayEquals(
                expected.frames().rows().get(seen[0]++), row, features + ": frame " + index));
            assertEquals(expected.frames().size(), seen[0], features + ": frames");
            assertSameRun(expected, new FeatureFrames.Run(frames, extractor.summaries(), extractor.tempoBpm(),
                extractor.stftCount(), extractor.fftCount()), features + ", rows kept");
          }
        }
      }
    }
  }

  @Test
  void emptyOneSampleAndShortInputsWork() {
    for (int n : new int[] {0, 1, 2, 100, 511, 512, 513, 1024, 2047, 2048, 2049, 5000}) {
      float[] signal = testSignal(n, n);
      FeatureFrames.Run run = FeatureFrames.run(signal, SR, FeatureFrames.ALL, 300);
      long frames = FeatureExtractor.STFT.frames(n);
      assertEquals(n == 0 ? 0 : 1 + n / 512, frames);
      assertEquals(frames, run.frames().size(), n + " samples: frames");
      for (int t = 0; t < run.frames().size(); t++) {
        assertEquals(t, run.frames().indices().get(t), "row index");
        for (float v : run.frames().rows().get(t)) {
          assertTrue(Float.isFinite(v), n + " samples: non-finite value in frame " + t);
        }
      }
      if (n == 0) {
        assertNull(run.tempo());
        assertTrue(Float.isNaN(run.summaries().get(0).mean()[0]), "no frame: NaN mean");
      } else {
        assertNotNull(run.tempo());
        assertTrue(run.tempo() > 0 && run.tempo() < 320, n + " samples: tempo " + run.tempo());
      }
    }
  }

  @Test
  void misuseIsRejected() {
    try (FeatureExtractor extractor = new FeatureExtractor(SR, FeatureFrames.ALL, null)) {
      assertThrows(IllegalStateException.class, extractor::summaries);
      extractor.finish();
      assertThrows(IllegalStateException.class, () -> extractor.accept(new float[1], 0, 1));
      assertThrows(IllegalStateException.class, extractor::finish);
      extractor.reset();
      extractor.accept(new float[10], 0, 10);
      extractor.finish();
      assertEquals(1, extractor.frames());
    }
    assertThrows(IllegalArgumentException.class, () -> new FeatureExtractor(0, FeatureFrames.ALL, null));
  }

  @Test
  void oneStftServesEveryFeature() {
    float[] signal = testSignal(SR, 5);
    for (Set<Feature> features : List.of(FeatureFrames.ALL, DIRECT, EnumSet.of(Feature.MFCC, Feature.CHROMA))) {
      FeatureFrames.Run run = FeatureFrames.run(signal, SR, features, 4096);
      assertEquals(1, run.stfts(), features + ": STFTs per file");
      assertEquals(run.frames().size(), run.ffts(), features + ": one FFT per frame");
    }
    FeatureFrames.Run timeDomain = FeatureFrames.run(signal, SR, EnumSet.of(Feature.RMS, Feature.ZCR), 4096);
    assertEquals(0, timeDomain.stfts(), "RMS and ZCR need no spectrum");
    assertEquals(1 + signal.length / 512, timeDomain.frames().size());
  }

  @Test
  void summariesAreTheMeanAndPopulationStdOfTheRows() {
    FeatureFrames.Run run = FeatureFrames.run(testSignal(2 * SR, 6), SR, FeatureFrames.ALL, 4096);
    List<Feature> perFrame = FeatureFrames.ALL.stream().filter(f -> f.dimension() > 0).toList();
    assertEquals(perFrame.size(), run.summaries().size());
    for (int i = 0; i < perFrame.size(); i++) {
      Feature f = perFrame.get(i);
      FeatureSummary summary = run.summaries().get(i);
      assertEquals(f.id(), summary.name());
      double[][] values = run.frames().matrix(f);
      for (int d = 0; d < f.dimension(); d++) {
        double mean = 0;
        for (double v : values[d]) {
          mean += v;
        }
        mean /= values[d].length;
        double variance = 0;
        for (double v : values[d]) {
          variance += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(variance / values[d].length);
        double scale = Math.max(1e-6, Math.abs(mean) + std);
        assertEquals(mean, summary.mean()[d], 1e-6 * scale, f.id() + "[" + d + "] mean");
        assertEquals(std, summary.std()[d], 1e-6 * scale, f.id() + "[" + d + "] std");
      }
    }
  }

  /**
   * The direct features' values do not depend on what else is computed: alone their rows go straight to the
   * listener; with MFCC they are spilled, here beyond the in-memory MiB into the temporary file, and replayed.
   */
  @Test
  void directAndSpilledRowsAgree() {
    float[] signal = testSignal(1700 * 512, 7); // 1701 frames of 167 floats: past the 1 MiB kept in memory
    FeatureFrames.Run direct = FeatureFrames.run(signal, SR, DIRECT, 8192);
    FeatureFrames.Run spilled = FeatureFrames.run(signal, SR, FeatureFrames.ALL, 8192);
    assertEquals(direct.frames().size(), spilled.frames().size());
    for (Feature f : DIRECT) {
      double[][] a = direct.frames().matrix(f);
      double[][] b = spilled.frames().matrix(f);
      for (int d = 0; d < a.length; d++) {
        assertArrayEquals(a[d], b[d], f.id() + "[" + d + "]");
      }
    }
  }

  private static void assertSameRun(FeatureFrames.Run expected, FeatureFrames.Run actual, String what) {
    assertEquals(expected.frames().size(), actual.frames().size(), what + ": frames");
    for (int t = 0; t < expected.frames().size(); t++) {
      assertArrayEquals(expected.frames().rows().get(t), actual.frames().rows().get(t), what + ": frame " + t);
    }
    assertEquals(expected.tempo(), actual.tempo(), what + ": tempo");
    assertEquals(expected.summaries().size(), actual.summaries().size());
    for (int i = 0; i < expected.summaries().size(); i++) {
      assertArrayEquals(expected.summaries().get(i).mean(), actual.summaries().get(i).mean(), what + ": mean");
      assertArrayEquals(expected.summaries().get(i).std(), actual.summaries().get(i).std(), what + ": std");
    }
    assertEquals(expected.frames().size() > 0 ? 1 : 0, actual.stfts(), what + ": STFTs");
  }
}
