package io.audioflow.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.models.InferenceDevice;
import io.audioflow.models.LocalModel;
import io.audioflow.models.ModelManifest;
import io.audioflow.models.ModelStore;
import io.audioflow.models.SessionPolicy;
import io.audioflow.models.SharedSessions;
import io.audioflow.models.testing.MusicnnShapedModel;
import io.audioflow.pipeline.AudioflowMain;
import io.audioflow.pipeline.AudioflowOptions;
import io.audioflow.pipeline.MelSettings;
import io.audioflow.transforms.analysis.AnalysisException;
import io.audioflow.transforms.analysis.TrackAnalyzer;
import io.audioflow.transforms.files.LocalFiles;
import io.audioflow.transforms.tagging.EssentiaMusicnnFrames;
import io.audioflow.transforms.tagging.LastPatch;
import io.audioflow.transforms.tagging.TaggingRuntime;
import io.audioflow.transforms.tagging.TaggingSettings;
import java.io.File;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Tagging cost (docs/benchmarks.md, "Tagging"), one command: {@code tools/bench-tagging.sh [--input=GLOB]
 * [--repeat=N] [--noJob] [--investigate] [--device=cpu|cuda[:N]]}. Writes the seeded {@link MusicnnShapedModel}, then
 * measures, on the device asked for (required: a GPU run never falls back to the CPU unnoticed)
 *
 * <ul>
 *   <li>inference on the job's shared session (one intra-op thread): per-patch time at batch 1, 8 and 64, 64
 *       patches per timed run;
 *   <li>with {@code --investigate}: the same under other ONNX Runtime settings (graph optimisation level, memory
 *       pattern over mixed batch sizes, intra-op spinning) and ORT's own per-operator profile at batch 1 and 64;
 *   <li>cost per audio second of the analysis with and without tagging (Essentia front end from the same decode
 *       pass, batches of 64), in process on one thread, then the whole Direct-runner job with and without
 *       {@code --models}.
 * </ul>
 */
public final class TaggingBenchmark {
  private TaggingBenchmark() {}

  private static final int PATCHES_PER_RUN = 64;

  public static void main(String[] args) throws Exception {
    String glob = "../shared/corpus/synthetic/*";
    int repeat = 5;
    boolean job = true;
    boolean investigate = false;
    InferenceDevice device = InferenceDevice.CPU;
    for (String arg : args) {
      if (arg.startsWith("--input=")) {
        glob = arg.substring(8);
      } else if (arg.startsWith("--repeat=")) {
        repeat = Integer.parseInt(arg.substring(9));
      } else if (arg.equals("--noJob")) {
        job = false;
      } else if (arg.equals("--investigate")) {
        investigate = true;
      } else if (arg.startsWith("--device=")) {
        device = InferenceDevice.parse(arg.substring(9));
      } else {
        throw new IllegalArgumentException("usage: TaggingBenchmark [--input=GLOB] [--repeat=N] [--noJob]"
            + " [--investigate] [--device=cpu|cuda[:N]]; got " + arg);
      }
    }
    Path dir = Files.createTempDirectory("audioflow-bench-tagging-");
    Path manifestFile = MusicnnShapedModel.write(dir.resolve("zoo"), 1909);
    ModelStore store = new ModelStore(dir.resolve("cache"));
    LocalModel model = store.verify(ModelManifest.read(manifestFile.toString()));
    ModelManifest m = model.manifest();
    SessionPolicy oneThread = new SessionPolicy(device, device.cuda(), 1);

    // The job's session, held to the end so every run below uses this JVM's warm session, as a long job does.
    SharedSessions.Lease lease = SharedSessions.acquire(model.file(), oneThread);
    System.out.printf(Locale.ROOT, "%s (%d bytes), ONNX Runtime shared session: %s, 1 intra-op thread%n",
        m.name(), Files.size(model.file()), lease.device());
    System.out.println("| batch | per call | per patch | patches/s | vs batch 1 |");
    System.out.println("|---|---|---|---|---|");
    double one = perPatch(lease.session(), m, 1, repeat);
    row(1, one, one);
    for (int batch : new int[] {8, 64}) {
      row(batch, perPatch(lease.session(), m, batch, repeat), one);
    }

    if (investigate) {
      investigate(model.file(), m, repeat, dir);
    }

    List<Benchmark.Input> inputs = Benchmark.load(glob);
    double audio = inputs.stream().mapToDouble(Benchmark.Input::seconds).sum();
    TrackAnalyzer.Settings analysis = MelSettings.from(PipelineOptionsFactory.as(AudioflowOptions.class));
    System.out.printf(Locale.ROOT, "%n%d files, %.1f s of audio (%s); job defaults (%s mel, features %s)%n",
        inputs.size(), audio, glob, analysis.mel().id(), analysis.selection());
    System.out.println("| run | wall s | ms per audio second | vs features only |");
    System.out.println("|---|---|---|---|");
    double plain = InterleavedRounds.best(repeat, () -> analyzeOneThread(inputs, analysis, null, store));
    cost("features only, in process, 1 thread", audio, plain, plain);
    for (int hop : new int[] {187, 93}) {
      TaggingSettings tagging = TaggingSettings.resolve(
          List.of(manifestFile.toString()), store, oneThread, 64, hop, LastPatch.PAD, 10, false);
      double tagged = InterleavedRounds.best(repeat, () -> analyzeOneThread(inputs, analysis, tagging, store));
      cost("features + tagging, patch hop " + hop + ", in process, 1 thread", audio, tagged, plain);
    }
    if (job) {
      Path out = dir.resolve("out");
      String input = glob;
      int runs = Math.min(repeat, 2);
      double jobPlain = InterleavedRounds.best(runs, () -> runJob(input, out, null, null));
      cost("whole job, Direct runner, features only", audio, jobPlain, jobPlain);
      InferenceDevice jobDevice = device;
      double jobTagged =
          InterleavedRounds.best(runs, () -> runJob(input, out, manifestFile.toString(), jobDevice));
      cost("whole job, Direct runner, --models (patch hop 187) on " + device, audio, jobTagged, jobPlain);
    }
    lease.close();
    LocalFiles.deleteTree(dir);
  }

  /** Best seconds per patch at this batch size, {@link #PATCHES_PER_RUN} patches per timed run. */
  private static double perPatch(OrtSession session, ModelManifest m, int batch, int repeat) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    float[] values = new float[batch * 187 * 96];
    Random random = new Random(7);
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble() * 3); // the range of log10(1 + 10000 S)
    }
    Set<String> outputs = Set.of(m.predictions().name(), m.embeddings().name());
    try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), new long[] {batch, 187, 96})) {
      Map<String, OnnxTensor> in = Map.of(m.input().name(), x);
      int calls = Math.max(1, PATCHES_PER_RUN / batch);
      return InterleavedRounds.best(repeat, () -> {
        for (int i = 0; i < calls; i++) {
          session.run(in, outputs).close();
        }
      }) / (calls * batch);
    }
  }

  /** Batch 1 and 64 under other session settings, and ORT's per-operator profile. */
  private static void investigate(Path file, ModelManifest m, int repeat, Path work) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    System.out.println("\n| session settings (1 intra-op thread) | batch 1 per patch | batch 64 per patch | ratio |");
    System.out.println("|---|---|---|---|");
    for (OrtSession.SessionOptions.OptLevel level : OrtSession.SessionOptions.OptLevel.values()) {
      try (OrtSession.SessionOptions o = options()) {
        o.setOptimizationLevel(level);
        variant(env, file, m, o, "optimisation " + level, repeat);
      }
    }
    try (OrtSession.SessionOptions o = options()) {
      o.addConfigEntry("session.intra_op.allow_spinning", "0");
      variant(env, file, m, o, "ALL_OPT, no intra-op spinning", repeat);
    }
    Path nhwc = Files.write(file.resolveSibling("musicnn-shaped-nhwc.onnx"), MusicnnShapedModel.onnx(1909, true));
    try (OrtSession.SessionOptions o = options()) {
      variant(env, nhwc, m, o, "ALL_OPT, tf2onnx-style NHWC transposes around the convolutions", repeat);
    }
    for (boolean pattern : new boolean[] {true, false}) {
      try (OrtSession.SessionOptions o = options()) {
        o.setMemoryPatternOptimization(pattern);
        try (OrtSession s = env.createSession(file.toString(), o)) {
          // A job's batches: full ones and tracks' last ones, whose sizes are new to the session: 64, s, 64 - s.
          int[] next = {0};
          double seconds = InterleavedRounds.best(repeat, () -> {
            int size = 1 + next[0]++ % 31;
            run(s, m, 64);
            run(s, m, size);
            run(s, m, 64 - size);
          });
          System.out.printf(Locale.ROOT, "| memory pattern %s; batches 64, s, 64 - s with s new each time | | %.2f ms"
              + " | |%n", pattern ? "on" : "off", seconds * 1e3 / 128);
        }
      }
    }
    for (OrtSession.SessionOptions.OptLevel level : List.of(
        OrtSession.SessionOptions.OptLevel.ALL_OPT, OrtSession.SessionOptions.OptLevel.EXTENDED_OPT)) {
      for (int batch : new int[] {1, 64}) {
        try (OrtSession.SessionOptions o = options()) {
          o.setOptimizationLevel(level);
          o.enableProfiling(work.resolve("ort-profile").toString()); // a prefix: ONNX Runtime adds the time
          try (OrtSession s = env.createSession(file.toString(), o)) {
            for (int i = 0; i < 64 / batch; i++) {
              run(s, m, batch);
            }
            String trace = s.endProfiling();
            System.out.printf(Locale.ROOT, "%nORT profile, %s, batch %d: share of operator time by type%n",
                level, batch);
            profile(new File(trace)).forEach((op, share) ->
                System.out.printf(Locale.ROOT, "  %-14s %5.1f%%%n", op, share * 100));
          }
        }
      }
    }
  }

  /** One call on random patches. */
  private static void run(OrtSession session, ModelManifest m, int batch) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    float[] values = new float[batch * 187 * 96];
    Random random = new Random(batch);
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble() * 3);
    }
    try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), new long[] {batch, 187, 96})) {
      session.run(Map.of(m.input().name(), x), Set.of(m.predictions().name(), m.embeddings().name())).close();
    }
  }

  private static OrtSession.SessionOptions options() throws Exception {
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    o.setIntraOpNumThreads(1);
    o.setInterOpNumThreads(1);
    o.setMemoryPatternOptimization(false);
    return o;
  }

  private static void variant(
      OrtEnvironment env, Path file, ModelManifest m, OrtSession.SessionOptions o, String name, int repeat)
      throws Exception {
    try (OrtSession s = env.createSession(file.toString(), o)) {
      double b1 = perPatch(s, m, 1, repeat);
      double b64 = perPatch(s, m, 64, repeat);
      System.out.printf(Locale.ROOT, "| %s | %.2f ms | %.2f ms | %.2fx |%n", name, b1 * 1e3, b64 * 1e3, b1 / b64);
    }
  }

  /** Share of kernel time per operator type in an ORT profile (Chrome trace JSON), largest first. */
  private static Map<String, Double> profile(File trace) throws Exception {
    Map<String, Double> micros = new TreeMap<>();
    double total = 0;
    for (JsonNode event : new ObjectMapper().readTree(trace)) {
      if ("Node".equals(event.path("cat").asText()) && event.path("name").asText().endsWith("_kernel_time")) {
        double dur = event.path("dur").asDouble();
        micros.merge(event.path("args").path("op_name").asText(), dur, Double::sum);
        total += dur;
      }
    }
    trace.delete();
    double sum = total;
    Map<String, Double> shares = new java.util.LinkedHashMap<>();
    micros.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
        .forEach(e -> shares.put(e.getKey(), e.getValue() / sum));
    return shares;
  }

  private static void analyzeOneThread(
      List<Benchmark.Input> inputs, TrackAnalyzer.Settings settings, TaggingSettings tagging, ModelStore store)
      throws Exception {
    TaggingRuntime tagger = tagging == null ? null : TaggingRuntime.open(tagging, store);
    try (TrackAnalyzer analyzer = new TrackAnalyzer(settings)) {
      analyzer.setMelRateAudioListener(tagger == null ? null : tagger.essentiaInput());
      for (Benchmark.Input in : inputs) {
        if (tagger != null) {
          tagger.start();
        }
        try {
          analyzer.analyze(Benchmark.channel(in.bytes()), in.bytes().length, in.path().toString(),
              tagger == null ? null : config -> tagger, null);
          if (tagger != null) {
            tagger.finish();
          }
        } catch (AnalysisException e) {
          // An errors row is a normal outcome; its cost counts like any file's.
        }
      }
    } finally {
      if (tagger != null) {
        tagger.close();
      }
    }
  }

  private static void runJob(String glob, Path out, String models, InferenceDevice device) {
    List<String> args = new ArrayList<>(List.of(
        "--input=" + glob, "--output=" + out, "--overwrite", "--progressIntervalSeconds=0"));
    if (models != null) {
      args.add("--models=" + models);
      args.add("--inferenceDevice=" + device);
      args.add("--requireDevice=" + device.cuda());
    }
    AudioflowMain.run(PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(AudioflowOptions.class));
  }

  private static void row(int batch, double perPatch, double one) {
    System.out.printf(Locale.ROOT, "| %d | %.2f ms | %.2f ms | %.0f | %.2fx |%n",
        batch, perPatch * batch * 1e3, perPatch * 1e3, 1 / perPatch, one / perPatch);
  }

  private static void cost(String run, double audio, double wall, double plain) {
    System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.2fx |%n", run, wall, wall * 1e3 / audio, wall / plain);
  }
}
