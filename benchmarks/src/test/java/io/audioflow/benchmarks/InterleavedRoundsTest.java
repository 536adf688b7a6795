package io.audioflow.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterleavedRoundsTest {
  /** A measurement whose runs take the given seconds in turn, cycling; it records when it ran. */
  private static InterleavedRounds.Run scripted(String name, List<String> log, double... seconds) {
    int[] next = {0};
    return () -> {
      log.add(name);
      return seconds[next[0]++ % seconds.length];
    };
  }

  @Test
  void roundsInterleaveMeasurementsAndKeepEachRoundsBestOfItsBurst() throws Exception {
    List<String> log = new ArrayList<>();
    InterleavedRounds rounds = new InterleavedRounds(0); // one warm-up run each
    rounds.add("a", scripted("a", log, 4, 3, 1, 2));
    rounds.add("b", scripted("b", log, 5));
    rounds.measure(2, 3);
    assertEquals(List.of("a", "b", "a", "a", "a", "b", "b", "b", "a", "a", "a", "b", "b", "b"), log);
    assertEquals(2, rounds.rounds("a").length);
    assertEquals(5.0, rounds.best("b"));
    assertArrayEquals(new double[] {6.0, 6.0}, rounds.rounds("a", "b"));
    assertThrows(IllegalArgumentException.class, () -> rounds.rounds("c"));
  }

  @Test
  void measurementsBetweenRunBeforeEachOtherAndKeepTheirBestPerRound() throws Exception {
    List<String> log = new ArrayList<>();
    InterleavedRounds rounds = new InterleavedRounds(0);
    rounds.add("a", scripted("a", log, 4));
    rounds.addBetween("x", scripted("x", log, 9, 7, 8, 9, 6, 9, 5));
    rounds.addBetween("y", scripted("y", log, 2, 3, 1));
    rounds.add("b", scripted("b", log, 5));
    rounds.measure(2, 1);
    // Warm-up (between ones first), then per round: x, y before a and again before b.
    assertEquals(List.of("x", "y", "a", "b", "x", "y", "a", "x", "y", "b", "x", "y", "a", "x", "y", "b"), log);
    // x ran 9 (warm-up), then 7, 8 in round 1 and 9, 6 in round 2; y: 2 (warm-up), then 3, 1 and 2, 3.
    assertArrayEquals(new double[] {7, 6}, rounds.rounds("x"));
    assertArrayEquals(new double[] {1, 2}, rounds.rounds("y"));
    assertArrayEquals(new double[] {4, 4}, rounds.rounds("a"));
    assertEquals(5.0, rounds.best("b"));
  }

  @Test
  void speedRatioComparesRealtimeFactorsBestAgainstBestAndPerRound() {
    // Ours: 120 s of audio in 2, 4, 3 s; theirs: 60 s in 4, 4, 6 s. Realtime factors 60, 30, 40 against 15, 15, 10.
    String ratio = InterleavedRounds.speedRatio(new double[] {2, 4, 3}, 120, new double[] {4, 4, 6}, 60);
    assertEquals("4.00x best against best; per round 2.00-4.00x, median 4.00x", ratio);
  }
}
