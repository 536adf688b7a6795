package io.audioflow.transforms.separation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24's acceptance 3: assembling a track's parts holds a few blocks, not the stem. Synthetic parts of a 2-minute
 * and a 20-minute stereo track (44.1 kHz, four spans each) go through {@link StemAssembler} into a FLAC stem; while
 * it reads them, the test samples the retained heap: before every 32nd read of a part, a full collection
 * ({@code System.gc()}) and the heap it left, as the collector reports it per pool. The largest sample minus the
 * retained heap before the assembly is the assembly's peak retained heap. A stem held whole would add 42 MB for
 * 2 minutes and 423 MB for 20; the two peaks must be within 20 % of each other. (Measured: 454 KB and 511 KB; the
 * difference is the loudness meter's energy per 100 ms, 4 bytes each, which integrated loudness gating needs.)
 */
class StemAssemblerTest {
  private static final int RATE = 44_100;
  private static final int CHANNELS = 2;
  private static final int SPANS = 4;

  @TempDir Path dir;

  @Test
  void assemblyHeapDoesNotGrowWithTrackLength() throws Exception {
    peakRetainedBytes(10); // loads the classes and JIT-compiles the loop outside the measurement
    long twoMinutes = peakRetainedBytes(120);
    long twentyMinutes = peakRetainedBytes(1200);
    System.out.printf("assembly peak retained heap: 2 min %d bytes, 20 min %d bytes (%.1f %%)%n", twoMinutes,
        twentyMinutes, 100.0 * (twentyMinutes - twoMinutes) / twoMinutes);
    assertTrue(twentyMinutes <= 1.2 * twoMinutes && twoMinutes <= 1.2 * twentyMinutes,
        "2 min: " + twoMinutes + " bytes, 20 min: " + twentyMinutes + " bytes");
    assertTrue(twentyMinutes < 4 << 20, "a few blocks, not a stem: " + twentyMinutes + " bytes");
  }

  /** Writes a track of {@code seconds} as parts, assembles it, checks the stem, and returns the peak growth. */
  private long peakRetainedBytes(int seconds) throws Exception {
    Path parts = Files.createDirectories(dir.resolve("parts-" + seconds));
    long frames = (long) seconds * RATE;
    for (int span = 0; span < SPANS; span++) {
      writePart(parts.resolve(span + ".f32"), span * frames / SPANS, (span + 1) * frames / SPANS);
    }
    Path out = Files.createDirectories(dir.resolve("out-" + seconds));
    StemAssembler assembler = new StemAssembler(List.of("vocals"), RATE, CHANNELS, StemFormat.FLAC);
    long[] peak = {0};
    int[] reads = {0};
    long before = retained();
    List<TrackSeparator.Stem> stems = assembler.assemble((span, source) -> new Sampled(
        FileChannel.open(parts.resolve(span + ".f32")), () -> {
          if (reads[0]++ % 32 == 0) {
            peak[0] = Math.max(peak[0], retained() - before);
          }
        }), SPANS, 2.0 * frames, out);
    TrackSeparator.Stem stem = stems.get(0);
    assertEquals(frames, stem.frames());
    assertEquals(seconds, stem.durationSeconds(), 1e-9);
    // The test signal: a 0.25-amplitude sine on both channels, RMS 0.25 / sqrt(2).
    assertEquals(0.25 / Math.sqrt(2), stem.rms(), 1e-4);
    assertTrue(Files.size(stem.file()) > 0);
    deleteAll(parts);
    deleteAll(out);
    return peak[0];
  }

  /**
   * The heap the last full collection left: the heap pools' usage after collection, as the collector measured it.
   * (The heap's current usage would also count the thread-local allocation buffer handed out right after the
   * collection, whose adaptive size, up to megabytes, varies from run to run.)
   */
  private static long retained() {
    System.gc();
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
        used += pool.getCollectionUsage().getUsed();
      }
    }
    return used;
  }

  private static void writePart(Path part, long from, long to) throws IOException {
    ByteBuffer block = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (long i = from; i < to; i++) {
        float v = (float) (0.25 * Math.sin(2 * Math.PI * 440 * i / RATE));
        for (int c = 0; c < CHANNELS; c++) {
          block.putFloat(v);
        }
        if (!block.hasRemaining()) {
          out.write(block.flip());
          block.clear();
        }
      }
      out.write(block.flip());
    }
  }

  private static void deleteAll(Path directory) throws IOException {
    try (var files = Files.list(directory)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
  }

  /** A part's channel that calls {@code sample} before each read. */
  private record Sampled(FileChannel in, Runnable sample) implements ReadableByteChannel {
    @Override
    public int read(ByteBuffer dst) throws IOException {
      sample.run();
      return in.read(dst);
    }

    @Override
    public boolean isOpen() {
      return in.isOpen();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
