package io.audioflow.transforms.separation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.models.InferenceDevice;
import io.audioflow.models.ModelStore;
import io.audioflow.models.SeparationBag;
import io.audioflow.models.SeparationManifest;
import io.audioflow.models.SharedSessions;
import io.audioflow.transforms.testing.Npy;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24's cross-track batching: one batcher per model and JVM merges the chunks of tracks separated on several
 * threads into shared ONNX calls, and each track's stems stay what it gets alone at batch size 1.
 */
class ChunkBatcherTest {
  private static final int TRACKS = 4;
  @TempDir static Path modelCache;
  private static SeparationBag bag;
  private static SeparationManifest manifest;
  private static SharedSessions.Lease lease;
  private static float[][][] tracks;

  @BeforeAll
  static void load() throws Exception {
    manifest = SmallModel.manifest();
    bag = SeparationBag.read(SmallModel.MANIFEST.toString());
    lease = SmallModel.lease(manifest, modelCache, 1);
    Npy mixNpy = SmallModel.reference("mix");
    int n = mixNpy.shape()[1];
    float[] flat = mixNpy.floats();
    float[][] mix = {Arrays.copyOfRange(flat, 0, n), Arrays.copyOfRange(flat, n, 2 * n)};
    tracks = new float[TRACKS][2][];
    for (int t = 0; t < TRACKS; t++) { // four different tracks: rotated, scaled, of different lengths
      int length = n - t * 5_000;
      for (int c = 0; c < 2; c++) {
        float[] track = new float[length];
        for (int i = 0; i < length; i++) {
          track[i] = mix[c][(i + t * 11_025) % n] * (1 - 0.2f * t);
        }
        tracks[t][c] = track;
      }
    }
  }

  @AfterAll
  static void close() {
    lease.close();
  }

  /** Acceptance 2: four tracks on four threads, batch size 4: batches mix tracks, stems equal batch-1 stems. */
  @Test
  void concurrentTracksShareBatchesAndKeepTheirBatchOfOneStems() throws Exception {
    float[][][][] alone = new float[TRACKS][][][];
    try (OnnxSeparationModel opened = new OnnxSeparationModel(bag, new ModelStore(modelCache), 1)) {
      for (int t = 0; t < TRACKS; t++) {
        alone[t] = separate(opened.model(), 1, tracks[t]);
      }
    }
    ExecutorService threads = Executors.newFixedThreadPool(TRACKS);
    CountDownLatch ready = new CountDownLatch(TRACKS);
    List<Future<float[][][]>> batched = new ArrayList<>();
    ChunkBatcher.Statistics[] statistics = new ChunkBatcher.Statistics[1];
    try (OnnxSeparationModel holder = new OnnxSeparationModel(bag, new ModelStore(modelCache), InferenceDevice.CPU, false, 1, 4, 200)) {
      for (int t = 0; t < TRACKS; t++) {
        float[][] track = tracks[t];
        batched.add(threads.submit(() -> {
          // One model per thread, as each DoFn instance opens its own: the batcher is the JVM's.
          try (OnnxSeparationModel opened = new OnnxSeparationModel(bag, new ModelStore(modelCache), InferenceDevice.CPU, false, 1, 4, 200)) {
            ready.countDown();
            ready.await();
            return separate(opened.model(), 4, track);
          }
        }));
      }
      for (int t = 0; t < TRACKS; t++) {
        float[][][] stems = batched.get(t).get(5, TimeUnit.MINUTES);
        double max = 0;
        for (int s = 0; s < stems.length; s++) {
          for (int c = 0; c < 2; c++) {
            max = Math.max(max, maxAbs(alone[t][s][c], stems[s][c]));
          }
        }
        System.out.printf("track %d: max abs vs batch 1 %.3g%n", t, max);
        assertTrue(max <= 1e-6, "track " + t + ": max abs " + max);
      }
      statistics[0] = ((ChunkBatcher.Client) holder.model().cores().get(0)).statistics();
    } finally {
      threads.shutdownNow();
    }
    System.out.println("batcher: " + statistics[0]);
    assertTrue(statistics[0].mixedBatches() > 0, "no batch held chunks of two tracks: " + statistics[0]);
    assertTrue(statistics[0].batches() < statistics[0].chunks(), statistics[0].toString());
  }

  /**
   * A caller interrupted while its chunk waits (its file ran out of time) withdraws it: the next callers' batch runs
   * without it and gives them their own outputs. A caller with more chunks than the batch size runs alone.
   */
  @Test
  void anInterruptedCallerLeavesTheBatcherWorkingAndABigBatchRunsAlone() throws Exception {
    ChunkBatcher.Client abandoned = ChunkBatcher.client(lease.session(), manifest, 2, 60_000);
    ChunkBatcher.Client first = ChunkBatcher.client(lease.session(), manifest, 2, 60_000);
    ChunkBatcher.Client second = ChunkBatcher.client(lease.session(), manifest, 2, 60_000);
    try (OnnxSeparationCore direct = new OnnxSeparationCore(lease.session(), manifest)) {
      float[] expectedTime = direct(direct, 0.5f);
      fill(abandoned, 1, 0.9f);
      Thread waiting = new Thread(() -> assertThrows(SeparationException.class, () -> abandoned.run(1, (f, t) -> {})));
      waiting.start();
      Thread.sleep(300);
      waiting.interrupt();
      waiting.join(10_000);
      assertTrue(!waiting.isAlive(), "the interrupted caller returned");

      fill(first, 1, 0.5f);
      fill(second, 1, 0.25f);
      float[][] outputs = new float[2][];
      Thread other = new Thread(() -> outputs[1] = runOne(second));
      other.start();
      outputs[0] = runOne(first);
      other.join(60_000);
      assertEquals(0, maxAbs(expectedTime, outputs[0]), 1e-6);
      assertEquals(new ChunkBatcher.Statistics(1, 2, 1), first.statistics(), "one batch of the two waiting callers");

      fill(first, 3, 0.5f);
      first.run(3, (f, t) -> {}); // three chunks with a batch size of 2 and a minute's wait: no deadlock
      assertEquals(new ChunkBatcher.Statistics(2, 5, 1), first.statistics());
    } finally {
      abandoned.close();
      first.close();
      second.close();
    }
  }

  private static float[] runOne(ChunkBatcher.Client client) {
    float[][] time = new float[1][];
    try {
      client.run(1, (freq, t) -> {
        time[0] = new float[client.geometry().sources().size() * client.geometry().waveSize()];
        t.get(0, time[0]);
      });
    } catch (SeparationException e) {
      throw new AssertionError(e);
    }
    return time[0];
  }

  /** The time-branch output of one chunk of constant {@code value}, run by a core of its own. */
  private static float[] direct(OnnxSeparationCore core, float value) throws SeparationException {
    fill(core, 1, value);
    float[][] time = new float[1][];
    core.run(1, (freq, t) -> {
      time[0] = new float[core.geometry().sources().size() * core.geometry().waveSize()];
      t.get(0, time[0]);
    });
    return time[0];
  }

  private static void fill(SeparationCore core, int chunks, float value) {
    SeparationCore.Inputs inputs = core.inputs(chunks);
    FloatBuffer mix = inputs.mix();
    FloatBuffer spectrogram = inputs.spectrogram();
    for (int i = 0; i < chunks * core.geometry().waveSize(); i++) {
      mix.put(i, value * (float) Math.sin(i * 0.01));
    }
    for (int i = 0; i < chunks * core.geometry().spectrogramSize(); i++) {
      spectrogram.put(i, value * (float) Math.cos(i * 0.001));
    }
  }

  private static float[][][] separate(SeparationModel model, int batchSize, float[][] track) throws Exception {
    int n = track[0].length;
    int sources = model.sources().size();
    float[][][] stems = new float[sources][2][n];
    int[] at = {0};
    ChunkedSeparator separator =
        new ChunkedSeparator(model, new ChunkedSeparator.Settings(0.25, 0, batchSize, 0), (out, frames) -> {
          for (int s = 0; s < sources; s++) {
            for (int c = 0; c < 2; c++) {
              System.arraycopy(out[s][c], 0, stems[s][c], at[0], frames);
            }
          }
          at[0] += frames;
        });
    separator.accept(track, n);
    separator.finish();
    assertEquals(n, at[0]);
    return stems;
  }

  private static double maxAbs(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
