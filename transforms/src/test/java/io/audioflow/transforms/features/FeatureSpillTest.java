package io.audioflow.transforms.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link FrameSpill} in memory and through its temporary file, and reused after a reset. */
class FeatureSpillTest {
  @Test
  void replaysWhatWasWrittenInOrder() {
    try (FrameSpill spill = new FrameSpill(3, 297)) {
      for (int records : new int[] {5000, 10, 0, 2000}) { // 5000 * 1200 bytes goes to the file
        spill.reset();
        float[] a = new float[3];
        float[] b = new float[297];
        for (int r = 0; r < records; r++) {
          fill(a, b, r);
          spill.write(a, b);
        }
        float[] expectedA = new float[3];
        float[] expectedB = new float[297];
        long[] seen = {0};
        spill.replay(a, b, index -> {
          assertEquals(seen[0]++, index);
          fill(expectedA, expectedB, (int) index);
          assertArrayEquals(expectedA, a);
          assertArrayEquals(expectedB, b);
        });
        assertEquals(records, seen[0]);
      }
    }
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
