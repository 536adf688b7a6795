package io.audioflow.transforms.separation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.models.SharedSessions;
import io.audioflow.models.SeparationManifest;
import io.audioflow.transforms.testing.Npy;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 1: the Java STFT, the ONNX core and Demucs's chunking against PyTorch's own outputs. */
class ChunkedSeparatorTest {
  private static SeparationManifest manifest;
  private static SharedSessions.Lease lease;
  private static OnnxSeparationCore core;
  private static SeparationGeometry geometry;
  private static float[][] mix;
  @TempDir static Path modelCache;

  @BeforeAll
  static void load() throws Exception {
    manifest = SmallModel.manifest();
    lease = SmallModel.lease(manifest, modelCache, 1);
    core = new OnnxSeparationCore(lease.session(), manifest);
    geometry = core.geometry();
    Npy mixNpy = SmallModel.reference("mix");
    int n = mixNpy.shape()[1];
    float[] flat = mixNpy.floats();
    mix = new float[][] {Arrays.copyOfRange(flat, 0, n), Arrays.copyOfRange(flat, n, 2 * n)};
  }

  @AfterAll
  static void close() throws Exception {
    core.close();
    lease.close();
  }

  /** The first chunk as apply_model pads it: the track is longer than a segment, so its first segment. */
  private static float[] firstChunk() {
    float[] chunk = new float[geometry.waveSize()];
    for (int c = 0; c < geometry.channels(); c++) {
      System.arraycopy(mix[c], 0, chunk, c * geometry.segment(), geometry.segment());
    }
    return chunk;
  }

  private static FloatBuffer javaSpectrogram(float[] chunk) {
    DemucsStft stft = new DemucsStft(geometry.nFft(), geometry.segment());
    FloatBuffer spectrogram = FloatBuffer.allocate(geometry.spectrogramSize());
    for (int c = 0; c < geometry.channels(); c++) {
      stft.forward(chunk, c * geometry.segment(), c, spectrogram, 0);
    }
    return spectrogram;
  }

  @Test
  void stftMatchesDemucsSpec() throws Exception {
    Npy expected = SmallModel.reference("chunk_spectrogram");
    assertArrayEquals(new int[] {4, 2048, geometry.frames()}, expected.shape());
    assertMaxAbs(expected.floats(), javaSpectrogram(firstChunk()).array(), 1e-4, "spectrogram");
  }

  @Test
  void coreOutputsMatchPyTorchOnABatchOfTwo() throws Exception {
    float[] chunk = firstChunk();
    float[] spec = javaSpectrogram(chunk).array();
    SeparationCore.Inputs inputs = core.inputs(2);
    for (int b = 0; b < 2; b++) {
      inputs.mix().put(b * chunk.length, chunk);
      inputs.spectrogram().put(b * spec.length, spec);
    }
    float[] expectedFreq = SmallModel.reference("chunk_freq").floats();
    float[] expectedTime = SmallModel.reference("chunk_time").floats();
    core.run(2, (freq, time) -> {
      for (int b = 0; b < 2; b++) {
        float[] f = new float[expectedFreq.length];
        freq.get(b * f.length, f);
        assertMaxAbs(expectedFreq, f, 1e-4, "freq branch, batch item " + b);
        float[] t = new float[expectedTime.length];
        time.get(b * t.length, t);
        assertMaxAbs(expectedTime, t, 1e-4, "time branch, batch item " + b);
      }
    });
  }

  @Test
  void runRefusesMoreChunksThanTheLentInputsHold() throws Exception {
    try (OnnxSeparationCore fresh = new OnnxSeparationCore(lease.session(), manifest)) {
      assertThrows(IllegalArgumentException.class, () -> fresh.run(1, (freq, time) -> {}));
      fresh.inputs(2);
      assertThrows(IllegalArgumentException.class, () -> fresh.run(3, (freq, time) -> {}));
    }
  }

  @Test
  void wholeTrackMatchesApplyModel() throws Exception {
    Npy expected = SmallModel.reference("stems");
    int n = mix[0].length;
    assertArrayEquals(new int[] {4, 2, n}, expected.shape());
    for (int batchSize : new int[] {1, 3}) {
      float[][][] stems = separate(new ChunkedSeparator.Settings(0.25, 0, batchSize, 0), 10_000);
      float[] flat = expected.floats();
      for (int s = 0; s < 4; s++) {
        double signal = 0;
        double noise = 0;
        for (int c = 0; c < 2; c++) {
          for (int i = 0; i < n; i++) {
            double ref = flat[(s * 2 + c) * n + i];
            signal += ref * ref;
            noise += (ref - stems[s][c][i]) * (ref - stems[s][c][i]);
          }
        }
        double snr = 10 * Math.log10(signal / noise);
        assertTrue(snr >= 60, "source " + geometry.sources().get(s) + " batch " + batchSize + ": SNR " + snr);
      }
    }
  }

  @Test
  void streamingBlockSizeAndBatchingDoNotChangeShiftedStems() throws Exception {
    ChunkedSeparator.Settings oneByOne = new ChunkedSeparator.Settings(0.25, 2, 1, 7);
    ChunkedSeparator.Settings batched = new ChunkedSeparator.Settings(0.25, 2, 4, 7);
    float[][][] a = separate(oneByOne, 1000);
    float[][][] b = separate(batched, 50_000);
    for (int s = 0; s < 4; s++) {
      for (int c = 0; c < 2; c++) {
        assertEquals(mix[0].length, a[s][c].length);
        assertMaxAbs(a[s][c], b[s][c], 1e-6, "shifted stems, source " + s);
        for (float v : a[s][c]) {
          assertTrue(Float.isFinite(v));
        }
      }
    }
  }

  private static float[][][] separate(ChunkedSeparator.Settings settings, int block) throws Exception {
    int n = mix[0].length;
    float[][][] stems = new float[4][2][n];
    int[] written = {0};
    ChunkedSeparator separator = new ChunkedSeparator(core, settings, (out, frames) -> {
      for (int s = 0; s < 4; s++) {
        for (int c = 0; c < 2; c++) {
          System.arraycopy(out[s][c], 0, stems[s][c], written[0], frames);
        }
      }
      written[0] += frames;
    });
    for (int start = 0; start < n; start += block) {
      int frames = Math.min(block, n - start);
      separator.accept(new float[][] {Arrays.copyOfRange(mix[0], start, start + frames),
          Arrays.copyOfRange(mix[1], start, start + frames)}, frames);
    }
    separator.finish();
    assertEquals(n, written[0]);
    return stems;
  }

  private static void assertMaxAbs(float[] expected, float[] actual, double tolerance, String what) {
    assertEquals(expected.length, actual.length, what + " length");
    double max = 0;
    for (int i = 0; i < expected.length; i++) {
      max = Math.max(max, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(max <= tolerance, what + ": max abs difference " + max);
  }
}
