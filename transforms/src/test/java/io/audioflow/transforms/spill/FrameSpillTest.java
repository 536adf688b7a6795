package io.audioflow.transforms.spill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link FrameSpill} in memory and through its temporary file (past 1 MiB), reused for track after track: records,
 * records changed during a replay, segments, and the file's deletion.
 */
class FrameSpillTest {
  private static final int A = 3;
  private static final int B = 297; // 1200 bytes a record: 874 fit the buffer

  @Test
  void replaysWhatWasWrittenInOrder() {
    try (FrameSpill spill = new FrameSpill()) {
      for (int records : new int[] {5000, 10, 0, 2000}) {
        write(spill, records);
        assertEquals(records, spill.records());
        float[] a = new float[A];
        float[] b = new float[B];
        for (int pass = 0; pass < 2; pass++) { // a replay can be repeated
          long[] seen = {0};
          spill.replay(a, b, false, index -> {
            assertEquals(seen[0]++, index);
            assertRecord((int) index, a, b);
          });
          assertEquals(records, seen[0]);
        }
      }
    }
  }

  @Test
  void changesKeptDuringAReplayAreWhatLaterReplaysRead() {
    try (FrameSpill spill = new FrameSpill()) {
      for (int records : new int[] {2000, 10}) {
        write(spill, records);
        float[] a = new float[A];
        float[] b = new float[B];
        spill.replay(a, b, true, index -> a[1] = -index);
        long[] seen = {0};
        spill.replay(a, b, false, index -> {
          seen[0]++;
          float[] expectedA = new float[A];
          float[] expectedB = new float[B];
          fill(expectedA, expectedB, (int) index);
          expectedA[1] = -index;
          assertArrayEquals(expectedA, a);
          assertArrayEquals(expectedB, b);
        });
        assertEquals(records, seen[0]);
      }
    }
  }

  @Test
  void replaysTheFirstColumnsAsSegmentsOfWholeFrames() {
    try (FrameSpill spill = new FrameSpill()) {
      for (int records : new int[] {2000, 10, 0}) {
        write(spill, records);
        // 1.0 s at 22050 Hz, hop 512: 43.07 frames, rounded to 43.
        List<Integer> sizes = new ArrayList<>();
        long[] frame = {0};
        spill.replaySegments(2, 512, 22050, 1.0, (index, start, frames, values) -> {
          assertEquals(sizes.size(), index);
          assertEquals(frame[0] * 512 / 22050.0, start, 1e-12);
          sizes.add(frames);
          for (int f = 0; f < frames; f++, frame[0]++) {
            assertEquals(frame[0] * 1000f, values[2 * f]);
            assertEquals(frame[0] * 1000f + 1, values[2 * f + 1]);
          }
        });
        assertEquals(records, frame[0]);
        assertEquals((records + 42) / 43, sizes.size());
        if (records > 0) {
          assertEquals(records % 43 == 0 ? 43 : records % 43, sizes.get(sizes.size() - 1));
        }
      }
    }
  }

  @Test
  void theFileIsDeletedWithTheTrack() throws IOException {
    Path fds = Path.of("/proc/self/fd");
    assumeTrue(Files.isDirectory(fds), "needs /proc to find the spill's file");
    try (FrameSpill spill = new FrameSpill()) {
      write(spill, 2000);
      Path file = openSpillFile(fds);
      assertTrue(Files.exists(file));
      spill.discard();
      assertFalse(Files.exists(file));

      write(spill, 2000);
      file = openSpillFile(fds);
      write(spill, 10); // start() deletes the previous track's file
      assertFalse(Files.exists(file));
      write(spill, 2000);
      file = openSpillFile(fds);
      spill.close();
      assertFalse(Files.exists(file));
    }
  }

  @Test
  void rejectsARecordWiderThanTheBuffer() {
    try (FrameSpill spill = new FrameSpill()) {
      assertThrows(IllegalArgumentException.class, () -> spill.start(0));
      assertThrows(IllegalArgumentException.class, () -> spill.start((1 << 18) + 1));
    }
  }

  private static Path openSpillFile(Path fds) throws IOException {
    List<Path> open = new ArrayList<>();
    try (Stream<Path> links = Files.list(fds)) {
      for (Path link : links.toList()) {
        try {
          Path target = Files.readSymbolicLink(link);
          if (target.getFileName() != null && target.getFileName().toString().startsWith("audioflow-frames-")) {
            open.add(target);
          }
        } catch (IOException e) {
          // closed since it was listed
        }
      }
    }
    assertEquals(1, open.size(), "spill files open: " + open);
    return open.get(0);
  }

  private static void write(FrameSpill spill, int records) {
    spill.start(A + B);
    float[] a = new float[A];
    float[] b = new float[B];
    for (int r = 0; r < records; r++) {
      fill(a, b, r);
      spill.write(a, b);
    }
  }

  private static void assertRecord(int record, float[] a, float[] b) {
    float[] expectedA = new float[A];
    float[] expectedB = new float[B];
    fill(expectedA, expectedB, record);
    assertArrayEquals(expectedA, a);
    assertArrayEquals(expectedB, b);
  }

  private static void fill(float[] a, float[] b, int record) {
    for (int i = 0; i < a.length; i++) {
      a[i] = record * 1000f + i;
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = -record - i / 1000f;
    }
  }
}
