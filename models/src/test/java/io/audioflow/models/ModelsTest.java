package io.audioflow.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audioflow.models.testing.StandInModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;

class ModelsTest {
  @TempDir static Path dir;
  static StandInModels models = new StandInModels();
  static StandInModels.Written files;

  @BeforeAll
  static void writeModels() {
    files = models.write(dir.resolve("zoo"));
  }

  private static ModelStore store() {
    return new ModelStore(dir.resolve("cache"));
  }

  @Test
  void bothManifestFormatsDescribeTheSameModels() {
    ModelManifest essentia = ModelManifest.read(files.extractorEssentiaJson().toString());
    ModelManifest own = ModelManifest.read(files.extractorOwnJson().toString());
    for (ModelManifest m : List.of(essentia, own)) {
      assertEquals(StandInModels.EXTRACTOR, m.name());
      assertEquals(ModelManifest.Kind.EXTRACTOR, m.kind());
      assertEquals("model/Placeholder", m.input().name());
      assertEquals("model/Sigmoid", m.predictions().name());
      assertEquals("model/dense/BiasAdd", m.embeddings().name());
      assertEquals(StandInModels.tagLabels(), m.labels());
      assertEquals(16000, m.sampleRate());
      assertEquals(files.extractorOnnx().toString(), m.modelUri());
    }
    assertNull(essentia.sha256(), "Essentia's JSON carries no checksum");
    assertEquals(StandInModels.sha256(files.extractorOnnx()), own.sha256());

    ModelManifest head = ModelManifest.read(files.headEssentiaJson().toString());
    assertEquals(ModelManifest.Kind.HEAD, head.kind());
    assertEquals(StandInModels.EXTRACTOR, head.embeddingModel());
    assertEquals(StandInModels.HEAD_LABELS, head.labels());
    assertEquals(head.embeddingModel(), ModelManifest.read(files.headOwnJson().toString()).embeddingModel());
  }

  @Test
  void zooMetadataIsReadAsPublished() throws Exception {
    var json = new ObjectMapper();
    assertEquals(StandInModels.EXTRACTOR_TITLE,
        json.readTree(files.extractorEssentiaJson().toFile()).get("name").asText());
    ModelManifest extractor = ModelManifest.read(files.extractorEssentiaJson().toString());
    assertEquals(StandInModels.EXTRACTOR, extractor.name(), "a zoo model is known by its file name, not its title");
    assertEquals(new ModelManifest.Tensor("model/Placeholder", List.of(187L, 96L)), extractor.input());
    assertEquals(new ModelManifest.Tensor("model/Sigmoid", List.of(1L, 50L)), extractor.predictions());
    assertEquals(new ModelManifest.Tensor("model/dense/BiasAdd", List.of(1L, 200L)), extractor.embeddings());

    ModelManifest tf2 = ModelManifest.read(files.tf2HeadEssentiaJson().toString());
    assertEquals(StandInModels.TF2_HEAD, tf2.name());
    assertEquals(StandInModels.EXTRACTOR, tf2.embeddingModel(), "inference.embedding_model.model_name");
    assertEquals(new ModelManifest.Tensor("serving_default_model_Placeholder", List.of(200L)), tf2.input());
    assertEquals(new ModelManifest.Tensor("PartitionedCall", List.of(5L)), tf2.predictions());
    assertNull(tf2.embeddings());
    assertEquals(StandInModels.TF2_HEAD_LABELS, tf2.labels());

    // Older metadata names the extractor by a plain string.
    ObjectNode head = (ObjectNode) json.readTree(files.headEssentiaJson().toFile());
    ObjectNode inference = (ObjectNode) head.get("inference");
    inference.put("embedding_model", StandInModels.EXTRACTOR);
    assertEquals(StandInModels.EXTRACTOR, ModelManifest.parse(head, "zoo/" + StandInModels.HEAD + ".json")
        .embeddingModel());
    inference.putObject("embedding_model").put("algorithm", "TensorflowPredictMusiCNN");
    ModelException e = assertThrows(ModelException.class, () -> ModelManifest.parse(head, "zoo/nameless.json"));
    assertTrue(e.getMessage().contains("zoo/nameless.json") && e.getMessage().contains("model_name")
        && e.getMessage().contains("{\"algorithm\":\"TensorflowPredictMusiCNN\"}"), e.getMessage());
  }

  @Test
  void verifyNamesTheModelsOwnTensorsAndLogsHowOncePerModel() {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true));
    List<ModelManifest> verified = new ArrayList<>();
    try {
      for (Path json : List.of(files.extractorEssentiaJson(), files.headEssentiaJson(), files.tf2HeadEssentiaJson())) {
        verified.add(store().verify(ModelManifest.read(json.toString())).manifest());
      }
    } finally {
      System.setErr(err);
    }
    assertEquals(new ModelManifest.Tensor("model/Placeholder:0", List.of(187L, 96L)), verified.get(0).input());
    assertEquals("model/Sigmoid:0", verified.get(0).predictions().name());
    assertEquals("model/dense/BiasAdd:0", verified.get(0).embeddings().name());
    assertEquals("model/Placeholder:0", verified.get(1).input().name());
    assertEquals("model/Softmax:0", verified.get(1).predictions().name());
    assertEquals("serving_default_model_Placeholder:0", verified.get(2).input().name());
    assertEquals("PartitionedCall:0", verified.get(2).predictions().name());
    String log = captured.toString();
    for (ModelManifest m : verified) {
      assertEquals(1, log.lines().filter(l -> l.contains("INFO") && l.contains(" " + m.name() + " (" + m.manifestUri())
          && l.contains("with tf2onnx's :0")).count(), log);
    }
  }

  @Test
  void fallbacksFindTheOnlyInputAndTheOnlyOutputOfTheDeclaredShape() {
    ModelManifest head = ModelManifest.read(files.headEssentiaJson().toString());
    ModelManifest renamed = head.withTensors(new ModelManifest.Tensor("embedding", List.of(200L)),
        new ModelManifest.Tensor("probabilities", List.of(2L)), null);
    ModelManifest verified = store().verify(renamed).manifest();
    assertEquals("model/Placeholder:0", verified.input().name());
    assertEquals("model/Softmax:0", verified.predictions().name(), "[batch, 2], not the hidden [batch, 100]");
  }

  @Test
  void shapesMatchAsTheZooWritesThem() {
    long[] embedding = {-1, 200};
    assertTrue(TensorNames.shapeMatches(List.of(200L), embedding), "batch absent");
    assertTrue(TensorNames.shapeMatches(List.of(1L, 200L), embedding), "batch of 1");
    assertTrue(TensorNames.shapeMatches(List.of(-1L, 200L), embedding));
    assertTrue(TensorNames.shapeMatches(List.of(187L, 96L), new long[] {-1, 187, 96}));
    assertTrue(TensorNames.shapeMatches(List.of(200L), new long[] {64, -1}), "a symbolic size matches any");
    assertFalse(TensorNames.shapeMatches(List.of(100L), embedding));
    assertFalse(TensorNames.shapeMatches(List.of(), embedding), "no declared shape, no match");
    assertFalse(TensorNames.shapeMatches(List.of(200L), new long[] {-1, 1, 200}));
  }

  @Test
  void namesMatchingNothingOrTwoTensorsAreRefusedWithTheModelsRealTensors() {
    ModelManifest head = ModelManifest.read(files.headEssentiaJson().toString());
    String nothing = assertThrows(ModelException.class, () -> store().verify(head.withTensors(head.input(),
        new ModelManifest.Tensor("model/Sigmoid", List.of(3L)), null))).getMessage();
    for (String expected : List.of(files.headEssentiaJson().toString(), "'model/Sigmoid' [3]",
        "nor 'model/Sigmoid:0'", "no output has that shape", "'model/Placeholder:0' [-1, 200]",
        "'model/Softmax:0' [-1, 2]", "'model/dense/BiasAdd:0' [-1, 100]")) {
      assertTrue(nothing.contains(expected), expected + " in " + nothing);
    }
    ModelManifest extractor = ModelManifest.read(files.extractorEssentiaJson().toString());
    String two = assertThrows(ModelException.class, () -> store().verify(extractor.withTensors(extractor.input(),
        new ModelManifest.Tensor("model/Sigmoid_1", List.of(1L, 50L)), extractor.embeddings()))).getMessage();
    for (String expected : List.of(files.extractorEssentiaJson().toString(), "'model/Sigmoid_1' [1, 50]",
        "2 outputs have that shape", "model/dense_1/BiasAdd:0", "'model/Placeholder:0' [-1, 187, 96]")) {
      assertTrue(two.contains(expected), expected + " in " + two);
    }
    String same = assertThrows(ModelException.class, () -> store().verify(extractor.withTensors(extractor.input(),
        new ModelManifest.Tensor("model/dense/BiasAdd", List.of()), extractor.embeddings()))).getMessage();
    assertTrue(same.contains("both resolve to 'model/dense/BiasAdd:0'"), same);
  }

  @Test
  void manifestsNameTheirFrontEnd() throws Exception {
    // Essentia's MusiCNN models were trained on its own TensorflowInputMusiCNN; the own format says which it is.
    assertEquals(FrontEnd.ESSENTIA_MUSICNN,
        ModelManifest.read(files.extractorEssentiaJson().toString()).frontEnd());
    assertEquals(FrontEnd.MUSICNN, ModelManifest.read(files.extractorOwnJson().toString()).frontEnd());
    assertNull(ModelManifest.read(files.headEssentiaJson().toString()).frontEnd());
    assertNull(ModelManifest.read(files.headOwnJson().toString()).frontEnd());
    var json = new ObjectMapper();
    var own = (ObjectNode) json.readTree(files.extractorOwnJson().toFile());
    own.remove("front_end");
    assertEquals(FrontEnd.MUSICNN, ModelManifest.parse(own, "own.json").frontEnd(), "the documented default");
    own.put("front_end", FrontEnd.ESSENTIA_MUSICNN.id());
    assertEquals(FrontEnd.ESSENTIA_MUSICNN, ModelManifest.parse(own, "own.json").frontEnd());
    own.put("front_end", "vggish");
    ModelException unknown = assertThrows(ModelException.class, () -> ModelManifest.parse(own, "own.json"));
    assertTrue(unknown.getMessage().contains("own.json") && unknown.getMessage().contains("vggish"),
        unknown.getMessage());
    var essentia =
        (ObjectNode) json.readTree(files.extractorEssentiaJson().toFile());
    ((ObjectNode) essentia.get("inference"))
        .put("algorithm", "TensorflowPredictVGGish");
    ModelException vggish = assertThrows(ModelException.class, () -> ModelManifest.parse(essentia, "vggish.json"));
    assertTrue(vggish.getMessage().contains("TensorflowPredictVGGish"), vggish.getMessage());
  }

  @Test
  void storeVerifiesAgainstTheSidecarAndPinsTheHash() {
    LocalModel local = store().verify(ModelManifest.read(files.extractorEssentiaJson().toString()));
    assertEquals(StandInModels.sha256(files.extractorOnnx()), local.manifest().sha256());
    assertEquals(StandInModels.sha256(files.extractorOnnx()), StandInModels.sha256(local.file()));
  }

  @Test
  void storeAcceptsAnUpperCaseHash() {
    String sha = StandInModels.sha256(files.extractorOnnx());
    Path upper = store().fetch(files.extractorOnnx().toString(), sha.toUpperCase(Locale.ROOT));
    assertEquals(store().fetch(files.extractorOnnx().toString(), sha), upper);
    assertEquals(sha, StandInModels.sha256(upper));
  }

  @Test
  void badModelsFailNamingTheFile() throws Exception {
    Path bad = Files.createDirectories(dir.resolve("bad"));
    ModelManifest own = ModelManifest.read(files.extractorOwnJson().toString());
    byte[] bytes = Files.readAllBytes(files.extractorOnnx());

    Path missing = bad.resolve("missing.onnx");
    assertMessageNames(missing, () -> store().verify(manifestFor(own, missing, null)));

    Path mismatched = bad.resolve("mismatched.onnx");
    Files.write(mismatched, bytes);
    ModelException e = assertMessageNames(mismatched, () -> store().verify(manifestFor(own, mismatched, "0".repeat(64))));
    assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());

    Path truncated = bad.resolve("truncated.onnx");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    assertMessageNames(truncated, () -> store().verify(manifestFor(own, truncated, null)));

    Path corrupt = bad.resolve("corrupt.onnx");
    byte[] garbage = new byte[4096];
    new Random(3).nextBytes(garbage);
    Files.write(corrupt, garbage);
    assertMessageNames(corrupt, () -> store().verify(manifestFor(own, corrupt, null)));

    // A name the model lacks, with no fallback to turn to (no output of the declared shape).
    Path wrongTensor = bad.resolve("wrong-tensor.onnx");
    Files.write(wrongTensor, bytes);
    ModelManifest renamed = new ModelManifest(own.name(), own.manifestUri(), wrongTensor.toString(), null,
        own.input(), new ModelManifest.Tensor("probabilities", List.of(-1L, 49L)), own.embeddings(), own.labels(),
        16000, null, own.frontEnd());
    assertTrue(
        assertMessageNames(wrongTensor, () -> store().verify(renamed)).getMessage().contains("probabilities"));
  }

  @Test
  void parallelLeasesShareOneSessionThatClosesWithTheLastLease() throws Exception {
    LocalModel local = store().fetch(ModelManifest.read(files.headOwnJson().toString()));
    SessionPolicy policy = new SessionPolicy(InferenceDevice.CPU, false, 1);
    assertTrue(SharedSessions.awaitAllClosed(10_000), "sessions of earlier tests closed");
    long before = SharedSessions.sessionsCreated();
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<SharedSessions.Lease>> leases = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      leases.add(pool.submit(() -> {
        start.await();
        return SharedSessions.acquire(local.file(), policy);
      }));
    }
    start.countDown();
    List<SharedSessions.Lease> held = new ArrayList<>();
    for (Future<SharedSessions.Lease> f : leases) {
      held.add(f.get());
    }
    pool.shutdown();
    assertEquals(1, SharedSessions.sessionsCreated() - before);
    OrtSession session = held.get(0).session();
    assertTrue(held.stream().allMatch(l -> l.session() == session));
    for (SharedSessions.Lease l : held.subList(1, threads)) {
      l.close();
    }
    assertEquals(1, SharedSessions.openSessions());
    held.get(0).close();
    assertThrows(IllegalStateException.class, () -> held.get(0).session());
    // Within the idle grace period a new lease gets the same session back.
    try (SharedSessions.Lease again = SharedSessions.acquire(local.file(), policy)) {
      assertTrue(again.session() == session);
    }
    assertEquals(1, SharedSessions.sessionsCreated() - before);
    assertTrue(SharedSessions.awaitAllClosed(10_000), "closed after the grace period");
  }

  @Test
  void theMemoryPatternChoiceSplitsSessionsAndThreadCountsDoNot() throws Exception {
    LocalModel local = store().fetch(ModelManifest.read(files.headOwnJson().toString()));
    try (SharedSessions.Lease varying =
            SharedSessions.acquire(local.file(), new SessionPolicy(InferenceDevice.CPU, false, 1));
        SharedSessions.Lease fixed =
            SharedSessions.acquire(local.file(), new SessionPolicy(InferenceDevice.CPU, false, 1, true));
        SharedSessions.Lease fixedTwoThreads =
            SharedSessions.acquire(local.file(), new SessionPolicy(InferenceDevice.CPU, false, 2, true))) {
      assertTrue(varying.session() != fixed.session());
      assertTrue(fixed.session() == fixedTwoThreads.session(), "the first acquire's thread count applies");
    }
    assertTrue(SharedSessions.awaitAllClosed(10_000));
  }

  @Test
  void standInModelsComputeWhatTheTestsExpect() throws Exception {
    LocalModel extractor = store().fetch(ModelManifest.read(files.extractorOwnJson().toString()));
    LocalModel head = store().fetch(ModelManifest.read(files.headOwnJson().toString()));
    LocalModel tf2Head = store().fetch(ModelManifest.read(files.tf2HeadEssentiaJson().toString()));
    int batch = 2;
    float[] patches = new float[batch * StandInModels.FRAMES * StandInModels.MELS];
    Random random = new Random(5);
    for (int i = 0; i < patches.length; i++) {
      patches[i] = (float) (random.nextDouble() * 3);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    SessionPolicy policy = new SessionPolicy(InferenceDevice.CPU, false, 1);
    try (SharedSessions.Lease e = SharedSessions.acquire(extractor.file(), policy);
        SharedSessions.Lease h = SharedSessions.acquire(head.file(), policy);
        SharedSessions.Lease t = SharedSessions.acquire(tf2Head.file(), policy);
        OnnxTensor input = OnnxTensor.createTensor(
            env, FloatBuffer.wrap(patches), new long[] {batch, StandInModels.FRAMES, StandInModels.MELS});
        OrtSession.Result out = e.session().run(Map.of("model/Placeholder:0", input))) {
      float[][] tags = (float[][]) out.get("model/Sigmoid:0").get().getValue();
      float[][] embeddings = (float[][]) out.get("model/dense/BiasAdd:0").get().getValue();
      for (int b = 0; b < batch; b++) {
        double[] embedding = models.embedding(patches, b * StandInModels.FRAMES * StandInModels.MELS);
        assertClose(embedding, embeddings[b]);
        assertClose(models.tags(embedding), tags[b]);
      }
      try (OnnxTensor emb = OnnxTensor.createTensor(env, embeddings);
          OrtSession.Result probs = h.session().run(Map.of("model/Placeholder:0", emb));
          OrtSession.Result moods = t.session().run(Map.of("serving_default_model_Placeholder:0", emb))) {
        float[][] p = (float[][]) probs.get("model/Softmax:0").get().getValue();
        float[][] q = (float[][]) moods.get("PartitionedCall:0").get().getValue();
        for (int b = 0; b < batch; b++) {
          double[] embedding = new double[StandInModels.EMBEDDING];
          for (int j = 0; j < embedding.length; j++) {
            embedding[j] = embeddings[b][j];
          }
          assertClose(models.head(embedding), p[b]);
          assertClose(models.tf2Head(embedding), q[b]);
        }
      }
    }
  }

  /** The CPU half of issue 24's device checks (CudaSessionsTest is the CUDA half). */
  @Test
  @DisabledIf("io.audioflow.models.testing.CudaDevice#present")
  void cudaFallsBackToTheCpuWithOneWarningOrFailsWhenRequired() throws InterruptedException {
    LocalModel local = store().fetch(ModelManifest.read(files.headOwnJson().toString()));
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true));
    try (SharedSessions.Lease lease =
        SharedSessions.acquire(local.file(), new SessionPolicy(InferenceDevice.parse("cuda:0"), false, 1))) {
      assertEquals(InferenceDevice.CPU, lease.device());
    } finally {
      System.setErr(err);
    }
    String log = captured.toString();
    assertEquals(1, log.lines().filter(l -> l.contains("WARN") && l.contains("cuda:0 is unusable")).count(), log);

    DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
        () -> SharedSessions.acquire(local.file(), new SessionPolicy(InferenceDevice.parse("cuda"), true, 1)));
    assertTrue(e.getMessage().contains("cuda:0"), e.getMessage());
    assertTrue(SharedSessions.awaitAllClosed(10_000));
  }

  private static ModelManifest manifestFor(ModelManifest m, Path file, String sha) {
    return new ModelManifest(m.name(), m.manifestUri(), file.toString(), sha, m.input(), m.predictions(),
        m.embeddings(), m.labels(), m.sampleRate(), m.embeddingModel(), m.frontEnd());
  }

  private static ModelException assertMessageNames(Path file, org.junit.jupiter.api.function.Executable call) {
    ModelException e = assertThrows(ModelException.class, call);
    assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
    return e;
  }

  private static void assertClose(double[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-5, "index " + i);
    }
  }
}
