package io.audioflow.transforms.mel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link SampleRing}: sizing, wrap-around, reads and writes. */
class MelSampleRingTest {
  @Test
  void capacityIsAPowerOfTwoNumberOfChunks() {
    SampleRing ring = new SampleRing(32, 832);
    assertEquals(32, ring.chunkLength);
    assertEquals(5, ring.chunkBits);
    assertEquals(1024, ring.capacity());
    assertEquals(64, new SampleRing(64, 1).capacity());
    assertEquals(256, new SampleRing(64, 129).capacity());
    assertThrows(IllegalArgumentException.class, () -> new SampleRing(48, 100));
  }

  /** Writes far past the capacity, in odd pieces, and reads back the last capacity's worth, across the wrap. */
  @Test
  void positionsWrapAroundTheRing() {
    SampleRing ring = new SampleRing(8, 40); // 64 positions
    float[] samples = new float[1000];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = i;
    }
    long p = 0;
    for (int piece : new int[] {1, 7, 13, 64, 3, 100, 512, 300}) {
      ring.write(p, samples, (int) p, piece);
      p += piece;
    }
    assertEquals(1000, p);
    for (long q = p - ring.capacity(); q < p; q++) {
      assertEquals(q, ring.get(q), "position " + q);
    }
    double[] out = new double[50];
    ring.read(p - 50, out, 0, 50);
    for (int i = 0; i < 50; i++) {
      assertEquals(950 + i, out[i]);
    }
    // A chunk-aligned position is element 0 of its chunk.
    assertSame(ring.chunk(992 / 8), ring.chunks[(992 / 8) % 8]);
    assertEquals(992, ring.chunk(992 / 8)[0]);
  }

  @Test
  void doublesAndSingleValues() {
    SampleRing ring = new SampleRing(4, 16);
    double[] values = {0.5, -1.5, 2.5, 3.5, -4.5, 5.5};
    ring.write(14, values, 1, 5); // positions 14 .. 18, across the wrap
    double[] back = new double[5];
    ring.read(14, back, 0, 5);
    assertArrayEquals(new double[] {-1.5, 2.5, 3.5, -4.5, 5.5}, back);
    ring.set(17, 9.0);
    assertEquals(9.0, ring.get(17));
    assertEquals(9.0, ring.get(1)); // 17 and 1 share storage
  }
}
