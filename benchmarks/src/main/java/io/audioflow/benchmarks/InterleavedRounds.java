package io.audioflow.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times several measurements in interleaved rounds: each warms up, then every round runs every measurement in turn
 * (the best of a short burst), so that each one's best is taken over the whole benchmark's span, and two compared
 * figures are taken next to each other in every round. This machine's speed moves by a third for ten seconds and more
 * at a time, for Java and Python processes alike (docs/benchmarks.md): bests taken back to back can fall wholly inside
 * such a stretch, and the ratio of two of them then measures the machine's phase rather than the code. Short
 * measurements can be sampled all through each round instead ({@link #addBetween}), so that a round's figure for
 * them is the best of many moments rather than of one.
 */
final class InterleavedRounds {
  /** One run of a measurement: its wall seconds, timed here ({@link #timed}) or by the tool that ran it. */
  interface Run {
    double seconds() throws Exception;
  }

  interface Body {
    void run() throws Exception;
  }

  static Run timed(Body body) {
    return () -> {
      long t = System.nanoTime();
      body.run();
      return (System.nanoTime() - t) / 1e9;
    };
  }

  /** The best of {@code repeat} runs of one measurement after its warm-up. */
  static double best(int repeat, Body body) throws Exception {
    InterleavedRounds one = new InterleavedRounds();
    one.add("", timed(body));
    one.measure(repeat, 1);
    return one.best("");
  }

  /** The best of {@code runs} runs, with no warm-up. */
  static double bestOf(int runs, Run run) throws Exception {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < runs; i++) {
      best = Math.min(best, run.seconds());
    }
    return best;
  }

  private final long warmUpNanos;
  private final Map<String, Run> runs = new LinkedHashMap<>();
  private final Map<String, Run> between = new LinkedHashMap<>();
  private final Map<String, double[]> perRound = new LinkedHashMap<>();

  /** Rounds after about two seconds of warm-up per measurement, so that the JIT has compiled its loops. */
  InterleavedRounds() {
    this(2_000_000_000L);
  }

  /** Rounds after {@code warmUpNanos} of warm-up per measurement (at least one run). */
  InterleavedRounds(long warmUpNanos) {
    this.warmUpNanos = warmUpNanos;
  }

  /** A measurement run once per round, in the order added. */
  void add(String key, Run run) {
    runs.put(key, run);
  }

  /**
   * A measurement run before each of the others in every round (all such in the order added, back to back), its
   * round's figure the best of those bursts: for short measurements, so that their best is taken over many moments
   * of the run at little cost, and those compared with each other still side by side.
   */
  void addBetween(String key, Run run) {
    between.put(key, run);
  }

  /** Warms every measurement up, then runs the rounds. */
  void measure(int rounds, int burst) throws Exception {
    Map<String, Run> all = new LinkedHashMap<>(between);
    all.putAll(runs);
    for (Run run : all.values()) {
      long until = System.nanoTime() + warmUpNanos;
      do {
        run.seconds();
      } while (System.nanoTime() < until);
    }
    all.keySet().forEach(key -> {
      double[] figures = new double[rounds];
      Arrays.fill(figures, Double.MAX_VALUE);
      perRound.put(key, figures);
    });
    List<Map.Entry<String, Run>> once = new ArrayList<>(runs.entrySet());
    for (int r = 0; r < rounds; r++) {
      for (int slot = 0; slot < Math.max(1, once.size()); slot++) {
        for (Map.Entry<String, Run> e : between.entrySet()) {
          double[] figures = perRound.get(e.getKey());
          figures[r] = Math.min(figures[r], bestOf(burst, e.getValue()));
        }
        if (slot < once.size()) {
          perRound.get(once.get(slot).getKey())[r] = bestOf(burst, once.get(slot).getValue());
        }
      }
    }
  }

  boolean has(String key) {
    return runs.containsKey(key) || between.containsKey(key);
  }

  /** The measurement's best over all rounds, in seconds. */
  double best(String key) {
    return Arrays.stream(rounds(key)).min().orElseThrow();
  }

  /** The measurement's best per round, in seconds; with several keys, their sum per round. */
  double[] rounds(String... keys) {
    double[] sum = null;
    for (String key : keys) {
      double[] r = perRound.get(key);
      if (r == null) {
        throw new IllegalArgumentException("not measured: " + key);
      }
      if (sum == null) {
        sum = r.clone();
      } else {
        for (int i = 0; i < sum.length; i++) {
          sum[i] += r[i];
        }
      }
    }
    return sum;
  }

  /**
   * How many times faster {@code ours} runs than {@code theirs}, as realtime factors (each side's audio seconds per
   * wall second): best against best, then the range and median of the rounds' paired ratios.
   */
  static String speedRatio(double[] ours, double ourAudio, double[] theirs, double theirAudio) {
    double best = ratio(min(ours), ourAudio, min(theirs), theirAudio);
    double[] paired = new double[ours.length];
    for (int i = 0; i < ours.length; i++) {
      paired[i] = ratio(ours[i], ourAudio, theirs[i], theirAudio);
    }
    Arrays.sort(paired);
    return String.format(Locale.ROOT, "%.2fx best against best; per round %.2f-%.2fx, median %.2fx", best, paired[0],
        paired[paired.length - 1], median(paired));
  }

  private static double ratio(double ours, double ourAudio, double theirs, double theirAudio) {
    return (ourAudio / ours) / (theirAudio / theirs);
  }

  private static double min(double[] values) {
    return Arrays.stream(values).min().orElseThrow();
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
