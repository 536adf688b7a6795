package io.audioflow.pipeline;

import io.audioflow.transforms.analysis.AnalysisException;
import io.audioflow.transforms.analysis.MelSegmentSpill;
import io.audioflow.transforms.analysis.TrackAnalysis;
import io.audioflow.transforms.analysis.TrackAnalyzer;
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
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * {@code bin/audioflow bench}: realtime factor (audio seconds per wall second) per stage — decode, resample, mel,
 * loudness, Parquet write — and for the whole per-file analysis on one thread and on all cores, plus the whole Beam job (which
 * adds matching, shuffling and the Parquet write) on the Direct runner. Files are read from memory so the figures
 * are about computation, not the disk. Each figure is the best of {@code --repeat} runs after a warm-up.
 */
public final class Benchmark {
  private Benchmark() {}

  record Input(Path path, byte[] bytes, StreamInfo info, float[][] planar, float[] mono, double seconds) {}

  public static void main(String[] args) throws Exception {
    String glob = "../shared/corpus/synthetic/*";
    int repeat = 5;
    String preset = "musicnn";
    boolean job = true;
    for (String arg : args) {
      if (arg.startsWith("--input=")) {
        glob = arg.substring(8);
      } else if (arg.startsWith("--repeat=")) {
        repeat = Integer.parseInt(arg.substring(9));
      } else if (arg.startsWith("--melPreset=")) {
        preset = arg.substring(12);
      } else if (arg.equals("--noJob")) {
        job = false;
      } else {
        throw new IllegalArgumentException(
            "usage: bench [--input=GLOB] [--repeat=N] [--melPreset=musicnn|librosa] [--noJob]; got " + arg);
      }
    }
    AudioflowOptions options = PipelineOptionsFactory.as(AudioflowOptions.class);
    options.setMelPreset(preset);
    TrackAnalyzer.Settings settings = MelSettings.from(options);
    List<Input> inputs = load(glob);
    double audio = inputs.stream().mapToDouble(Input::seconds).sum();
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(Locale.ROOT, "files: %d decodable, %.1f s of audio (%s); mel %s; %d cores; best of %d%n",
        inputs.size(), audio, glob, preset, cores, repeat);
    System.out.println("| stage | wall s | realtime factor |");
    System.out.println("|---|---|---|");
    row("decode (in-process FFmpeg)", audio, best(repeat, () -> decodeAll(inputs)));
    row("resample (to the mel rate, mono)", audio, best(repeat, () -> resampleAll(inputs, settings)));
    row("mel (" + preset + ")", audio, best(repeat, () -> melAll(inputs, settings)));
    row("loudness (BS.1770 + LRA + true peak)", audio, best(repeat, () -> loudnessAll(inputs)));
    row("analysis, 1 thread (decode+resample+mel+loudness)", audio, best(repeat, () -> analyze(inputs, settings, 1)));
    row("analysis, " + cores + " threads", audio, best(repeat, () -> analyze(inputs, settings, cores)));
    List<GenericRecord> rows = rows(inputs, settings);
    Path table = Files.createTempFile("audioflow-bench-", ".parquet");
    row("write (Parquet: tracks rows and 3 s mel segments, " + rows.size() + " rows)", audio,
        best(repeat, () -> write(rows, table)));
    Files.delete(table);
    if (ffmpegAvailable()) {
      // The tools users would otherwise run, on the same files, in the same run (process start included).
      double decode = best(repeat, () -> ffmpeg(inputs, "-threads", "1", "-f", "null", "-"));
      double ebur128 = best(repeat, () -> ffmpeg(inputs, "-threads", "1", "-af", "ebur128=peak=true", "-f", "null",
          "-"));
      row("ffmpeg -threads 1 -i F -f null - (decode only, reference)", audio, decode);
      row("ffmpeg -af ebur128=peak=true (reference)", audio, ebur128);
    }
    if (job) {
      Path out = Files.createTempDirectory("audioflow-bench-");
      String jobGlob = glob;
      String jobPreset = preset;
      row("whole job, Direct runner (match, shuffle, analysis, Parquet write)", audio,
          best(Math.min(repeat, 2), () -> runJob(jobGlob, out, jobPreset)));
    }
  }

  interface Timed {
    void run() throws Exception;
  }

  static double best(int repeat, Timed body) throws Exception {
    body.run();
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

  static void melAll(List<Input> inputs, TrackAnalyzer.Settings settings) {
    for (Input in : inputs) {
      MelConfig mel = settings.melFor(in.info().sampleRate());
      // The mel stage alone runs on a signal already at the mel rate, as long as the resampled one.
      float[] signal = new float[(int) Resampler.expectedLength(in.mono().length, in.info().sampleRate(),
          mel.sampleRate())];
      System.arraycopy(in.mono(), 0, signal, 0, Math.min(signal.length, in.mono().length));
      MelSpectrogram spectrogram = new MelSpectrogram(mel, frame -> {});
      for (int i = 0; i < signal.length; i += BLOCK) {
        spectrogram.accept(signal, i, Math.min(BLOCK, signal.length - i));
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

  static void analyze(List<Input> inputs, TrackAnalyzer.Settings settings, int threads) throws Exception {
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
                      analyzer.analyze(channel(in.bytes()), in.bytes().length, in.path().toString(), null);
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

  /** The tracks rows and mel segments of every input, as the job builds them. */
  static List<GenericRecord> rows(List<Input> inputs, TrackAnalyzer.Settings settings) throws Exception {
    List<GenericRecord> rows = new ArrayList<>();
    try (TrackAnalyzer analyzer = new TrackAnalyzer(settings)) {
      for (Input in : inputs) {
        MelSegmentSpill[] spill = {null};
        String uri = in.path().toString();
        TrackAnalysis t = analyzer.analyze(channel(in.bytes()), in.bytes().length, uri,
            config -> spill[0] = new MelSegmentSpill(config, 3.0));
        rows.add(Rows.track(uri, in.bytes().length, t, Instant.now()));
        spill[0].replay((index, start, frames, values) ->
            rows.add(Rows.melSegment(t.decode().sha256(), uri, spill[0].config(), index, start, frames, values)));
        spill[0].close();
      }
    }
    return rows;
  }

  static void write(List<GenericRecord> rows, Path file) throws IOException {
    // Two files, one per schema, as the job writes its tables.
    for (org.apache.avro.Schema schema : List.of(Tables.TRACKS, Tables.MEL)) {
      ParquetIO.Sink sink = ParquetTable.sink(schema);
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        sink.open(channel);
        for (GenericRecord row : rows) {
          if (row.getSchema().equals(schema)) {
            sink.write(row);
          }
        }
        sink.flush();
      }
    }
  }

  static void runJob(String glob, Path out, String preset) {
    AudioflowOptions options = PipelineOptionsFactory.fromArgs(
        "--input=" + glob, "--output=" + out, "--overwrite", "--melPreset=" + preset,
        "--progressIntervalSeconds=0").as(AudioflowOptions.class);
    AudioflowMain.run(options);
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
