package io.audioflow.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.transforms.analysis.AnalysisException;
import io.audioflow.transforms.analysis.MelSegmentSpill;
import io.audioflow.transforms.analysis.TrackAnalysis;
import io.audioflow.transforms.analysis.TrackAnalyzer;
import io.audioflow.transforms.features.Feature;
import io.audioflow.transforms.features.FeatureExtractor;
import io.audioflow.transforms.files.LocalFiles;
import io.audioflow.transforms.beam.Rows;
import io.audioflow.transforms.beam.Tables;
import io.audioflow.transforms.audio.StreamInfo;
import io.audioflow.transforms.decode.AudioDecoder;
import io.audioflow.transforms.loudness.ChannelWeights;
import io.audioflow.transforms.loudness.LoudnessMeter;
import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.mel.MelSpectrogram;
import io.audioflow.transforms.resample.Resampler;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * {@code bin/audioflow bench}: realtime factor (audio seconds per wall second) per stage — decode, resample, mel,
 * loudness, Parquet write — and for the whole per-file analysis on one thread and on all cores, plus the whole Beam job (which
 * adds matching, shuffling and the Parquet write) on the Direct runner. Files are read from memory so the figures
 * are about computation, not the disk. Each figure is the best of {@code --repeat} runs after two seconds of warm-up.
 */
public final class Benchmark {
  private Benchmark() {}

  record Input(Path path, byte[] bytes, StreamInfo info, float[][] planar, float[] mono, double seconds) {}

  public static void main(String[] args) throws Exception {
    String glob = "../shared/corpus/synthetic/*";
    int repeat = 5;
    String preset = "musicnn";
    boolean job = true;
    String featureSet = "all";
    for (String arg : args) {
      if (arg.startsWith("--input=")) {
        glob = arg.substring(8);
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
            "usage: bench [--input=GLOB] [--repeat=N] [--melPreset=musicnn|librosa] [--features=LIST] [--noJob]; got "
                + arg);
      }
    }
    AudioflowOptions options = PipelineOptionsFactory.as(AudioflowOptions.class);
    options.setMelPreset(preset);
    options.setFeatures(featureSet);
    TrackAnalyzer.Settings settings = MelSettings.from(options);
    List<Input> inputs = load(glob);
    double audio = inputs.stream().mapToDouble(Input::seconds).sum();
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(Locale.ROOT,
        "files: %d decodable, %.1f s of audio (%s); mel %s; features %s; %d cores; best of %d%n",
        inputs.size(), audio, glob, preset, featureSet, cores, repeat);
    System.out.println("| stage | wall s | realtime factor |");
    System.out.println("|---|---|---|");
    double decode = best(repeat, () -> decodeAll(inputs));
    row("decode (in-process FFmpeg)", audio, decode);
    double resample = best(repeat, () -> resampleAll(inputs, settings));
    row("resample (to the mel rate, mono)", audio, resample);
    Map<MelConfig, MelSpectrogram> spectrograms = new HashMap<>();
    double mel = best(repeat, () -> melAll(inputs, settings, spectrograms));
    row("mel (" + preset + ")", audio, mel);
    row("loudness (BS.1770 + LRA + true peak)", audio, best(repeat, () -> loudnessAll(inputs)));
    double features = best(repeat, () -> featuresAll(inputs));
    row("classic features alone (all, at the file's rate)", audio, features);
    for (String set : List.of("mel", "mel,loudness", "all")) {
      options.setFeatures(set);
      TrackAnalyzer.Settings selected = MelSettings.from(options);
      row("analysis, 1 thread, --features=" + set, audio, best(repeat, () -> analyze(inputs, selected, 1)));
    }
    row("analysis, " + cores + " threads, --features=" + featureSet, audio,
        best(repeat, () -> analyze(inputs, settings, cores)));
    List<Outcome> outcomes = analyzeForWrite(inputs, settings);
    Path tables = Files.createTempDirectory("audioflow-bench-tables-");
    try {
      row("write (Parquet: tracks/errors rows and 3 s mel segments)", audio,
          best(repeat, () -> write(outcomes, tables)));
    } finally {
      outcomes.stream().filter(o -> o.spill() != null).forEach(o -> o.spill().close());
      LocalFiles.deleteTree(tables);
    }
    if (ffmpegAvailable()) {
      // The tools users would otherwise run, on the same files, in the same run (process start included).
      double ffmpegDecode = best(repeat, () -> ffmpeg(inputs, "-threads", "1", "-f", "null", "-"));
      double ebur128 = best(repeat, () -> ffmpeg(inputs, "-threads", "1", "-af", "ebur128=peak=true", "-f", "null",
          "-"));
      row("ffmpeg -threads 1 -i F -f null - (decode only, reference)", audio, ffmpegDecode);
      row("ffmpeg -af ebur128=peak=true (reference)", audio, ebur128);
    }
    String librosaBench = System.getProperty("audioflow.librosaBench");
    if (librosaBench != null) {
      librosaReference(librosaBench, preset, inputs, audio / mel, audio / (decode + resample + mel),
          audio / features);
    }
    if (job) {
      Path out = Files.createTempDirectory("audioflow-bench-");
      String jobGlob = glob;
      String jobPreset = preset;
      String jobFeatures = featureSet;
      try {
        row("whole job, Direct runner, --features=" + featureSet + " (match, shuffle, analysis, Parquet write)", audio,
            best(Math.min(repeat, 2), () -> runJob(jobGlob, out, jobPreset, jobFeatures)));
      } finally {
        LocalFiles.deleteTree(out);
      }
    }
  }

  interface Timed {
    void run() throws Exception;
  }

  /** Best of {@code repeat} runs after about two seconds of warm-up, so the JIT has compiled the hot loops. */
  static double best(int repeat, Timed body) throws Exception {
    long warmUntil = System.nanoTime() + 2_000_000_000L;
    do {
      body.run();
    } while (System.nanoTime() < warmUntil);
    double best = Double.MAX_VALUE;
    for (int i = 0; i < repeat; i++) {
      long t = System.nanoTime();
      body.run();
      best = Math.min(best, (System.nanoTime() - t) / 1e9);
    }
    return best;
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
                copy[c] = java.util.Arrays.copyOf(block[c], n);
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
      MelConfig mel = settings.melFor(in.info().sampleRate());
      try (Resampler r = new Resampler(in.info().sampleRate(), mel.sampleRate())) {
        Resampler.Sink sink = (x, off, n) -> {};
        for (int i = 0; i < in.mono().length; i += BLOCK) {
          r.accept(in.mono(), i, Math.min(BLOCK, in.mono().length - i), sink);
        }
        r.finish(sink);
      }
    }
  }

  /** The mel stage alone, one spectrogram per configuration reused across files as the job's analyzer does. */
  static void melAll(List<Input> inputs, TrackAnalyzer.Settings settings, Map<MelConfig, MelSpectrogram> cache) {
    for (Input in : inputs) {
      MelConfig mel = settings.melFor(in.info().sampleRate());
      MelSpectrogram spectrogram = cache.computeIfAbsent(mel, c -> new MelSpectrogram(c, frame -> {}));
      spectrogram.reset();
      // Fed as many samples as the resampler would give it, cycling through the file's own.
      long length = Resampler.expectedLength(in.mono().length, in.info().sampleRate(), mel.sampleRate());
      float[] signal = in.mono();
      for (long fed = 0; fed < length; ) {
        int at = (int) (fed % signal.length);
        int n = (int) Math.min(Math.min(BLOCK, signal.length - at), length - fed);
        spectrogram.accept(signal, at, n);
        fed += n;
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

  static void analyze(List<Input> unordered, TrackAnalyzer.Settings settings, int threads) throws Exception {
    // Longest first, so that on a small corpus the figure measures how the analysis scales with cores rather than
    // which long file happened to come last and ran alone (a job over many files has no such tail to speak of).
    List<Input> inputs = unordered.stream().sorted(Comparator.comparingDouble(Input::seconds).reversed()).toList();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  try (TrackAnalyzer analyzer = new TrackAnalyzer(settings)) {
                    for (int i = next.getAndIncrement(); i < inputs.size(); i = next.getAndIncrement()) {
                      Input in = inputs.get(i);
                      try {
                        analyzer.analyze(channel(in.bytes()), in.bytes().length, in.path().toString(), null, null);
                      } catch (AnalysisException e) {
                        // An errors row is a normal outcome; its cost counts like any file's.
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
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
    ParquetIO.Sink tracks = open(Tables.TRACKS, dir.resolve("tracks.parquet"));
    ParquetIO.Sink errors = open(Tables.ERRORS, dir.resolve("errors.parquet"));
    ParquetIO.Sink mel = open(Tables.MEL, dir.resolve("mel.parquet"));
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
    for (ParquetIO.Sink sink : List.of(tracks, errors, mel)) {
      sink.flush();
    }
  }

  private static ParquetIO.Sink open(org.apache.avro.Schema schema, Path file) throws IOException {
    ParquetIO.Sink sink = ParquetTable.sink(schema);
    sink.open(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING));
    return sink;
  }

  static void runJob(String glob, Path out, String preset, String features) {
    AudioflowOptions options = PipelineOptionsFactory.fromArgs(
        "--input=" + glob, "--output=" + out, "--overwrite", "--melPreset=" + preset, "--features=" + features,
        "--progressIntervalSeconds=0").as(AudioflowOptions.class);
    AudioflowMain.run(options);
  }

  /**
   * librosa 0.11 on this machine, in this run ({@code tools/librosa-speed/run.sh}, the anchors' method: 60 s of noise,
   * one thread), and this run's figures against it: the mel stage, decode + resample + mel against the anchors'
   * Python path (ffmpeg, resample_poly, librosa; timed on the input when there is one) and the classic features.
   * Skipped, saying why, when librosa is not found.
   */
  static void librosaReference(String script, String preset, List<Input> inputs, double melRealtime,
      double melPathRealtime, double featuresRealtime) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(script, "--features"));
    if (inputs.size() == 1) {
      command.add("--pythonPath=" + inputs.get(0).path());
    }
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    JsonNode json = new ObjectMapper().readTree(p.getInputStream());
    if (p.waitFor() != 0) {
      System.out.println("librosa reference skipped (" + script + " failed; see above)");
      return;
    }
    String melKey = preset.equals("musicnn") ? "melspectrogram_musicnn_16k" : "melspectrogram_librosa_default_44k1";
    double melWall = jsonNumber(json, melKey) / 1e3;
    double featuresWall = jsonNumber(json, "classic_features_44k1_total") / 1e3;
    row("librosa melspectrogram, " + melKey.substring(15) + ", 60 s of noise (reference, this run)", 60, melWall);
    row("librosa's classic features one by one, 60 s of 44.1 kHz noise (reference, this run)", 60, featuresWall);
    // librosa's default-config mel and its features run at 44.1 kHz; ours at each file's rate (musicnn: 16 kHz).
    boolean at44k = inputs.stream().allMatch(in -> in.info().sampleRate() == 44100);
    if (preset.equals("musicnn") || at44k) {
      System.out.printf(Locale.ROOT, "mel stage %.2fx librosa's realtime factor%n", melRealtime / (60 / melWall));
    }
    if (at44k) {
      System.out.printf(Locale.ROOT, "classic features %.1fx librosa's realtime factor%n",
          featuresRealtime / (60 / featuresWall));
    }
    if (inputs.size() == 1) {
      double seconds = jsonNumber(json, "python_path_seconds_of_audio");
      double pathWall = jsonNumber(json, "python_path") / 1e3;
      row("Python path: ffmpeg pipe, mono, resample_poly, librosa musicnn mel + log10 (reference, this run)", seconds,
          pathWall);
      System.out.printf(Locale.ROOT, "decode + resample + mel %.2fx the Python path's realtime factor%n",
          melPathRealtime / (seconds / pathWall));
    }
  }

  private static double jsonNumber(JsonNode json, String key) {
    if (!json.path(key).isNumber()) {
      throw new IllegalStateException("no " + key + " in the librosa benchmark's output: " + json);
    }
    return json.get(key).asDouble();
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
