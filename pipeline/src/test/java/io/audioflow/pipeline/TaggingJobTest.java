package io.audioflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audioflow.models.DeviceUnavailableException;
import io.audioflow.models.ModelException;
import io.audioflow.models.SharedSessions;
import io.audioflow.models.testing.StandInModels;
import io.audioflow.transforms.beam.AnalyzeFileFn;
import io.audioflow.transforms.resample.Resampler;
import io.audioflow.transforms.tagging.EssentiaMusicnnFrames;
import io.audioflow.transforms.testing.MonoSignal;
import io.audioflow.transforms.testing.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tagging step in the job, with the stand-in MusiCNN-shaped models: one shared session per model, bad models
 * failing at start, predictions equal to an independent computation: from the job's own mel table for the musicnn
 * front end (the project's manifests), from the file decoded and resampled here for Essentia's front end (Essentia's
 * metadata).
 */
class TaggingJobTest {
  private static final int F = StandInModels.FRAMES;
  private static final int M = StandInModels.MELS;
  private static final List<String> CHECKED =
      List.of("sine440_s16_44100_mono_5s.wav", "mix_mp3vbr_22050_mono_10s.mp3", "tiny_0.05s.mp3");

  @TempDir static Path dir;
  static StandInModels models = new StandInModels();
  static StandInModels.Written files;
  static Path corpusOutput;
  static long corpusSessions;
  static boolean corpusSessionsClosed;

  @BeforeAll
  static void runCorpusJob() throws IOException, InterruptedException {
    files = models.write(dir.resolve("zoo"));
    List<String> uris = new ArrayList<>();
    for (String sub : List.of("corpus/synthetic", "corpus/bad")) {
      try (Stream<Path> list = Files.list(SharedTestData.resolve(sub))) {
        list.filter(Files::isRegularFile).forEach(f -> uris.add(f.toAbsolutePath().toString()));
      }
    }
    Path inputList = Files.write(dir.resolve("inputs.txt"), uris);
    corpusOutput = dir.resolve("corpus-out");
    long before = SharedSessions.sessionsCreated();
    // Summary mel only: the 3-hour file's mel table would not fit the Direct runner's memory.
    JobRunner.run(corpusOutput, "--inputList=" + inputList, "--features=mel",
        "--models=" + files.extractorEssentiaJson() + "," + files.headEssentiaJson());
    corpusSessions = SharedSessions.sessionsCreated() - before;
    corpusSessionsClosed = SharedSessions.awaitAllClosed(10_000);
  }

  @Test
  void aJobCreatesOneSessionPerModelAndClosesThem() {
    assertEquals(2, corpusSessions);
    assertTrue(corpusSessionsClosed, "teardown closed the sessions");
  }

  @Test
  void parallelDoFnSetupsShareOneSessionPerModel() throws Exception {
    PipelineOptionsFactory.register(AudioflowOptions.class);
    AudioflowOptions options = PipelineOptionsFactory.fromArgs(
            "--output=" + dir.resolve("unused"),
            "--models=" + files.extractorOwnJson() + "," + files.headOwnJson())
        .as(AudioflowOptions.class);
    var settings = MelSettings.from(options);
    var tagging = TaggingOptions.from(options, settings);
    assertTrue(SharedSessions.awaitAllClosed(10_000), "sessions of earlier jobs closed");
    long before = SharedSessions.sessionsCreated();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<AnalyzeFileFn>> setups = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      setups.add(pool.submit(() -> {
        AnalyzeFileFn fn = new AnalyzeFileFn(settings, true, null, 0, tagging, 0, 0);
        go.await();
        fn.setup();
        return fn;
      }));
    }
    go.countDown();
    List<AnalyzeFileFn> fns = new ArrayList<>();
    for (Future<AnalyzeFileFn> f : setups) {
      fns.add(f.get());
    }
    assertEquals(2, SharedSessions.sessionsCreated() - before);
    assertEquals(2, SharedSessions.openSessions());
    List<Future<?>> teardowns = new ArrayList<>();
    for (AnalyzeFileFn fn : fns) {
      teardowns.add(pool.submit(fn::teardown));
    }
    for (Future<?> f : teardowns) {
      f.get();
    }
    pool.shutdown();
    assertTrue(SharedSessions.awaitAllClosed(10_000));
  }

  @Test
  void everyTrackGetsFinitePredictionsFromBothModels() {
    List<Map<String, Object>> tracks =
        OutputTables.read(corpusOutput, "tracks", "uri, mel_frames, decoded_samples, sample_rate");
    List<Map<String, Object>> rows = OutputTables.query("SELECT uri, model, kind, patch_count,"
        + " map_values(probabilities) AS p, len(embedding) AS dim, len(top_tags) AS top FROM read_parquet('"
        + corpusOutput.resolve("predictions") + "/*.parquet')");
    assertEquals(2 * tracks.size(), rows.size());
    // Essentia's front end (these manifests) cuts 1 + ceil(n / 256) frames from the n samples at 16 kHz, where the
    // musicnn mel has 1 + floor(n / 256); patches of F frames, hop F, the last one padded.
    Map<String, Long> expectedPatches = new HashMap<>();
    for (Map<String, Object> t : tracks) {
      long n = Resampler.expectedLength(
          ((Number) t.get("decoded_samples")).longValue(), ((Number) t.get("sample_rate")).intValue(), 16000);
      long frames = n == 0 ? 0 : 1 + (n + 255) / 256;
      assertEquals(n == 0 ? 0 : 1 + n / 256, ((Number) t.get("mel_frames")).longValue(), t.toString());
      expectedPatches.put((String) t.get("uri"), (frames + F - 1) / F);
    }
    for (Map<String, Object> row : rows) {
      int patches = (Integer) row.get("patch_count");
      assertEquals(expectedPatches.get((String) row.get("uri")), (long) patches, row.toString());
      if (patches == 0) {
        assertNull(row.get("p"), "no patch, no probabilities: " + row);
        continue;
      }
      for (Object p : (List<?>) row.get("p")) {
        float v = ((Number) p).floatValue();
        assertTrue(v >= 0 && v <= 1, row.toString());
      }
      boolean extractor = row.get("kind").equals("extractor");
      assertEquals(extractor ? StandInModels.EXTRACTOR : StandInModels.HEAD, row.get("model"));
      assertEquals(extractor ? (Object) (long) StandInModels.EMBEDDING : null, row.get("dim"));
      assertEquals(extractor ? 10L : 2L, row.get("top"));
    }
    Map<String, Object> tiny = tracks.stream().filter(t -> ((String) t.get("uri")).endsWith("tiny_0.05s.mp3"))
        .findFirst().orElseThrow();
    assertTrue(((Number) tiny.get("mel_frames")).longValue() < F, "tiny is shorter than one patch");
  }

  @Test
  void predictionsMatchTheMelTableThroughTheModelsInBothManifestFormats() throws IOException {
    List<String> uris = new ArrayList<>();
    for (String name : CHECKED) {
      String sub = name.startsWith("tiny") ? "corpus/bad/" : "corpus/synthetic/";
      uris.add(SharedTestData.resolve(sub + name).toAbsolutePath().toString());
    }
    Path inputList = Files.write(dir.resolve("few.txt"), uris);
    Path essentia = dir.resolve("essentia-out");
    JobRunner.run(essentia, "--inputList=" + inputList, "--features=mel",
        "--models=" + files.extractorEssentiaJson() + "," + files.headEssentiaJson());
    assertPredictionsMatch(essentia, TaggingJobTest::essentiaFrames);
    Path own = dir.resolve("own-out");
    // The project's manifests, and CUDA asked for on a machine without it: falls back to the CPU.
    JobRunner.run(own, "--inputList=" + inputList, "--features=mel", "--melOutput=segments",
        "--inferenceDevice=cuda", "--inferenceBatchSize=1", "--patchesTable",
        "--models=" + files.extractorOwnJson() + "," + files.headOwnJson());
    assertPredictionsMatch(own, name -> melTableFrames(own, name));
    assertPatchesAverageToPredictions(own);
    assertFalse(Files.exists(essentia.resolve("patches")), "no patches table without --patchesTable");
  }

  /** The taggram: patch_count rows per (track, model), in time order, whose mean is the prediction. */
  private static void assertPatchesAverageToPredictions(Path out) {
    List<Map<String, Object>> predictions = OutputTables.query("SELECT uri, model, patch_count,"
        + " map_keys(probabilities) AS k, map_values(probabilities) AS v FROM read_parquet('"
        + out.resolve("predictions") + "/*.parquet')");
    List<Map<String, Object>> patches = OutputTables.query("SELECT uri, model, patch_index, start_seconds,"
        + " map_keys(probabilities) AS k, map_values(probabilities) AS v FROM read_parquet('"
        + out.resolve("patches") + "/*.parquet') ORDER BY uri, model, patch_index");
    int checked = 0;
    for (Map<String, Object> p : predictions) {
      List<Map<String, Object>> mine = patches.stream()
          .filter(r -> r.get("uri").equals(p.get("uri")) && r.get("model").equals(p.get("model"))).toList();
      assertEquals(((Number) p.get("patch_count")).intValue(), mine.size(), p.toString());
      if (mine.isEmpty()) {
        continue;
      }
      List<?> labels = (List<?>) p.get("k");
      double[] sums = new double[labels.size()];
      for (int i = 0; i < mine.size(); i++) {
        Map<String, Object> r = mine.get(i);
        assertEquals(i, ((Number) r.get("patch_index")).intValue());
        assertEquals(i * 187 * 0.016, ((Number) r.get("start_seconds")).doubleValue(), 1e-9);
        assertEquals(labels, r.get("k"));
        List<?> v = (List<?>) r.get("v");
        for (int l = 0; l < sums.length; l++) {
          sums[l] += ((Number) v.get(l)).doubleValue();
        }
      }
      List<?> mean = (List<?>) p.get("v");
      for (int l = 0; l < sums.length; l++) {
        assertEquals(((Number) mean.get(l)).doubleValue(), sums[l] / mine.size(), 1e-6, p.get("uri") + " " + labels.get(l));
      }
      checked++;
    }
    assertTrue(checked >= 4, "patches checked for " + checked + " predictions");
  }

  /**
   * The zoo's files as the download script leaves them (extractor titled "MSD MusiCNN", a TF1-era and a TF2-era head
   * naming it by file name, tf2onnx's :0 names, one head without a sidecar): a row for every model and track, equal
   * to an independent computation; on silence, the exact answer. Silence makes every frame of Essentia's front end
   * log10(1 + 0) = 0, padded patches included, so every patch's embedding is the extractor's first bias and each
   * output follows from the stand-ins' weights alone.
   */
  @Test
  void theZooAsPublishedTagsEveryTrackAndSilenceExactly() throws IOException {
    List<String> names = List.of("silence_s16_16000_mono_5s.wav", "sine440_s16_44100_mono_5s.wav");
    Path inputList = Files.write(dir.resolve("zoo-inputs.txt"), names.stream()
        .map(n -> SharedTestData.resolve("corpus/synthetic/" + n).toAbsolutePath().toString()).toList());
    Path out = dir.resolve("zoo-out");
    JobRunner.run(out, "--inputList=" + inputList, "--features=mel", "--models=" + files.extractorEssentiaJson()
        + "," + files.headEssentiaJson() + "," + files.tf2HeadEssentiaJson());
    List<Map<String, Object>> rows = OutputTables.query("SELECT uri, model, patch_count, map_keys(probabilities) AS k,"
        + " map_values(probabilities) AS p, embedding FROM read_parquet('" + out.resolve("predictions")
        + "/*.parquet')");
    assertEquals(3 * names.size(), rows.size());
    Map<String, List<String>> labels = Map.of(StandInModels.EXTRACTOR, StandInModels.tagLabels(),
        StandInModels.HEAD, StandInModels.HEAD_LABELS, StandInModels.TF2_HEAD, StandInModels.TF2_HEAD_LABELS);
    for (String name : names) {
      List<float[]> frames = essentiaFrames(name);
      Map<String, double[]> sums = new HashMap<>();
      double[] embedding = new double[StandInModels.EMBEDDING];
      List<float[]> cut = patches(frames);
      int patches = cut.size();
      for (float[] patch : cut) {
        double[] e = models.embedding(patch, 0);
        add(embedding, e);
        add(sums.computeIfAbsent(StandInModels.EXTRACTOR, k -> new double[StandInModels.TAGS]), models.tags(e));
        add(sums.computeIfAbsent(StandInModels.HEAD, k -> new double[2]), models.head(e));
        add(sums.computeIfAbsent(StandInModels.TF2_HEAD, k -> new double[5]), models.tf2Head(e));
      }
      boolean silence = name.startsWith("silence");
      // 80 000 samples at 16 kHz: 1 + ceil(80000 / 256) = 314 frames, a whole patch and a padded one.
      assertEquals(silence ? 2 : (frames.size() + F - 1) / F, patches, name);
      double[] bias = models.embedding(new float[F * M], 0);
      Map<String, double[]> exact = Map.of(StandInModels.EXTRACTOR, models.tags(bias),
          StandInModels.HEAD, models.head(bias), StandInModels.TF2_HEAD, models.tf2Head(bias));
      for (String model : labels.keySet()) {
        List<Map<String, Object>> mine = rows.stream()
            .filter(r -> ((String) r.get("uri")).endsWith("/" + name) && r.get("model").equals(model)).toList();
        assertEquals(1, mine.size(), name + " " + model);
        Map<String, Object> row = mine.get(0);
        assertEquals(patches, row.get("patch_count"), name + " " + model);
        List<Object> probabilities = byLabel(row, labels.get(model));
        assertClose(sums.get(model), patches, probabilities, name + " " + model);
        if (silence) {
          assertClose(exact.get(model), 1, probabilities, "silence, exactly: " + model);
        }
        if (model.equals(StandInModels.EXTRACTOR)) {
          assertClose(embedding, patches, (List<?>) row.get("embedding"), name);
          if (silence) {
            assertClose(bias, 1, (List<?>) row.get("embedding"), "silence, exactly: the embedding is the bias");
          }
        } else {
          assertNull(row.get("embedding"));
        }
      }
    }
  }

  /**
   * A zoo JSON naming a tensor that matches nothing, or matches two of the model's tensors, and a head without its
   * extractor, each fail the job at start naming the manifest, what it wants and what the model has.
   */
  @Test
  void zooNamesMatchingNothingOrTwoTensorsAndAMissingExtractorFailTheJobAtStart() throws IOException {
    Path nothing = zooCopy(files.headEssentiaJson(), "nothing", json -> {
      ObjectNode predictions = (ObjectNode) json.get("schema").get("outputs").get(0);
      predictions.put("name", "model/Sigmoid");
      predictions.putArray("shape").add(3);
    });
    Path two = zooCopy(files.extractorEssentiaJson(), "two",
        json -> ((ObjectNode) json.get("schema").get("outputs").get(0)).put("name", "model/Sigmoid_1"));
    Map<String, List<String>> cases = new LinkedHashMap<>();
    cases.put(files.extractorEssentiaJson() + "," + nothing, List.of(nothing.toString(), "'model/Sigmoid' [3]",
        "no output has that shape", "'model/Placeholder:0'", "'model/Softmax:0'", "'model/dense/BiasAdd:0'"));
    cases.put(two + "," + files.headEssentiaJson(), List.of(two.toString(), "'model/Sigmoid_1' [1, 50]",
        "2 outputs have that shape", "'model/Sigmoid:0'", "'model/dense_1/BiasAdd:0'", "'model/dense/BiasAdd:0'"));
    cases.put(files.headEssentiaJson().toString(), List.of(files.headEssentiaJson().toString(),
        "head " + StandInModels.HEAD, "extractor '" + StandInModels.EXTRACTOR + "'", "not among the --models"));
    String input = "--input=" + SharedTestData.resolve("corpus/synthetic") + "/sine440_s16_44100_mono_5s.wav";
    int n = 0;
    for (Map.Entry<String, List<String>> c : cases.entrySet()) {
      Path out = dir.resolve("out-zoo-" + n++);
      ModelException e = assertThrows(ModelException.class,
          () -> JobRunner.run(out, input, "--features=mel", "--models=" + c.getKey()));
      for (String expected : c.getValue()) {
        assertTrue(e.getMessage().contains(expected), expected + " in " + e.getMessage());
      }
      assertFalse(Files.exists(out.resolve("tracks")), "no track processed for " + c.getKey());
    }
  }

  /** A zoo model's JSON, edited, beside a copy of its .onnx (same base name) in a folder of its own. */
  private static Path zooCopy(Path json, String folder, Consumer<ObjectNode> edit) throws IOException {
    Path to = Files.createDirectories(dir.resolve("zoo-" + folder));
    String base = json.getFileName().toString().replace(".json", "");
    Files.copy(json.resolveSibling(base + ".onnx"), to.resolve(base + ".onnx"));
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode tree = (ObjectNode) mapper.readTree(json.toFile());
    edit.accept(tree);
    Path copy = to.resolve(json.getFileName());
    mapper.writeValue(copy.toFile(), tree);
    return copy;
  }

  @Test
  void badModelsFailTheJobAtStartNamingTheFile() throws IOException {
    byte[] bytes = Files.readAllBytes(files.extractorOnnx());
    Path bad = Files.createDirectories(dir.resolve("bad-zoo"));
    Path corrupt = bad.resolve("corrupt.onnx");
    byte[] garbage = Arrays.copyOf(bytes, bytes.length);
    for (int i = 0; i < 64; i++) {
      garbage[i] = (byte) 0xFF;
    }
    Files.write(corrupt, garbage);
    Path truncated = bad.resolve("truncated.onnx");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 100));
    String manifest = Files.readString(files.extractorOwnJson());
    String sha = StandInModels.sha256(files.extractorOnnx());
    Map<Path, String> cases = Map.of(
        corrupt, manifest.replace(sha, StandInModels.sha256(corrupt)),
        truncated, manifest.replace(sha, StandInModels.sha256(truncated)),
        bad.resolve("mismatch.onnx"), manifest.replace(sha, "0".repeat(64)),
        bad.resolve("missing.onnx"), manifest);
    Files.write(bad.resolve("mismatch.onnx"), bytes);
    String input = "--input=" + SharedTestData.resolve("corpus/synthetic") + "/sine440_s16_44100_mono_5s.wav";
    for (Map.Entry<Path, String> c : cases.entrySet()) {
      String name = c.getKey().getFileName().toString();
      Path m = Files.writeString(bad.resolve(name + ".json"),
          c.getValue().replace("\"" + StandInModels.EXTRACTOR + ".onnx\"", "\"" + name + "\""));
      Path out = dir.resolve("out-" + name);
      ModelException e = assertThrows(ModelException.class,
          () -> JobRunner.run(out, input, "--features=mel", "--models=" + m));
      assertTrue(e.getMessage().contains(name), e.getMessage());
      assertFalse(Files.exists(out.resolve("tracks")), "no track processed for " + name);
    }
  }

  @Test
  void aRequiredUnusableDeviceFailsTheJobAtStart() {
    Path out = dir.resolve("out-cuda");
    DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class, () -> JobRunner.run(out,
        "--input=" + SharedTestData.resolve("corpus/synthetic") + "/sine440_s16_44100_mono_5s.wav",
        "--features=mel", "--inferenceDevice=cuda:1", "--requireDevice",
        "--models=" + files.extractorOwnJson()));
    assertTrue(e.getMessage().contains("cuda:1"), e.getMessage());
    assertFalse(Files.exists(out.resolve("tracks")));
  }

  @Test
  void modelsNeedTheMusicnnMelPreset() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobRunner.run(
        dir.resolve("out-librosa"),
        "--input=" + SharedTestData.resolve("corpus/synthetic") + "/sine440_s16_44100_mono_5s.wav",
        "--melPreset=librosa", "--models=" + files.extractorOwnJson()));
    assertTrue(e.getMessage().contains("musicnn mel preset"), e.getMessage());
  }

  /** The musicnn front end's frames of a file: the job's own mel table (log10(1 + 10000 S) scaled). */
  private static List<float[]> melTableFrames(Path output, String name) {
    List<Map<String, Object>> segments = OutputTables.query("SELECT frames, \"values\" FROM read_parquet('"
        + output.resolve("mel") + "/*.parquet') WHERE uri LIKE '%/" + name + "' ORDER BY segment_index");
    List<float[]> frames = new ArrayList<>();
    for (Map<String, Object> s : segments) {
      List<?> values = (List<?>) s.get("values");
      for (int t = 0; t < (Integer) s.get("frames"); t++) {
        float[] frame = new float[M];
        for (int m = 0; m < M; m++) {
          frame[m] = ((Number) values.get(t * M + m)).floatValue();
        }
        frames.add(frame);
      }
    }
    return frames;
  }

  /**
   * Essentia's front end's frames of a file, outside the job: decoded, downmixed and resampled to 16 kHz here, then
   * {@link EssentiaMusicnnFrames} (checked against essentia.js by EssentiaFrontEndTest) and log10(1 + 10000 S).
   */
  private static List<float[]> essentiaFrames(String name) {
    String sub = name.startsWith("tiny") ? "corpus/bad/" : "corpus/synthetic/";
    float[] signal;
    try {
      signal = MonoSignal.decode(SharedTestData.resolve(sub + name)).resampled(16000).samples();
    } catch (Exception e) {
      throw new AssertionError(name, e);
    }
    List<float[]> frames = new ArrayList<>();
    EssentiaMusicnnFrames frontEnd = new EssentiaMusicnnFrames(power -> {
      float[] frame = new float[M];
      for (int m = 0; m < M; m++) {
        frame[m] = (float) Math.log10(1 + 10000 * power[m]);
      }
      frames.add(frame);
    });
    frontEnd.start(16000);
    frontEnd.accept(signal, 0, signal.length);
    frontEnd.finish();
    return frames;
  }

  /** Recomputes the CHECKED files' predictions from their front end's frames with plain Java and compares. */
  private static void assertPredictionsMatch(Path output, Function<String, List<float[]>> framesOf) {
    for (String name : CHECKED) {
      String like = "'%/" + name + "'";
      List<float[]> frames = framesOf.apply(name);
      assertFalse(frames.isEmpty(), name);
      double[] tags = new double[StandInModels.TAGS];
      double[] embedding = new double[StandInModels.EMBEDDING];
      double[] head = new double[2];
      List<float[]> cut = patches(frames);
      int patches = cut.size();
      for (float[] patch : cut) {
        double[] e = models.embedding(patch, 0);
        add(embedding, e);
        add(tags, models.tags(e));
        add(head, models.head(e));
      }
      List<Map<String, Object>> rows = OutputTables.query("SELECT kind, patch_count, map_keys(probabilities) AS k,"
          + " map_values(probabilities) AS p, embedding, list_transform(top_tags, t -> t.label) AS top FROM"
          + " read_parquet('" + output.resolve("predictions") + "/*.parquet') WHERE uri LIKE " + like
          + " ORDER BY kind");
      assertEquals(2, rows.size(), name);
      Map<String, Object> extractor = rows.get(0);
      Map<String, Object> danceability = rows.get(1);
      assertEquals(patches, extractor.get("patch_count"));
      assertClose(tags, patches, byLabel(extractor, StandInModels.tagLabels()), name);
      assertClose(embedding, patches, (List<?>) extractor.get("embedding"), name);
      assertClose(head, patches, byLabel(danceability, StandInModels.HEAD_LABELS), name);
      assertNull(danceability.get("embedding"));
      Integer[] order = new Integer[StandInModels.TAGS];
      Arrays.setAll(order, i -> i);
      Arrays.sort(order, (a, b) -> Double.compare(tags[b], tags[a]));
      List<String> top = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        top.add(StandInModels.tagLabels().get(order[i]));
      }
      assertEquals(top, extractor.get("top"), name);
    }
  }

  /** The row's probabilities in {@code labels} order (a map column has no order), checking the label set. */
  private static List<Object> byLabel(Map<String, Object> row, List<String> labels) {
    List<?> keys = (List<?>) row.get("k");
    List<?> values = (List<?>) row.get("p");
    assertEquals(new java.util.HashSet<>(labels), new java.util.HashSet<>(keys));
    List<Object> ordered = new ArrayList<>();
    for (String label : labels) {
      ordered.add(values.get(keys.indexOf(label)));
    }
    return ordered;
  }

  private static void add(double[] sums, double[] values) {
    for (int i = 0; i < sums.length; i++) {
      sums[i] += values[i];
    }
  }

  private static void assertClose(double[] sums, int n, List<?> actual, String name) {
    assertEquals(sums.length, actual.size(), name);
    for (int i = 0; i < sums.length; i++) {
      assertEquals(sums[i] / n, ((Number) actual.get(i)).doubleValue(), 1e-5, name + " index " + i);
    }
  }

  /** The frames cut into patches of F frames without overlap, the last one zero-padded (--lastPatch=pad). */
  private static List<float[]> patches(List<float[]> frames) {
    List<float[]> patches = new ArrayList<>();
    for (int start = 0; start < frames.size(); start += F) {
      float[] patch = new float[F * M];
      for (int t = 0; t < F && start + t < frames.size(); t++) {
        System.arraycopy(frames.get(start + t), 0, patch, t * M, M);
      }
      patches.add(patch);
    }
    return patches;
  }
}
