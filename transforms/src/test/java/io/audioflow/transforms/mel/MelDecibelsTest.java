package io.audioflow.transforms.mel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MelDecibelsTest {
  @Test
  void matchesPowerToDbWithin1e12DbOverTheWholeRange() {
    Random random = new Random(3);
    for (int i = 0; i < 200_000; i++) {
      double power = Math.pow(10, -14 + 30 * random.nextDouble()) * (1 + random.nextDouble());
      assertEquals(MelScaling.DB.apply(power), Decibels.of(power), 1e-12, "power " + power);
    }
    for (double edge : new double[] {0, 1e-10, 1e-10 * (1 + 1e-15), 0.5, 1, 2, Double.MIN_VALUE, 1e300}) {
      assertEquals(MelScaling.DB.apply(edge), Decibels.of(edge), 1e-12, "power " + edge);
    }
  }
}
