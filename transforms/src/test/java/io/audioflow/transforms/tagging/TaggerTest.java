package io.audioflow.transforms.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audioflow.models.InferenceDevice;
import io.audioflow.models.ModelException;
import io.audioflow.models.ModelManifest;
import io.audioflow.models.ModelStore;
import io.audioflow.models.SessionPolicy;
import io.audioflow.models.testing.StandInModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaggerTest {
  private static final int F = StandInModels.FRAMES;
  private static final int M = StandInModels.MELS;

  @TempDir Path dir;

  @Test
  void patchesFollowHopAndLastPatchMode() {
    // 11 frames of width 1 with value = index; patches of 4 every 3 frames: whole at 0, 3, 6, padded at 9.
    List<float[]> padded = patches(11, 4, 3, LastPatch.PAD);
    assertEquals(4, padded.size());
    assertEquals(List.of(3f, 4f, 5f, 6f), list(padded.get(1)));
    assertEquals(List.of(9f, 10f, 0f, 0f), list(padded.get(3)));
    assertEquals(3, patches(11, 4, 3, LastPatch.DISCARD).size());
    assertEquals(3, patches(10, 4, 3, LastPatch.PAD).size(), "frame 9 is covered by the patch at 6: no padding");
    assertEquals(List.of(0f, 1f, 0f, 0f), list(patches(2, 4, 4, LastPatch.PAD).get(0)), "zero-padded");
    assertEquals(0, patches(2, 4, 4, LastPatch.DISCARD).size());
    assertEquals(0, patches(0, 4, 4, LastPatch.PAD).size());
    assertEquals(2, patches(8, 4, 4, LastPatch.PAD).size(), "no empty padded patch after an exact fit");
  }

  @Test
  void tagsEmbeddingsAndHeadsMatchAnIndependentComputation() {
    StandInModels models = new StandInModels();
    StandInModels.Written files = models.write(dir.resolve("zoo"));
    TaggingSettings settings = TaggingSettings.resolve(
        List.of(files.extractorOwnJson().toString(), files.headEssentiaJson().toString()),
        new ModelStore(dir.resolve("cache")), new SessionPolicy(InferenceDevice.CPU, false, 1), 3, 100,
        LastPatch.PAD, 5, true);
    // 7 patch starts (0, 100, ..., 600) fit in 700 frames with hop 100? 600 + 187 > 700: whole patches start at
    // 0..500 (6), then one padded patch at 600; batches of 3 leave a partial batch.
    int frames = 700;
    double[][] power = new double[frames][M];
    Random random = new Random(9);
    for (double[] frame : power) {
      for (int m = 0; m < M; m++) {
        frame[m] = random.nextDouble() * random.nextDouble() * 0.01;
      }
    }
    List<Prediction> predictions;
    try (TaggingRuntime runtime = TaggingRuntime.open(settings, new ModelStore(dir.resolve("cache")))) {
      assertNull(runtime.essentiaInput(), "the project's manifest names the musicnn front end: the job's mel frames");
      runtime.start();
      for (double[] frame : power) {
        runtime.onFrame(frame);
      }
      predictions = runtime.finish();
    }
    int[] starts = {0, 100, 200, 300, 400, 500, 600};
    double[] tags = new double[StandInModels.TAGS];
    double[] embedding = new double[StandInModels.EMBEDDING];
    double[] head = new double[2];
    List<double[]> patchTags = new ArrayList<>();
    List<double[]> patchHead = new ArrayList<>();
    for (int start : starts) {
      float[] patch = new float[F * M];
      for (int t = 0; t < F && start + t < frames; t++) {
        for (int m = 0; m < M; m++) {
          patch[t * M + m] = (float) Math.log10(1 + 10000 * power[start + t][m]);
        }
      }
      double[] e = models.embedding(patch, 0);
      accumulate(embedding, e);
      accumulate(tags, models.tags(e));
      accumulate(head, models.head(e));
      patchTags.add(models.tags(e));
      patchHead.add(models.head(e));
    }
    Prediction extractor = predictions.get(0);
    assertEquals(StandInModels.EXTRACTOR, extractor.model());
    assertEquals(starts.length, extractor.patchCount());
    assertClose(tags, starts.length, extractor.probabilities());
    assertClose(embedding, starts.length, extractor.embedding());
    Prediction danceability = predictions.get(1);
    assertEquals(ModelManifest.Kind.HEAD, danceability.kind());
    assertNull(danceability.embedding());
    assertClose(head, starts.length, danceability.probabilities());
    // The taggram: every patch's own probabilities, in patch order.
    assertEquals(starts.length, extractor.patchProbabilities().size());
    assertEquals(starts.length, danceability.patchProbabilities().size());
    for (int k = 0; k < starts.length; k++) {
      assertClose(patchTags.get(k), 1, extractor.patchProbabilities().get(k));
      assertClose(patchHead.get(k), 1, danceability.patchProbabilities().get(k));
    }
    List<Prediction.Tag> top = extractor.topTags(5);
    assertEquals(5, top.size());
    for (int i = 1; i < top.size(); i++) {
      assertTrue(top.get(i - 1).score() >= top.get(i).score());
    }
  }

  @Test
  void essentiaManifestsAreFedEssentiasFrontEndNotTheJobsMelFrames() {
    StandInModels models = new StandInModels();
    StandInModels.Written files = models.write(dir.resolve("zoo"));
    ModelStore store = new ModelStore(dir.resolve("cache"));
    TaggingSettings settings = TaggingSettings.resolve(List.of(files.extractorEssentiaJson().toString()), store,
        new SessionPolicy(InferenceDevice.CPU, false, 1), 64, F, LastPatch.PAD, 5, false);
    try (TaggingRuntime runtime = TaggingRuntime.open(settings, store)) {
      runtime.start();
      double[] loud = new double[M];
      java.util.Arrays.fill(loud, 1.0);
      runtime.onFrame(loud); // a musicnn-preset frame: not this extractor's input, would change the embedding
      var input = runtime.essentiaInput();
      input.start(16000);
      input.accept(new float[16000], 0, 16000); // 1 s of silence: 1 + 16000 / 256 rounded up = 64 frames
      input.finish();
      Prediction p = runtime.finish().get(0);
      assertEquals(1, p.patchCount());
      double[] e = models.embedding(new float[F * M], 0); // log10(1 + 0) = 0 everywhere, padding included
      assertClose(e, 1, p.embedding());
    }
  }

  @Test
  void anExtractorWhoseFramesAreNotNinetySixMelBandsFailsWhenResolved() throws Exception {
    StandInModels.Written files = new StandInModels().write(dir.resolve("zoo"));
    ObjectMapper json = new ObjectMapper();
    ObjectNode manifest = (ObjectNode) json.readTree(files.extractorOwnJson().toFile());
    ((ObjectNode) manifest.get("input")).putArray("shape").add(187).add(128);
    Path bad = files.extractorOwnJson().resolveSibling("mels128.audioflow.json");
    json.writeValue(bad.toFile(), manifest);
    ModelException e = assertThrows(ModelException.class, () -> TaggingSettings.resolve(List.of(bad.toString()),
        new ModelStore(dir.resolve("cache")), new SessionPolicy(InferenceDevice.CPU, false, 1), 64, F,
        LastPatch.PAD, 5, false));
    assertTrue(e.getMessage().contains("mels128.audioflow.json") && e.getMessage().contains("96 mel bands"),
        e.getMessage());
  }

  @Test
  void aHeadWhoseInputIsNotItsExtractorsEmbeddingSizeFailsWhenResolved() throws Exception {
    StandInModels.Written files = new StandInModels().write(dir.resolve("zoo"));
    ObjectMapper json = new ObjectMapper();
    ObjectNode head = (ObjectNode) json.readTree(files.headEssentiaJson().toFile());
    ((ObjectNode) head.get("schema").get("inputs").get(0)).putArray("shape").add(128);
    json.writeValue(files.headEssentiaJson().toFile(), head);
    ModelException e = assertThrows(ModelException.class, () -> TaggingSettings.resolve(
        List.of(files.extractorEssentiaJson().toString(), files.headEssentiaJson().toString()),
        new ModelStore(dir.resolve("cache")), new SessionPolicy(InferenceDevice.CPU, false, 1), 64, F,
        LastPatch.PAD, 5, false));
    assertTrue(e.getMessage().contains(files.headEssentiaJson().toString()) && e.getMessage().contains("[128]")
        && e.getMessage().contains("extractor " + StandInModels.EXTRACTOR) && e.getMessage().contains("[1, 200]"),
        e.getMessage());
  }

  private static void accumulate(double[] sums, double[] values) {
    for (int i = 0; i < sums.length; i++) {
      sums[i] += values[i];
    }
  }

  private static void assertClose(double[] sums, int n, float[] actual) {
    assertEquals(sums.length, actual.length);
    for (int i = 0; i < sums.length; i++) {
      assertEquals(sums[i] / n, actual[i], 1e-5, "index " + i);
    }
  }

  private static List<float[]> patches(int frames, int size, int hop, LastPatch mode) {
    List<float[]> out = new ArrayList<>();
    PatchAssembler assembler = new PatchAssembler(size, 1, hop, mode, p -> out.add(p.clone()));
    for (int i = 0; i < frames; i++) {
      assembler.add(new float[] {i});
    }
    assembler.finish();
    assertEquals(out.size(), assembler.patches());
    return out;
  }

  private static List<Float> list(float[] values) {
    List<Float> list = new ArrayList<>();
    for (float v : values) {
      list.add(v);
    }
    return list;
  }
}
