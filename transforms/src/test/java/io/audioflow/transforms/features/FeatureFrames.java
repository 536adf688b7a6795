package io.audioflow.transforms.features;

import io.audioflow.transforms.testing.DecodedFile;
import io.audioflow.transforms.testing.Npy;
import io.audioflow.transforms.testing.SharedTestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Test helpers: the reference signals, and a listener that records every row. */
final class FeatureFrames implements FrameListener {
  static final Set<Feature> ALL = EnumSet.allOf(Feature.class);

  private final List<float[]> rows = new ArrayList<>();
  private final List<Long> indices = new ArrayList<>();
  private FrameRow layout;

  @Override
  public void onFrame(FrameRow row) {
    layout = row;
    rows.add(row.values().clone());
    indices.add(row.index());
  }

  int size() {
    return rows.size();
  }

  List<Long> indices() {
    return indices;
  }

  List<float[]> rows() {
    return rows;
  }

  /** {@code feature}'s values as librosa shapes them: {@code [dimension][frame]}. */
  double[][] matrix(Feature feature) {
    double[][] out = new double[feature.dimension()][rows.size()];
    if (rows.isEmpty()) {
      return out;
    }
    int at = layout.offset(feature);
    for (int t = 0; t < rows.size(); t++) {
      for (int d = 0; d < feature.dimension(); d++) {
        out[d][t] = rows.get(t)[at + d];
      }
    }
    return out;
  }

  /** Runs {@code features} over {@code signal} fed in blocks of {@code block} samples. */
  static Run run(float[] signal, int sampleRate, Set<Feature> features, int block) {
    FeatureFrames frames = new FeatureFrames();
    try (FeatureExtractor extractor = new FeatureExtractor(sampleRate, features, frames)) {
      feed(extractor, signal, block);
      return new Run(frames, extractor.summaries(), extractor.tempoBpm(), extractor.stftCount(),
          extractor.fftCount());
    }
  }

  static void feed(FeatureExtractor extractor, float[] signal, int block) {
    for (int at = 0; at < signal.length; at += block) {
      extractor.accept(signal, at, Math.min(block, signal.length - at));
    }
    extractor.finish();
  }

  record Run(FeatureFrames frames, List<FeatureSummary> summaries, Double tempo, int stfts, long ffts) {}

  /** A reference signal: its samples and rate. */
  record Signal(String name, int sampleRate, float[] samples) {}

  /**
   * The signal a sidecar of {@code reference/features} names: an .npy of float32 samples, or the stereo FLAC decoded
   * and averaged over its channels in float32 as librosa.to_mono ({@code (L + R) / 2}, exact for 16-bit samples).
   */
  static Signal signal(Path dir, String name, int sampleRate, String signalFile) throws Exception {
    Path file = dir.resolve(signalFile).normalize();
    if (signalFile.endsWith(".npy")) {
      return new Signal(name, sampleRate, Npy.read(file).floats());
    }
    FloatList mono = new FloatList();
    DecodedFile.stream(file, info -> (planar, n) -> {
      for (int i = 0; i < n; i++) {
        float sum = 0f;
        for (float[] channel : planar) {
          sum += channel[i];
        }
        mono.add(sum / planar.length);
      }
    });
    return new Signal(name, sampleRate, mono.toArray());
  }

  static Path referenceDir() {
    return SharedTestData.resolve("reference/features");
  }

  private static final class FloatList {
    private float[] data = new float[1 << 16];
    private int size;

    void add(float v) {
      if (size == data.length) {
        data = java.util.Arrays.copyOf(data, 2 * size);
      }
      data[size++] = v;
    }

    float[] toArray() {
      return java.util.Arrays.copyOf(data, size);
    }
  }
}
