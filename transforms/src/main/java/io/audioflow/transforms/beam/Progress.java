package io.audioflow.transforms.beam;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-JVM progress of the job on long runs: a periodic log line with files done, audio hours, files/s, audio seconds
 * per wall second and, where this JVM also decided which files the run processes (the Direct runner, embedded
 * Flink), of how many and an ETA. Each worker JVM reports what it processed; the totals across workers are in the
 * job's Beam metrics. The total is counted as files pass rather than read from a side input: on the Direct runner a
 * side input that is not ready yet makes the runner retry each waiting bundle in a loop, which delayed the first file
 * by seconds.
 */
public final class Progress {
  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
  private static final Progress INSTANCE = new Progress();

  private final AtomicLong total = new AtomicLong();
  private final AtomicLong files = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong audioMillis = new AtomicLong();
  private final long startNanos = System.nanoTime();
  private ScheduledExecutorService timer;

  static synchronized Progress start(long intervalSeconds) {
    if (INSTANCE.timer == null && intervalSeconds > 0) {
      INSTANCE.timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "audioflow-progress");
                t.setDaemon(true);
                return t;
              });
      INSTANCE.timer.scheduleAtFixedRate(INSTANCE::log, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
    }
    return INSTANCE;
  }

  /** Counts {@code files} more that this run will process (called by the step that decides it). */
  public static void expect(long files) {
    INSTANCE.total.addAndGet(files);
  }

  void fileDone(double audioSeconds, boolean error) {
    files.incrementAndGet();
    if (error) {
      failed.incrementAndGet();
    }
    audioMillis.addAndGet(Math.round(audioSeconds * 1000));
  }

  void log() {
    long done = files.get();
    if (done == 0) {
      return;
    }
    double wall = (System.nanoTime() - startNanos) / 1e9;
    double audio = audioMillis.get() / 1000.0;
    long all = total.get();
    String of = all > 0 ? String.format("/%d (%.1f%%)", all, 100.0 * done / all) : "";
    String eta = "";
    if (all > done) {
      eta = ", ETA " + format(Duration.ofSeconds(Math.round((all - done) * wall / done)));
    }
    LOG.info(
        String.format(
            "progress: %d%s files (%d errors), %.2f audio h, %.2f files/s, %.0f audio-s/s%s",
            done, of, failed.get(), audio / 3600, done / wall, audio / wall, eta));
  }

  private static String format(Duration d) {
    return d.toHours() > 0
        ? String.format("%dh%02dm", d.toHours(), d.toMinutesPart())
        : String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
  }
}
