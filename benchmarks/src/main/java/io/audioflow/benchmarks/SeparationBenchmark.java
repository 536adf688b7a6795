package io.audioflow.benchmarks;

import io.audioflow.models.ModelStore;
import io.audioflow.models.SeparationBag;
import io.audioflow.transforms.files.LocalFiles;
import io.audioflow.transforms.separation.ChunkedSeparator;
import io.audioflow.transforms.separation.OnnxSeparationModel;
import io.audioflow.transforms.separation.SeparationModel;
import io.audioflow.transforms.separation.StemFormat;
import io.audioflow.transforms.separation.TrackSeparator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Separation speed and memory, one command, {@code bin/audioflow bench separation ARGS} (docs/benchmarks.md,
 * docs/separation.md).
 *
 * <pre>
 * speed:  SeparationBenchmark MANIFEST speed THREADS[,THREADS..] [CHUNKS]
 *         seconds per chunk through ChunkedSeparator (Demucs STFT, ONNX core, inverse STFT, overlap-add) on seeded
 *         stereo noise of CHUNKS chunks (default 4) after one warm-up chunk; the realtime factor per chunk is
 *         segment seconds / seconds per chunk, PyTorch's definition in ../shared/anchors/demucs_pytorch.md; a bag
 *         runs every model on every chunk (segment: the first model's)
 * file:   SeparationBenchmark MANIFEST file AUDIO [THREADS] [flac|wav]
 *         separates one file to a temporary directory and prints wall time, peak heap and peak RSS (VmHWM)
 * </pre>
 */
public final class SeparationBenchmark {
  private SeparationBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: SeparationBenchmark MANIFEST speed THREADS[,..] [CHUNKS] | MANIFEST file AUDIO [THREADS] [FORMAT]");
      System.exit(2);
    }
    // Each thread count gets its own session: close a shared session as soon as its lease is.
    System.setProperty("audioflow.sessionIdleCloseMillis", "0");
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    SeparationBag manifest = SeparationBag.read(args[0]);
    ModelStore store = ModelStore.defaultStore();
    if (args[1].equals("speed")) {
      int chunks = args.length > 3 ? Integer.parseInt(args[3]) : 4;
      for (String t : args[2].split(",")) {
        speed(manifest, store, Integer.parseInt(t), chunks);
      }
    } else {
      int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
      StemFormat format = StemFormat.parse(args.length > 4 ? args[4] : "flac");
      file(manifest, store, Path.of(args[2]), threads, format);
    }
  }

  private static void speed(SeparationBag manifest, ModelStore store, int threads, int chunks) throws Exception {
    try (OnnxSeparationModel opened = new OnnxSeparationModel(manifest, store, threads)) {
      SeparationModel model = opened.model();
      int segment = manifest.models().get(0).segmentSamples();
      ChunkedSeparator.Settings settings = ChunkedSeparator.Settings.defaults();
      int stride = (int) (0.75 * segment);
      run(model, settings, segment, 1); // warm-up: one chunk
      // n chunks exactly: the track ends inside the n-th chunk's offset range.
      int length = (chunks - 1) * stride + 1;
      long start = System.nanoTime();
      run(model, settings, length, 2);
      double seconds = (System.nanoTime() - start) / 1e9;
      double perChunk = seconds / chunks;
      double segmentSeconds = segment / (double) manifest.sampleRate();
      System.out.printf("%s threads=%d chunks=%d segment=%.2fs: %.3f s per chunk, realtime factor %.2fx per chunk,"
              + " %.2fx over the track%n", manifest.name(), threads, chunks, segmentSeconds, perChunk,
          segmentSeconds / perChunk, length / (double) manifest.sampleRate() / seconds);
    }
  }

  private static void run(SeparationModel model, ChunkedSeparator.Settings settings, int length, long seed)
      throws Exception {
    Random random = new Random(seed);
    ChunkedSeparator separator = new ChunkedSeparator(model, settings, (stems, frames) -> {});
    float[][] block = new float[2][4096];
    for (int done = 0; done < length; done += 4096) {
      int n = Math.min(4096, length - done);
      for (float[] channel : block) {
        for (int i = 0; i < n; i++) {
          channel[i] = (float) (0.1 * random.nextGaussian());
        }
      }
      separator.accept(block, n);
    }
    separator.finish();
  }

  private static void file(SeparationBag manifest, ModelStore store, Path audio, int threads,
      StemFormat format) throws Exception {
    Path work = Files.createTempDirectory("audioflow-separation-bench-");
    try (OnnxSeparationModel opened = new OnnxSeparationModel(manifest, store, threads);
        TrackSeparator separator = new TrackSeparator(opened.model(),
            new TrackSeparator.Settings(ChunkedSeparator.Settings.defaults(), format, 86_400, 0));
        FileChannel channel = FileChannel.open(audio)) {
      long start = System.nanoTime();
      TrackSeparator.Result result = separator.separate(channel, Files.size(audio), audio.toString(), work);
      double seconds = (System.nanoTime() - start) / 1e9;
      double audioSeconds = result.frames() / (double) manifest.sampleRate();
      System.out.printf("%s %s: %.1f s of audio in %.1f s (%.2fx realtime), max heap %d MiB, peak heap %d MiB,"
              + " peak RSS %d MiB%n", manifest.name(), audio.getFileName(), audioSeconds, seconds,
          audioSeconds / seconds, Runtime.getRuntime().maxMemory() >> 20, peakHeapBytes() >> 20, peakRssKib() >> 10);
      for (TrackSeparator.Stem stem : result.stems()) {
        System.out.printf("  %s: %d samples, rms %.4f (finite: %b), share %.3f, true peak %s dBTP%n", stem.source(),
            stem.frames(), stem.rms(), Double.isFinite(stem.rms()), stem.mixEnergyShare(), stem.truePeakDbtp());
      }
    } finally {
      LocalFiles.deleteTree(work);
    }
  }

  /** Sum over heap pools of their peak usage (an upper bound of the simultaneous peak). */
  private static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  private static long peakRssKib() throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
