package io.audioflow.transforms.separation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.models.DeviceUnavailableException;
import io.audioflow.models.InferenceDevice;
import io.audioflow.models.ModelStore;
import io.audioflow.models.SeparationBag;
import io.audioflow.models.SharedSessions;
import io.audioflow.models.SeparationManifest;
import io.audioflow.transforms.testing.Npy;
import io.audioflow.transforms.testing.SeparationFixtures;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acceptance 1 (and issue 21's acceptance 3 for bags and six sources): the Java STFT, the ONNX core and Demucs's
 * chunking against PyTorch's own outputs.
 */
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
      stft.forward(FloatBuffer.wrap(chunk), c * geometry.segment(), c, spectrogram, 0);
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

  /**
   * Issue 21's acceptance 3 at the separator: the bag of two (different segments, non-uniform weights) and the
   * six-source model against Demucs's apply_model on the BagOfModels, at batch sizes 1 and 3.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"htdemucs-bag.json", "htdemucs-6s-small.json"})
  void bagsMatchApplyModelOnTheBagOfModels(String name) throws Exception {
    Path manifest = SeparationFixtures.DIR.resolve(name);
    SeparationBag bag = SeparationBag.read(manifest.toString());
    float[][] bagMix = SeparationFixtures.mix(manifest);
    try (OnnxSeparationModel opened = new OnnxSeparationModel(bag, new ModelStore(modelCache), 1)) {
      for (int batchSize : new int[] {1, 3}) {
        float[][][] stems = separate(opened.model(), bagMix, new ChunkedSeparator.Settings(0.25, 0, batchSize, 0),
            7_000);
        double[] snr = SeparationFixtures.snrPerSource(manifest, stems);
        for (int s = 0; s < snr.length; s++) {
          assertTrue(snr[s] >= 60, name + " " + bag.sources().get(s) + " batch " + batchSize + ": SNR " + snr[s]);
        }
      }
    }
  }

  /** The bag's reference is not any one of its models: vocals (weight 0 in model 0) are far from model 0 alone. */
  @Test
  void theBagsFirstModelAloneDoesNotMatchTheBag() throws Exception {
    SeparationBag bag = SeparationBag.read(SeparationFixtures.BAG.toString());
    try (OnnxSeparationModel opened = new OnnxSeparationModel(bag, new ModelStore(modelCache), 1)) {
      SeparationModel first = SeparationModel.of(opened.model().cores().get(0));
      float[][][] stems = separate(first, SeparationFixtures.mix(SeparationFixtures.BAG),
          ChunkedSeparator.Settings.defaults(), 50_000);
      double vocals = SeparationFixtures.snrPerSource(SeparationFixtures.BAG, stems)[3];
      assertTrue(vocals < 20, "model 0 alone against the bag's vocals: SNR " + vocals);
    }
  }

  @Test
  void streamingBlockSizeAndBatchingDoNotChangeABagsShiftedStems() throws Exception {
    SeparationBag bag = SeparationBag.read(SeparationFixtures.BAG.toString());
    float[][] bagMix = SeparationFixtures.mix(SeparationFixtures.BAG);
    try (OnnxSeparationModel opened = new OnnxSeparationModel(bag, new ModelStore(modelCache), 1)) {
      float[][][] a = separate(opened.model(), bagMix, new ChunkedSeparator.Settings(0.25, 2, 1, 7), 1000);
      float[][][] b = separate(opened.model(), bagMix, new ChunkedSeparator.Settings(0.25, 2, 4, 7), 50_000);
      for (int s = 0; s < 4; s++) {
        for (int c = 0; c < 2; c++) {
          assertMaxAbs(a[s][c], b[s][c], 1e-6, "a bag's shifted stems, source " + s);
        }
      }
    }
  }

  /**
   * One separator per worker, reset per track: tracks A, B, A again (with a track abandoned part-way before the second
   * A, as a failed file leaves it) through one instance give, bit for bit, what a new separator gives each. Run on
   * the bag (two cores, different segments) with shifts, and with batches, whose size must start again at one chunk.
   */
  @Test
  void aResetSeparatorGivesEachTrackWhatANewOneGives() throws Exception {
    SeparationBag bag = SeparationBag.read(SeparationFixtures.BAG.toString());
    float[][] a = SeparationFixtures.mix(SeparationFixtures.BAG);
    float[][] b = new float[2][];
    for (int c = 0; c < 2; c++) { // another track: shorter, quieter, reversed
      b[c] = new float[a[c].length * 2 / 3];
      for (int i = 0; i < b[c].length; i++) {
        b[c][i] = 0.5f * a[c][a[c].length - 1 - i];
      }
    }
    ChunkedSeparator.Settings settings = new ChunkedSeparator.Settings(0.25, 2, 3, 7);
    try (OnnxSeparationModel opened = new OnnxSeparationModel(bag, new ModelStore(modelCache), 1)) {
      SeparationModel model = opened.model();
      int sources = model.sources().size();
      float[][][] freshA = separate(model, a, settings, 7_000);
      float[][][] freshB = separate(model, b, settings, 7_000);
      ChunkedSeparator reused = new ChunkedSeparator(model, settings);
      assertStemsEqual(freshA, separate(reused, sources, a, 7_000), "first A");
      assertStemsEqual(freshB, separate(reused, sources, b, 7_000), "B after A");
      reused.reset((stems, frames) -> {});
      reused.accept(new float[][] {Arrays.copyOf(b[0], 20_000), Arrays.copyOf(b[1], 20_000)}, 20_000);
      assertStemsEqual(freshA, separate(reused, sources, a, 7_000), "A after B and an abandoned track");
    }
  }

  /**
   * Issue 24's spans at the separator: a track cut into spans (at chunk boundaries, and at an arbitrary position),
   * each span run by a separator reading the whole track, gives concatenated stems equal to the unsplit run: the
   * small model and the bag, with shifts and batches. Prints the largest difference.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"htdemucs-small.json", "htdemucs-bag.json"})
  void spansConcatenateToTheUnsplitStems(String name) throws Exception {
    Path manifest = SeparationFixtures.DIR.resolve(name);
    SeparationBag bag = SeparationBag.read(manifest.toString());
    float[][] track = name.equals("htdemucs-small.json") ? mix : SeparationFixtures.mix(manifest);
    int n = track[0].length;
    ChunkedSeparator.Settings settings = new ChunkedSeparator.Settings(0.25, 2, 3, 7);
    try (OnnxSeparationModel opened = new OnnxSeparationModel(bag, new ModelStore(modelCache), 1)) {
      SeparationModel model = opened.model();
      int sources = model.sources().size();
      float[][][] whole = separate(model, track, settings, 7_000);
      int stride = ChunkedSeparator.stride(model.cores().get(0).geometry().segment(), 0.25);
      for (long spanFrames : new long[] {stride, 10_001}) {
        List<SeparationSpan> spans = SeparationSpan.cut(n, spanFrames);
        assertTrue(spans.size() >= 3, spans.size() + " spans");
        float[][][] joined = new float[sources][2][n];
        ChunkedSeparator separator = new ChunkedSeparator(model, settings);
        for (SeparationSpan span : spans) {
          int[] at = {(int) span.from()};
          separator.reset((stems, frames) -> {
            for (int s = 0; s < sources; s++) {
              for (int c = 0; c < 2; c++) {
                System.arraycopy(stems[s][c], 0, joined[s][c], at[0], frames);
              }
            }
            at[0] += frames;
          }, span);
          feed(separator, track, 7_000);
          assertEquals(Math.min(n, span.to()), at[0], "span " + span);
        }
        double max = 0;
        for (int s = 0; s < sources; s++) {
          for (int c = 0; c < 2; c++) {
            max = Math.max(max, maxAbs(whole[s][c], joined[s][c]));
          }
        }
        System.out.printf("%s, %d spans of %d frames: max abs vs unsplit %.3g%n", name, spans.size(), spanFrames, max);
        assertTrue(max <= 1e-6, name + " spans of " + spanFrames + ": max abs " + max);
      }
    }
  }

  private static void feed(ChunkedSeparator separator, float[][] track, int block) throws Exception {
    int n = track[0].length;
    for (int start = 0; start < n; start += block) {
      int frames = Math.min(block, n - start);
      separator.accept(new float[][] {Arrays.copyOfRange(track[0], start, start + frames),
          Arrays.copyOfRange(track[1], start, start + frames)}, frames);
    }
    separator.finish();
  }

  private static double maxAbs(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  private static void assertStemsEqual(float[][][] expected, float[][][] actual, String what) {
    for (int s = 0; s < expected.length; s++) {
      for (int c = 0; c < expected[s].length; c++) {
        assertArrayEquals(expected[s][c], actual[s][c], what + ", source " + s + " channel " + c);
      }
    }
  }

  /**
   * Issue 24's CUDA half, enabled where a session starts on CUDA device 0 ({@code tools/gpu-check.sh}): the small
   * model's stems on the GPU against the CPU's, at batch sizes 1 and 4, within 2e-3 (the mix peaks at 0.9: about
   * -53 dB; ONNX Runtime's CUDA provider runs float32 convolutions and GEMMs in TF32 on Ampere and later). The
   * measured differences are printed.
   */
  @Test
  @EnabledIf("io.audioflow.models.testing.CudaDevice#present")
  void stemsOnCudaMatchTheCpus() throws Exception {
    SeparationBag bag = SeparationBag.read(SmallModel.MANIFEST.toString());
    InferenceDevice cuda = InferenceDevice.parse("cuda:0");
    try (OnnxSeparationModel onCpu = new OnnxSeparationModel(bag, new ModelStore(modelCache), 1);
        OnnxSeparationModel onCuda = new OnnxSeparationModel(bag, new ModelStore(modelCache), cuda, true, 1, 1, 0)) {
      assertEquals(cuda, onCuda.device());
      for (int batchSize : new int[] {1, 4}) {
        ChunkedSeparator.Settings settings = new ChunkedSeparator.Settings(0.25, 0, batchSize, 0);
        float[][][] expected = separate(onCpu.model(), mix, settings, 50_000);
        float[][][] actual = separate(onCuda.model(), mix, settings, 50_000);
        double max = 0;
        for (int s = 0; s < expected.length; s++) {
          for (int c = 0; c < 2; c++) {
            for (int i = 0; i < expected[s][c].length; i++) {
              max = Math.max(max, Math.abs(expected[s][c][i] - actual[s][c][i]));
            }
          }
        }
        System.out.printf(Locale.ROOT, "CUDA vs CPU stems, batch %d: max abs difference %.2e%n", batchSize,
            max);
        assertTrue(max <= 2e-3, "batch " + batchSize + ": max abs difference " + max);
      }
    }
  }

  /** Separation asks for a device like tagging: an unusable one falls back to the CPU, or fails when required. */
  @Test
  void anUnusableDeviceFallsBackToTheCpuOrFailsWhenRequired() throws Exception {
    SeparationBag bag = SeparationBag.read(SmallModel.MANIFEST.toString());
    InferenceDevice absent = InferenceDevice.parse("cuda:99"); // on any machine
    try (OnnxSeparationModel opened = new OnnxSeparationModel(bag, new ModelStore(modelCache), absent, false, 1, 1, 0)) {
      assertEquals(InferenceDevice.CPU, opened.device());
      float[][][] stems = separate(opened.model(), mix, ChunkedSeparator.Settings.defaults(), 50_000);
      assertTrue(Double.isFinite(stems[0][0][mix[0].length / 2]));
    }
    DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
        () -> new OnnxSeparationModel(bag, new ModelStore(modelCache), absent, true, 1, 1, 0));
    assertTrue(e.getMessage().contains("cuda:99"), e.getMessage());
  }

  private static float[][][] separate(ChunkedSeparator.Settings settings, int block) throws Exception {
    return separate(SeparationModel.of(core), mix, settings, block);
  }

  private static float[][][] separate(SeparationModel model, float[][] mix, ChunkedSeparator.Settings settings,
      int block) throws Exception {
    return separate(new ChunkedSeparator(model, settings), model.sources().size(), mix, block);
  }

  /** Resets {@code separator} for {@code mix}, fed in blocks of {@code block} frames, and returns its stems. */
  private static float[][][] separate(ChunkedSeparator separator, int sources, float[][] mix, int block)
      throws Exception {
    int n = mix[0].length;
    float[][][] stems = new float[sources][2][n];
    int[] written = {0};
    separator.reset((out, frames) -> {
      for (int s = 0; s < sources; s++) {
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
