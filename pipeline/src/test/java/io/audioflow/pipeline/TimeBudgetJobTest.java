package io.audioflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import io.audioflow.transforms.testing.SeparationFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that never finish: named pipes (FIFOs) as a hung filesystem presents them. One has no writer, so opening it
 * blocks in native code that no interrupt reaches; the other gets a WAV header and a second of audio from a writer
 * that then stalls, so the decoder waits in a read. Both must end as TIMEOUT rows within the budget while the one
 * worker thread (--targetParallelism=1) goes on to analyse the healthy files.
 */
class TimeBudgetJobTest {
  private static final double BUDGET = 3;

  @Test
  void stalledFilesTimeOutAndTheWorkerGoesOn(@TempDir Path in, @TempDir Path out) throws Exception {
    List<Path> healthy = List.of(
        TestWav.write(in.resolve("a.wav"), 16000, 1, 2.0),
        TestWav.write(in.resolve("b.wav"), 44100, 2, 1.0),
        TestWav.write(in.resolve("c.wav"), 22050, 1, 3.0));
    Path neverOpened = fifo(in.resolve("hung_open.wav"));
    Path stalledRead = fifo(in.resolve("hung_read.wav"));
    CountDownLatch release = new CountDownLatch(1);
    Thread writer = new Thread(() -> {
      try (OutputStream o = Files.newOutputStream(stalledRead)) { // blocks until the job opens it
        o.write(TestWav.header(16000, 1, 160_000));
        o.write(new byte[32_000]);
        o.flush();
        release.await();
      } catch (IOException | InterruptedException e) {
        // the reader went away: what a hung server does not notice either
      }
    });
    writer.setDaemon(true);
    writer.start();
    Path list = Files.write(in.resolve("list.txt"), List.of(neverOpened.toString(), healthy.get(0).toString(),
        stalledRead.toString(), healthy.get(1).toString(), healthy.get(2).toString()));

    try {
      JobRunner.run(out, "--inputList=" + list, "--maxSecondsPerFile=" + BUDGET, "--targetParallelism=1");
    } finally {
      release.countDown();
      unblock(neverOpened);
    }

    assertEquals(healthy.stream().map(Path::toString).sorted().toList(),
        OutputTables.read(out, "tracks", "uri").stream().map(r -> (String) r.get("uri")).toList());
    Map<String, Map<String, Object>> errors = OutputTables.read(out, "errors", "*").stream()
        .collect(Collectors.toMap(r -> (String) r.get("uri"), r -> r));
    assertEquals(2, errors.size());
    assertTimeout(errors.get(neverOpened.toString()), "open");
    assertTimeout(errors.get(stalledRead.toString()), "analyze");
  }

  @Test
  void aStalledSeparationTimesOutWithErrorStemRows(@TempDir Path in, @TempDir Path out) throws Exception {
    Path healthy = TestWav.write(in.resolve("a.wav"), 44100, 2, 1.0);
    Path hung = fifo(in.resolve("hung_open.wav"));
    Path model = SeparationFixtures.DIR.resolve("htdemucs-small.json");
    Path list = Files.write(in.resolve("list.txt"), List.of(hung.toString(), healthy.toString()));
    try {
      JobRunner.run(out, "--inputList=" + list, "--maxSecondsPerFile=" + BUDGET, "--targetParallelism=1",
          "--features=loudness", "--separate", "--separationModel=" + model, "--separationThreads=1");
    } finally {
      unblock(hung); // one writer releases every reader stuck opening it: the analysis's and the separation's
    }
    assertTimeout(OutputTables.read(out, "errors", "*").get(0), "open");
    Map<String, List<Map<String, Object>>> stems = OutputTables.read(out, "stems", "*").stream()
        .collect(Collectors.groupingBy(r -> (String) r.get("uri")));
    assertEquals(4, stems.get(healthy.toString()).size());
    stems.get(healthy.toString()).forEach(r -> assertEquals(null, r.get("error"), r.toString()));
    assertEquals(4, stems.get(hung.toString()).size(), "one error row per source");
    for (Map<String, Object> row : stems.get(hung.toString())) {
      assertTrue(((String) row.get("error")).startsWith("TIMEOUT: abandoned after"), row.toString());
    }
  }

  private static void assertTimeout(Map<String, Object> row, String stage) {
    assertEquals("TIMEOUT", row.get("error_class"), row.toString());
    assertEquals(stage, row.get("stage"), row.toString());
    Matcher m = Pattern.compile("abandoned after ([0-9.]+) s").matcher((String) row.get("message"));
    assertTrue(m.find(), row.toString());
    double seconds = Double.parseDouble(m.group(1));
    System.out.printf("TimeBudgetJobTest: %s abandoned after %.1f s in stage %s (budget %.0f s)%n",
        row.get("uri"), seconds, stage, BUDGET);
    assertTrue(seconds >= BUDGET && seconds < BUDGET + 2, "abandoned after " + seconds + " s");
  }

  private static Path fifo(Path path) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertEquals(0, p.waitFor(), "mkfifo");
    return path;
  }

  /** Opens the pipe for writing and closes it, so the abandoned reader stuck in open() gets EOF and ends. */
  private static void unblock(Path fifo) throws IOException {
    Files.newOutputStream(fifo).close();
  }
}
