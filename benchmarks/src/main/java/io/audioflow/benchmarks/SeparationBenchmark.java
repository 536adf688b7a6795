package io.audioflow.benchmarks;

import io.audioflow.models.InferenceDevice;
import io.audioflow.models.ModelStore;
import io.audioflow.models.SeparationBag;
import io.audioflow.transforms.files.LocalFiles;
import io.audioflow.transforms.separation.ChunkedSeparator;
import io.audioflow.transforms.separation.OnnxSeparationModel;
import io.audioflow.transforms.separation.SeparationCore;
import io.audioflow.transforms.separation.SeparationModel;
import io.audioflow.transforms.separation.StemFormat;
import io.audioflow.transforms.separation.TrackSeparator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Separation speed and memory, one command, {@code bin/audioflow bench separation ARGS} (docs/benchmarks.md,
 * docs/separation.md).
 *
 * <pre>
 * speed:  SeparationBenchmark MANIFEST speed THREADS[,THREADS..] [CHUNKS] [--batch=B[,B..]] [DEVICE OPTIONS]
 *         seconds per chunk through ChunkedSeparator (Demucs STFT, ONNX core, inverse STFT, overlap-add) on seeded
 *         stereo noise of max(CHUNKS, 4 x B) chunks (CHUNKS default 4) at each batch size B (default 1), after a
 *         warm-up of 2 x B chunks (the separator's batches grow 1, 2, 4, .. B: the warm-up meets every shape); the
 *         realtime factor per chunk is segment seconds / seconds per chunk, PyTorch's definition in
 *         ../shared/anchors/demucs_pytorch.md; a bag runs every model on every chunk (segment: the first model's)
 * file:   SeparationBenchmark MANIFEST file AUDIO [THREADS] [flac|wav] [DEVICE OPTIONS]
 *         separates one file to a temporary directory and prints wall time, peak heap and peak RSS (VmHWM)
 * DEVICE OPTIONS: --device=cpu|cuda|cuda:N (default cpu; an unusable device falls back to the CPU unless
 *         --requireDevice); each line names the device the sessions really ran on
 * </pre>
 */
public final class SeparationBenchmark {
  private SeparationBenchmark() {}

  /** Where the sessions run, as asked. */
  private record Device(InferenceDevice device, boolean require) {}

  public static void main(String[] argv) throws Exception {
    List<String> args = new ArrayList<>();
    InferenceDevice asked = InferenceDevice.CPU;
    boolean require = false;
    int[] batches = {1};
    for (String arg : argv) {
      if (arg.startsWith("--device=")) {
        asked = InferenceDevice.parse(arg.substring(9));
      } else if (arg.equals("--requireDevice")) {
        require = true;
      } else if (arg.startsWith("--batch=")) {
        batches = Arrays.stream(arg.substring(8).split(",")).mapToInt(Integer::parseInt).toArray();
      } else {
        args.add(arg);
      }
    }
    if (args.size() < 3) {
      System.err.println("usage: SeparationBenchmark MANIFEST speed THREADS[,..] [CHUNKS] [--batch=B[,..]]"
          + " | MANIFEST file AUDIO [THREADS] [FORMAT]; both [--device=cpu|cuda[:N]] [--requireDevice]");
      System.exit(2);
    }
    Device device = new Device(asked, require);
    // Each thread count gets its own session: close a shared session as soon as its lease is.
    System.setProperty("audioflow.sessionIdleCloseMillis", "0");
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    SeparationBag manifest = SeparationBag.read(args.get(0));
    ModelStore store = ModelStore.defaultStore();
    if (args.get(1).equals("speed")) {
      int chunks = args.size() > 3 ? Integer.parseInt(args.get(3)) : 4;
      for (String t : args.get(2).split(",")) {
        for (int batch : batches) {
          speed(manifest, store, device, Integer.parseInt(t), batch, Math.max(chunks, 4 * batch));
        }
      }
    } else {
      int threads = args.size() > 3 ? Integer.parseInt(args.get(3)) : 1;
      StemFormat format = StemFormat.parse(args.size() > 4 ? args.get(4) : "flac");
      file(manifest, store, device, Path.of(args.get(2)), threads, format);
    }
  }

  private static void speed(SeparationBag manifest, ModelStore store, Device device, int threads, int batch,
      int chunks) throws Exception {
    try (OnnxSeparationModel opened = open(manifest, store, device, threads)) {
      SeparationModel model = opened.model();
      int segment = manifest.models().get(0).segmentSamples();
      ChunkedSeparator.Settings settings = new ChunkedSeparator.Settings(0.25, 0, batch, 0);
      int stride = (int) (0.75 * segment);
      // n chunks exactly: the track ends inside the n-th chunk's offset range.
      run(model, settings, (2 * batch - 1) * stride + 1, 1); // warm-up
      int length = (chunks - 1) * stride + 1;
      long start = System.nanoTime();
      run(model, settings, length, 2);
      double seconds = (System.nanoTime() - start) / 1e9;
      double perChunk = seconds / chunks;
      double segmentSeconds = segment / (double) manifest.sampleRate();
      System.out.printf(Locale.ROOT, "%s device=%s threads=%d batch=%d chunks=%d segment=%.2fs: %.3f s per chunk,"
              + " realtime factor %.2fx per chunk, %.2fx over the track%n", manifest.name(), opened.device(), threads,
          batch, chunks, segmentSeconds, perChunk, segmentSeconds / perChunk,
          length / (double) manifest.sampleRate() / seconds);
      double bare = bareCoreSecondsPerChunk(model, batch, chunks);
      System.out.printf(Locale.ROOT, "  bare ONNX core call: %.3f s per chunk; STFT, inverse STFT, overlap-add and"
          + " batching add %.1f %%%n", bare, 100 * (perChunk - bare) / bare);
    }
  }

  /**
   * Seconds per chunk of the cores' ONNX calls alone (every model of a bag), on lent inputs filled with noise once:
   * what {@link ChunkedSeparator} adds on top of it is its overhead.
   */
  private static double bareCoreSecondsPerChunk(SeparationModel model, int batch, int chunks) throws Exception {
    Random random = new Random(3);
    for (SeparationCore core : model.cores()) {
      SeparationCore.Inputs inputs = core.inputs(batch);
      for (FloatBuffer buffer : new FloatBuffer[] {inputs.mix(), inputs.spectrogram()}) {
        for (int i = 0; i < buffer.capacity(); i++) {
          buffer.put(i, (float) (0.1 * random.nextGaussian()));
        }
      }
      core.run(batch, (freq, time) -> {}); // warm-up
    }
    int calls = (chunks + batch - 1) / batch;
    long start = System.nanoTime();
    for (int c = 0; c < calls; c++) {
      for (SeparationCore core : model.cores()) {
        core.run(batch, (freq, time) -> {});
      }
    }
    return (System.nanoTime() - start) / 1e9 / (calls * batch);
  }

  private static OnnxSeparationModel open(SeparationBag manifest, ModelStore store, Device device, int threads) {
    return new OnnxSeparationModel(manifest, store, device.device(), device.require(), threads, 1, 0);
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

  private static void file(SeparationBag manifest, ModelStore store, Device device, Path audio, int threads,
      StemFormat format) throws Exception {
    Path work = Files.createTempDirectory("audioflow-separation-bench-");
    try (OnnxSeparationModel opened = open(manifest, store, device, threads);
        TrackSeparator separator = new TrackSeparator(opened.model(),
            new TrackSeparator.Settings(ChunkedSeparator.Settings.defaults(), format, 86_400, 0));
        FileChannel channel = FileChannel.open(audio)) {
      long start = System.nanoTime();
      TrackSeparator.Result result = separator.separate(channel, Files.size(audio), audio.toString(), work);
      double seconds = (System.nanoTime() - start) / 1e9;
      double audioSeconds = result.frames() / (double) manifest.sampleRate();
      System.out.printf("%s %s on %s: %.1f s of audio in %.1f s (%.2fx realtime), max heap %d MiB, peak heap %d MiB,"
              + " peak RSS %d MiB%n", manifest.name(), audio.getFileName(), opened.device(), audioSeconds, seconds,
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
