package io.audioflow.benchmarks;

import static io.audioflow.benchmarks.InterleavedRounds.timed;

import io.audioflow.pipeline.AudioflowMain;
import io.audioflow.pipeline.AudioflowOptions;
import io.audioflow.pipeline.ParquetSink;
import io.audioflow.pipeline.MelSettings;
import io.audioflow.transforms.analysis.AnalysisException;
import io.audioflow.transforms.analysis.MelSegmentSpill;
import io.audioflow.transforms.analysis.TrackAnalysis;
import io.audioflow.transforms.analysis.TrackAnalyzer;
import io.audioflow.transforms.audio.StreamInfo;
import io.audioflow.transforms.beam.Rows;
import io.audioflow.transforms.beam.Tables;
import io.audioflow.transforms.decode.AudioDecoder;
import io.audioflow.transforms.features.Feature;
import io.audioflow.transforms.features.FeatureExtractor;
import io.audioflow.transforms.files.LocalFiles;
import io.audioflow.transforms.loudness.ChannelWeights;
import io.audioflow.transforms.loudness.LoudnessMeter;
import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.mel.MelSpectrogram;
import io.audioflow.transforms.resample.Resampler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * {@code bin/audioflow bench}: realtime factor (audio seconds per wall second) per stage — decode, resample, mel,
 * loudness, Parquet write — and for the whole per-file analysis on one thread and on all cores, plus the whole Beam job (which
 * adds matching, shuffling and the Parquet write) on the Direct runner and on embedded Flink, each as a share of the
 * in-process analysis on all cores and with its time to the first finished file. {@code --many=N} runs on N small
 * generated files ({@link SmallFiles}) instead of {@code --input}. Files are read from memory so the figures
 * are about computation, not the disk. Each figure is the best over {@code --repeat} interleaved rounds of three runs
 * after two seconds of warm-up ({@link InterleavedRounds}; the mel stage and librosa's, tens of milliseconds each,
 * before every other measurement of a round), and each ratio to a reference tool (FFmpeg, librosa) is given best
 * against best and per round.
 */
public final class Benchmark {
  private Benchmark() {}

  record Input(Path path, byte[] bytes, StreamInfo info, float[][] planar, float[] mono, double seconds) {}

  /** What the mel stage takes from one input: its mono downmix resampled to the mel rate, and the configuration. */
  record MelInput(MelConfig config, float[] signal) {}

  public static void main(String[] args) throws Exception {
    String glob = CORPUS;
    int repeat = 5;
    String preset = "musicnn";
    boolean job = true;
    String featureSet = "all";
    int many = 0;
    for (String arg : args) {
      if (arg.startsWith("--input=")) {
        glob = arg.substring(8);
      } else if (arg.startsWith("--many=")) {
        many = Integer.parseInt(arg.substring(7));
      } else if (arg.startsWith("--repeat=")) {
        repeat = Integer.parseInt(arg.substring(9));
      } else if (arg.startsWith("--melPreset=")) {
        preset = arg.substring(12);
      } else if (arg.startsWith("--features=")) {
        featureSet = arg.substring(11);
      } else if (arg.equals("--noJob")) {
        job = false;
      } else {
        throw new IllegalArgumentException(
            "usage: bench [--input=GLOB | --many=N] [--repeat=N] [--melPreset=musicnn|librosa] [--features=LIST]"
                + " [--noJob]; got " + arg);
      }
    }
    if (many > 0 && !glob.equals(CORPUS)) {
      throw new IllegalArgumentException("bench: --many=N makes its own input; leave --input out");
    }
    Path generated = null;
    if (many > 0) {
      generated = Files.createTempDirectory("audioflow-bench-many-");
      SmallFiles.Written written = SmallFiles.write(generated, many);
      System.out.printf(Locale.ROOT, "generated %d small files, %.1f s of audio (--many=%d)%n",
          written.files().size(), written.audioSeconds(), many);
      glob = generated + "/*";
    }
    try {
      run(glob, repeat, preset, featureSet, job);
    } finally {
      if (generated != null) {
        LocalFiles.deleteTree(generated);
      }
    }
  }

  private static void run(String glob, int repeat, String preset, String featureSet, boolean job) throws Exception {
    AudioflowOptions options = PipelineOptionsFactory.as(AudioflowOptions.class);
    options.setMelPreset(preset);
    options.setFeatures(featureSet);
    TrackAnalyzer.Settings settings = MelSettings.from(options);
    List<Input> inputs = load(glob);
    double audio = inputs.stream().mapToDouble(Input::seconds).sum();
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(Locale.ROOT,
        "files: %d decodable, %.1f s of audio (%s); mel %s; features %s; %d cores; best of %d rounds of %d runs%n",
        inputs.size(), audio, glob, preset, featureSet, cores, repeat, BURST);
    boolean at44k = inputs.stream().allMatch(in -> in.info().sampleRate() == 44100);
    List<MelInput> melInputs = melInputs(inputs, settings);
    String librosaScript = System.getProperty("audioflow.librosaBench");
    Path melSignals = librosaScript == null ? null : writeMelSignals(melInputs);
    LibrosaServer librosa = librosaScript == null ? null : startLibrosa(librosaScript, melSignals, preset, inputs);
    List<Outcome> outcomes = analyzeForWrite(inputs, settings);
    Path tables = Files.createTempDirectory("audioflow-bench-tables-");
    List<AnalysisWorkers> workers = new ArrayList<>();
    double allCores;
    try {
      // Figures compared with each other are measured next to each other in every round.
      InterleavedRounds rounds = new InterleavedRounds();
      rounds.add(DECODE, timed(() -> decodeAll(inputs)));
      rounds.add(RESAMPLE, timed(() -> resampleAll(inputs, settings)));
      // The mel stage and librosa's take tens of milliseconds: both are sampled before every other measurement.
      Map<MelConfig, MelSpectrogram> spectrograms = new HashMap<>();
      rounds.addBetween(MEL, timed(() -> melAll(melInputs, spectrograms)));
      if (librosa != null) {
        rounds.addBetween(LIBROSA_MEL, () -> librosa.seconds("melspectrogram_inputs"));
      }
      if (librosa != null && inputs.size() == 1) {
        rounds.add(PYTHON_PATH, () -> librosa.seconds("python_path"));
      }
      rounds.add(LOUDNESS, timed(() -> loudnessAll(inputs)));
      boolean ffmpeg = ffmpegAvailable();
      if (ffmpeg) {
        // The tools users would otherwise run, on the same files (process start included).
        rounds.add(FFMPEG_DECODE, timed(() -> ffmpeg(inputs, "-threads", "1", "-f", "null", "-")));
        rounds.add(FFMPEG_EBUR128,
            timed(() -> ffmpeg(inputs, "-threads", "1", "-af", "ebur128=peak=true", "-f", "null", "-")));
      }
      rounds.add(FEATURES, timed(() -> featuresAll(inputs)));
      if (librosa != null && at44k) {
        rounds.add(LIBROSA_FEATURES, () -> librosa.seconds("features"));
      }
      List<String> sets = new ArrayList<>(List.of("mel", "mel,loudness", "all"));
      sets.remove(featureSet);
      sets.add(featureSet); // last, so that its one-thread figure is measured next to the all-cores one
      for (String set : sets) {
        options.setFeatures(set);
        workers.add(new AnalysisWorkers(MelSettings.from(options), 1));
      }
      List<Input> ordered = costliestFirst(inputs, workers.get(sets.size() - 1));
      for (int i = 0; i < sets.size(); i++) {
        AnalysisWorkers one = workers.get(i);
        rounds.add(analysisKey(1, sets.get(i)), timed(() -> one.analyze(ordered)));
      }
      AnalysisWorkers all = new AnalysisWorkers(settings, cores);
      workers.add(all);
      rounds.add(analysisKey(cores, featureSet), timed(() -> all.analyze(ordered)));
      rounds.add(WRITE, timed(() -> write(outcomes, tables)));
      rounds.measure(repeat, BURST);
      allCores = rounds.best(analysisKey(cores, featureSet));

      System.out.println("| stage | wall s | realtime factor |");
      System.out.println("|---|---|---|");
      row(DECODE, audio, rounds.best(DECODE));
      row(RESAMPLE, audio, rounds.best(RESAMPLE));
      row(MEL + " (" + preset + ")", audio, rounds.best(MEL));
      row(LOUDNESS, audio, rounds.best(LOUDNESS));
      row(FEATURES, audio, rounds.best(FEATURES));
      for (String set : sets) {
        row(analysisKey(1, set), audio, rounds.best(analysisKey(1, set)));
      }
      row(analysisKey(cores, featureSet), audio, allCores);
      row(WRITE, audio, rounds.best(WRITE));
      if (ffmpeg) {
        row(FFMPEG_DECODE, audio, rounds.best(FFMPEG_DECODE));
        row(FFMPEG_EBUR128, audio, rounds.best(FFMPEG_EBUR128));
      }
      if (rounds.has(LIBROSA_MEL)) {
        row(LIBROSA_MEL, audio, rounds.best(LIBROSA_MEL));
      }
      if (rounds.has(LIBROSA_FEATURES)) {
        row(LIBROSA_FEATURES, 60, rounds.best(LIBROSA_FEATURES));
      }
      double pathAudio = librosa == null ? 0 : librosa.ready().path("python_path_seconds_of_audio").asDouble();
      if (rounds.has(PYTHON_PATH)) {
        row(PYTHON_PATH, pathAudio, rounds.best(PYTHON_PATH));
      }

      System.out.println();
      ratio("all cores against one thread, --features=" + featureSet,
          rounds.rounds(analysisKey(cores, featureSet)), audio, rounds.rounds(analysisKey(1, featureSet)), audio);
      if (ffmpeg) {
        ratio("loudness against ffmpeg's ebur128=peak=true (whole run)", rounds.rounds(LOUDNESS), audio,
            rounds.rounds(FFMPEG_EBUR128), audio);
        // The target is a bound on time: FFmpeg's decode-only time over ours is how far inside it we are.
        ratio("decode + resample + mel against ffmpeg decode-only", rounds.rounds(DECODE, RESAMPLE, MEL), audio,
            rounds.rounds(FFMPEG_DECODE), audio);
      }
      if (rounds.has(LIBROSA_MEL)) {
        ratio("mel stage against librosa's melspectrogram, same signals", rounds.rounds(MEL), audio,
            rounds.rounds(LIBROSA_MEL), audio);
      }
      if (rounds.has(PYTHON_PATH)) {
        ratio("decode + resample + mel against the Python path", rounds.rounds(DECODE, RESAMPLE, MEL), audio,
            rounds.rounds(PYTHON_PATH), pathAudio);
      }
      if (rounds.has(LIBROSA_FEATURES)) {
        ratio("classic features against librosa's, one by one", rounds.rounds(FEATURES), audio,
            rounds.rounds(LIBROSA_FEATURES), 60);
      }
    } finally {
      workers.forEach(AnalysisWorkers::close);
      outcomes.stream().filter(o -> o.spill() != null).forEach(o -> o.spill().close());
      LocalFiles.deleteTree(tables);
      if (librosa != null) {
        librosa.close();
      }
      if (melSignals != null) {
        Files.deleteIfExists(melSignals);
      }
    }
    if (job) {
      jobRows("whole job, --features=" + featureSet, List.of(
              "--input=" + glob, "--melPreset=" + preset, "--features=" + featureSet, "--progressIntervalSeconds=0"),
          Math.min(repeat, 2), audio, cores, allCores);
    }
  }

  /** A runner the whole job is timed on, and the options that select it. */
  private record Runner(String label, List<String> options) {}

  /**
   * The whole job on each runner over the same files, in interleaved rounds: wall time, realtime factor, its share of
   * the in-process analysis on all cores ({@code allCoresSeconds}, the same files in this run), and the time to the
   * first finished file (the best over the job's runs; "n/a" where the job does not report it).
   */
  private static void jobRows(String title, List<String> jobOptions, int repeat, double audio, int cores,
      double allCoresSeconds) throws Exception {
    List<Runner> runners = List.of(
        new Runner("Direct runner", List.of("--runner=DirectRunner")),
        new Runner("Flink runner, embedded ([local]), parallelism " + cores,
            List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=" + cores)));
    Path out = Files.createTempDirectory("audioflow-bench-");
    Map<String, Long> firstFileMs = new HashMap<>();
    try {
      InterleavedRounds jobs = new InterleavedRounds();
      for (Runner runner : runners) {
        List<String> options = new ArrayList<>(jobOptions);
        options.addAll(List.of("--output=" + out, "--overwrite"));
        options.addAll(runner.options());
        jobs.add(runner.label(), timed(() -> firstFileMs(runJob(options))
            .ifPresent(ms -> firstFileMs.merge(runner.label(), ms, Math::min))));
      }
      jobs.measure(repeat, 1);
      System.out.printf(Locale.ROOT, "%n| %s (match, shuffle, analysis, Parquet write) | wall s | realtime factor"
          + " | vs in-process analysis, %d threads | first file finished after |%n", title, cores);
      System.out.println("|---|---|---|---|---|");
      for (Runner runner : runners) {
        double wall = jobs.best(runner.label());
        Long first = firstFileMs.get(runner.label());
        System.out.printf(Locale.ROOT, "| %s | %.4f | %.0fx | %.2fx | %s |%n", runner.label(), wall, audio / wall,
            allCoresSeconds / wall, first == null ? "n/a" : String.format(Locale.ROOT, "%.2f s", first / 1e3));
      }
    } finally {
      LocalFiles.deleteTree(out);
    }
  }

  /**
   * Milliseconds from the job's start to its first finished file: the least value of the job's distribution
   * {@code audioflow/file_finished_ms_after_start} (one value per finished file); empty where the job does not report
   * it.
   */
  static OptionalLong firstFileMs(PipelineResult result) {
    MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named("audioflow", "file_finished_ms_after_start")).build());
    return StreamSupport.stream(metrics.getDistributions().spliterator(), false)
        .map(Benchmark::committedOrAttempted)
        .filter(d -> d.getCount() > 0)
        .mapToLong(DistributionResult::getMin)
        .min();
  }

  /** Flink reports attempted values only. */
  private static <T> T committedOrAttempted(MetricResult<T> metric) {
    try {
      return metric.getCommitted();
    } catch (UnsupportedOperationException e) {
      return metric.getAttempted();
    }
  }

  private static final String CORPUS = "../shared/corpus/synthetic/*";
  private static final int BURST = 3;
  private static final String DECODE = "decode (in-process FFmpeg)";
  private static final String RESAMPLE = "resample (to the mel rate, mono)";
  private static final String MEL = "mel";
  private static final String LOUDNESS = "loudness (BS.1770 + LRA + true peak)";
  private static final String FEATURES = "classic features alone (all, at the file's rate)";
  private static final String WRITE = "write (Parquet: tracks/errors rows and 3 s mel segments)";
  private static final String FFMPEG_DECODE = "ffmpeg -threads 1 -i F -f null - (decode only, reference)";
  private static final String FFMPEG_EBUR128 = "ffmpeg -af ebur128=peak=true (reference)";
  private static final String LIBROSA_MEL =
      "librosa melspectrogram, each file's mono at the mel rate, same preset (reference)";
  private static final String LIBROSA_FEATURES =
      "librosa's classic features one by one, 60 s of 44.1 kHz noise (reference)";
  private static final String PYTHON_PATH =
      "Python path: ffmpeg pipe, mono, resample_poly, librosa musicnn mel + log10 (reference)";

  private static String analysisKey(int threads, String features) {
    return "analysis, " + threads + (threads == 1 ? " thread" : " threads") + ", --features=" + features;
  }

  private static void ratio(String what, double[] ours, double ourAudio, double[] theirs, double theirAudio) {
    System.out.println(what + ": " + InterleavedRounds.speedRatio(ours, ourAudio, theirs, theirAudio));
  }

  /**
   * librosa 0.11 in this run ({@code tools/librosa-speed/run.sh}, one thread): {@code melspectrogram} on the mel
   * stage's own signals, the anchors' calls on 60 s of noise, and the anchors' Python path on the input when there is
   * one; null, saying why, when it does not start.
   */
  private static LibrosaServer startLibrosa(String script, Path melSignals, String preset, List<Input> inputs) {
    try {
      return new LibrosaServer(script, melSignals, preset, inputs.size() == 1 ? inputs.get(0).path() : null);
    } catch (IOException e) {
      System.out.println("librosa reference skipped (" + script + ": " + e.getMessage() + ")");
      return null;
    }
  }

  static void row(String stage, double audio, double wall) {
    System.out.printf(Locale.ROOT, "| %s | %.4f | %.0fx |%n", stage, wall, audio / wall);
  }

  static List<Input> load(String glob) throws IOException {
    List<Input> inputs = new ArrayList<>();
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    for (MatchResult.Metadata m : FileSystems.match(glob).metadata()) {
      Path path = Path.of(m.resourceId().toString());
      byte[] bytes = Files.readAllBytes(path);
      try (AudioDecoder decoder = AudioDecoder.open(channel(bytes), bytes.length, path.toString())) {
        StreamInfo info = decoder.info();
        float[][] planar = new float[info.channels()][];
        List<float[][]> chunks = new ArrayList<>();
        decoder.decode(
            (block, n) -> {
              float[][] copy = new float[block.length][];
              for (int c = 0; c < block.length; c++) {
                copy[c] = Arrays.copyOf(block[c], n);
              }
              chunks.add(copy);
            },
            Long.MAX_VALUE);
        int total = chunks.stream().mapToInt(c -> c[0].length).sum();
        for (int c = 0; c < planar.length; c++) {
          planar[c] = new float[total];
          int at = 0;
          for (float[][] chunk : chunks) {
            System.arraycopy(chunk[c], 0, planar[c], at, chunk[c].length);
            at += chunk[c].length;
          }
        }
        float[] mono = new float[total];
        for (int i = 0; i < total; i++) {
          double sum = 0;
          for (float[] ch : planar) {
            sum += ch[i];
          }
          mono[i] = (float) (sum / planar.length);
        }
        if (total > 0) {
          inputs.add(new Input(path, bytes, info, planar, mono, total / (double) info.sampleRate()));
        }
      } catch (AnalysisException e) {
        // Undecodable files are not part of a speed figure.
      }
    }
    return inputs;
  }

  static SeekableByteChannel channel(byte[] bytes) {
    return new SeekableInMemoryByteChannel(bytes);
  }

  static void decodeAll(List<Input> inputs) throws Exception {
    for (Input in : inputs) {
      try (AudioDecoder decoder = AudioDecoder.open(channel(in.bytes()), in.bytes().length, in.path().toString())) {
        decoder.decode((block, n) -> {}, Long.MAX_VALUE);
      }
    }
  }

  static void resampleAll(List<Input> inputs, TrackAnalyzer.Settings settings) {
    for (Input in : inputs) {
      resample(in, settings.melFor(in.info().sampleRate()), (x, off, n) -> {});
    }
  }

  /** The input's mono downmix to {@code mel}'s rate, fed in decoder-sized blocks. */
  static void resample(Input in, MelConfig mel, Resampler.Sink sink) {
    try (Resampler r = new Resampler(in.info().sampleRate(), mel.sampleRate())) {
      for (int i = 0; i < in.mono().length; i += BLOCK) {
        r.accept(in.mono(), i, Math.min(BLOCK, in.mono().length - i), sink);
      }
      r.finish(sink);
    }
  }

  /** Each input's mono downmix resampled to its mel rate, as the job's analysis feeds the mel stage. */
  static List<MelInput> melInputs(List<Input> inputs, TrackAnalyzer.Settings settings) {
    List<MelInput> out = new ArrayList<>();
    for (Input in : inputs) {
      MelConfig mel = settings.melFor(in.info().sampleRate());
      // The resampler gives exactly expectedLength samples (ResamplerTest).
      float[] signal = new float[Math.toIntExact(
          Resampler.expectedLength(in.mono().length, in.info().sampleRate(), mel.sampleRate()))];
      int[] filled = {0};
      resample(in, mel, (x, off, n) -> {
        System.arraycopy(x, off, signal, filled[0], n);
        filled[0] += n;
      });
      out.add(new MelInput(mel, signal));
    }
    return out;
  }

  /**
   * The mel signals for librosa ({@code tools/librosa-speed/bench.py --melInputs}): little-endian int32 count, then
   * per signal int32 sample rate, int32 length and the float32 samples.
   */
  static Path writeMelSignals(List<MelInput> melInputs) throws IOException {
    Path file = Files.createTempFile("audioflow-bench-mel-", ".f32");
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer head = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(melInputs.size()).flip();
      out.write(head);
      for (MelInput in : melInputs) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * in.signal().length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(in.config().sampleRate()).putInt(in.signal().length);
        b.asFloatBuffer().put(in.signal());
        b.position(b.capacity()).flip();
        while (b.hasRemaining()) {
          out.write(b);
        }
      }
    }
    return file;
  }

  /** The mel stage alone, one spectrogram per configuration reused across files as the job's analyzer does. */
  static void melAll(List<MelInput> inputs, Map<MelConfig, MelSpectrogram> cache) {
    for (MelInput in : inputs) {
      MelSpectrogram spectrogram = cache.computeIfAbsent(in.config(), c -> new MelSpectrogram(c, frame -> {}));
      spectrogram.reset();
      float[] signal = in.signal();
      for (int at = 0; at < signal.length; at += BLOCK) {
        spectrogram.accept(signal, at, Math.min(BLOCK, signal.length - at));
      }
      spectrogram.finish();
    }
  }

  static void loudnessAll(List<Input> inputs) {
    for (Input in : inputs) {
      LoudnessMeter meter = new LoudnessMeter(in.info().sampleRate(),
          ChannelWeights.forLayout(in.info().channelMask(), in.info().channels()));
      float[][] block = new float[in.planar().length][BLOCK];
      int total = in.planar()[0].length;
      for (int i = 0; i < total; i += BLOCK) {
        int n = Math.min(BLOCK, total - i);
        for (int c = 0; c < block.length; c++) {
          System.arraycopy(in.planar()[c], i, block[c], 0, n);
        }
        meter.accept(block, n);
      }
      meter.finish();
    }
  }

  /** Every classic feature of each file's mono downmix at its own rate, one extractor per rate. */
  static void featuresAll(List<Input> inputs) {
    Map<Integer, FeatureExtractor> extractors = new HashMap<>();
    for (Input in : inputs) {
      FeatureExtractor extractor = extractors.computeIfAbsent(
          in.info().sampleRate(), rate -> new FeatureExtractor(rate, EnumSet.allOf(Feature.class), null));
      extractor.reset();
      for (int i = 0; i < in.mono().length; i += BLOCK) {
        extractor.accept(in.mono(), i, Math.min(BLOCK, in.mono().length - i));
      }
      extractor.finish();
    }
    extractors.values().forEach(FeatureExtractor::close);
  }

  /**
   * The inputs by their one-thread analysis time, longest first, so that on a small corpus the all-cores figure
   * measures how the analysis scales rather than which costly file happened to come last and ran alone (a job over
   * many files has no such tail to speak of). Ordering by duration is not enough: an MP3 or a 96 kHz file costs
   * several times a WAV of the same length.
   */
  static List<Input> costliestFirst(List<Input> inputs, AnalysisWorkers one) throws Exception {
    InterleavedRounds.best(1, () -> one.analyze(inputs)); // warms the JIT up
    Map<Input, Double> cost = new IdentityHashMap<>();
    for (Input in : inputs) {
      cost.put(in, InterleavedRounds.bestOf(3, timed(() -> one.analyze(List.of(in)))));
    }
    return inputs.stream().sorted(Comparator.comparingDouble(cost::get).reversed()).toList();
  }

  /**
   * Worker threads that keep their analyzers from run to run, as the job's DoFn instances keep theirs from file to
   * file: per-rate set-up (resamplers, feature extractors) is paid once per thread, not in every timed run, where
   * with several threads it would be paid once by each and weigh on the all-cores figure.
   */
  static final class AnalysisWorkers implements AutoCloseable {
    private final ExecutorService pool;
    private final int threads;
    private final List<TrackAnalyzer> analyzers = new ArrayList<>();
    private final ThreadLocal<TrackAnalyzer> analyzer;

    AnalysisWorkers(TrackAnalyzer.Settings settings, int threads) {
      this.pool = Executors.newFixedThreadPool(threads);
      this.threads = threads;
      this.analyzer = ThreadLocal.withInitial(() -> {
        TrackAnalyzer a = new TrackAnalyzer(settings);
        synchronized (analyzers) {
          analyzers.add(a);
        }
        return a;
      });
    }

    /** Analyses the inputs in their order, each thread taking the next input not yet taken. */
    void analyze(List<Input> inputs) throws Exception {
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  TrackAnalyzer mine = analyzer.get();
                  for (int i = next.getAndIncrement(); i < inputs.size(); i = next.getAndIncrement()) {
                    Input in = inputs.get(i);
                    try {
                      mine.analyze(channel(in.bytes()), in.bytes().length, in.path().toString(), null, null);
                    } catch (AnalysisException e) {
                      // An errors row is a normal outcome; its cost counts like any file's.
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }

    @Override
    public void close() {
      pool.shutdown();
      try {
        pool.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (analyzers) {
        analyzers.forEach(TrackAnalyzer::close);
      }
    }
  }

  /** One input's analysis as the job ends it: a track with its spilled mel frames, or an error. */
  record Outcome(String uri, long size, TrackAnalysis track, MelSegmentSpill spill, AnalysisException error) {}

  /** Analyses every input once, keeping mel frames on disk (as the job does) so the write can be timed alone. */
  static List<Outcome> analyzeForWrite(List<Input> inputs, TrackAnalyzer.Settings settings) throws Exception {
    List<Outcome> outcomes = new ArrayList<>();
    try (TrackAnalyzer analyzer = new TrackAnalyzer(settings)) {
      for (Input in : inputs) {
        // A spill per input, each with its own 1 MiB direct buffer: every input's frames are kept for the write.
        MelSegmentSpill spill = new MelSegmentSpill(3.0);
        String uri = in.path().toString();
        try {
          TrackAnalysis t = analyzer.analyze(channel(in.bytes()), in.bytes().length, uri, spill::start, null);
          outcomes.add(new Outcome(uri, in.bytes().length, t, spill, null));
        } catch (AnalysisException e) {
          spill.close();
          outcomes.add(new Outcome(uri, in.bytes().length, null, null, e));
        }
      }
    }
    return outcomes;
  }

  /** Writes the three tables' rows, one Parquet file per table, building rows as the job does. */
  static void write(List<Outcome> outcomes, Path dir) throws IOException {
    ParquetSink tracks = open(Tables.TRACKS, dir.resolve("tracks.parquet"));
    ParquetSink errors = open(Tables.ERRORS, dir.resolve("errors.parquet"));
    ParquetSink mel = open(Tables.MEL, dir.resolve("mel.parquet"));
    Instant now = Instant.now();
    for (Outcome o : outcomes) {
      if (o.error() != null) {
        errors.write(Rows.error(o.uri(), o.size(), o.error(), now));
        continue;
      }
      tracks.write(Rows.track(o.uri(), o.size(), o.track(), now));
      String trackId = o.track().decode().sha256();
      MelConfig config = o.spill().config();
      o.spill().replay((index, start, frames, values) -> {
        try {
          mel.write(Rows.melSegment(trackId, o.uri(), config, index, start, frames, values));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    }
    for (ParquetSink sink : List.of(tracks, errors, mel)) {
      sink.flush();
    }
  }

  private static ParquetSink open(org.apache.avro.Schema schema, Path file) throws IOException {
    ParquetSink sink = new ParquetSink(schema);
    sink.open(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING));
    return sink;
  }

  static PipelineResult runJob(List<String> args) {
    // As bin/audioflow runs it: the command line's options (without the Direct runner's per-bundle checks).
    return AudioflowMain.run(AudioflowMain.commandLine(args.toArray(String[]::new)));
  }

  static boolean ffmpegAvailable() {
    try {
      return new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static void ffmpeg(List<Input> inputs, String... tail) throws Exception {
    for (Input in : inputs) {
      List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-i",
          in.path().toString()));
      command.addAll(List.of(tail));
      int rc = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
      if (rc != 0) {
        throw new IllegalStateException("ffmpeg failed on " + in.path());
      }
    }
  }

  /** Block size for the stages fed from memory, about what decoders deliver. */
  private static final int BLOCK = 4096;
}
