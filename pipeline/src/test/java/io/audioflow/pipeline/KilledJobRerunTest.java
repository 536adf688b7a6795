package io.audioflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.transforms.testing.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job killed with SIGKILL while it writes its tables (a lost machine, the OOM killer), then run again over the same
 * output: readers' {@code *.parquet} globs never see a half-written file, and through the {@code latest} view every
 * input is there exactly once.
 */
class KilledJobRerunTest {
  @Test
  void aRerunAfterSigkillCompletesTheTables(@TempDir Path in, @TempDir Path out) throws Exception {
    Path corpus = SharedTestData.resolve("corpus/synthetic");
    List<Path> inputs;
    try (Stream<Path> files = Files.list(corpus)) {
      inputs = files.filter(f -> {
        try {
          return Files.size(f) < 1_000_000;
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }).sorted().toList();
    }
    for (Path f : inputs) {
      Files.createSymbolicLink(in.resolve(f.getFileName()), f);
    }
    Files.writeString(in.resolve("not_audio.wav"), "an errors row");
    String input = "--input=" + in + "/*";
    String features = "--features=mel,loudness"; // the writes are under test, not the analysis

    Process job = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        "-cp", System.getProperty("java.class.path"), AudioflowMain.class.getName(), input, "--output=" + out,
        "--progressIntervalSeconds=0", "--melOutput=segments", features,
        // A command line skips the Direct runner's checks unless told; tests keep them.
        "--enforceImmutability=true", "--enforceEncodability=true")
        .redirectErrorStream(true).redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile()).start();
    boolean killed = false;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (job.isAlive() && System.nanoTime() < deadline) {
      if (anyFile(out.resolve("tracks")) || anyFile(out.resolve("mel"))) {
        job.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
        killed = true;
        break;
      }
      Thread.sleep(20);
    }
    assertTrue(job.waitFor(1, TimeUnit.MINUTES));
    assertTrue(killed, "the job ended (exit " + job.exitValue() + ") before it wrote anything");
    assertEquals(137, job.exitValue(), "killed by SIGKILL");
    assertEveryVisibleFileReads(out);

    JobRunner.run(out, input, "--melOutput=segments", features);
    assertEveryVisibleFileReads(out);

    Set<String> expected = new HashSet<>();
    try (Stream<Path> files = Files.list(in)) {
      files.forEach(f -> expected.add(f.toString()));
    }
    List<String> latest = Stream.concat(latestUris(out, "tracks").stream(), latestUris(out, "errors").stream())
        .toList();
    assertEquals(expected.size(), latest.size(), "each input once: " + latest);
    assertEquals(expected, new HashSet<>(latest));
    assertEquals(List.of(in.resolve("not_audio.wav").toString()), latestUris(out, "errors"));
  }

  /** Every file a reader's {@code <table>/*.parquet} glob picks up opens and reads whole. */
  private static void assertEveryVisibleFileReads(Path out) throws IOException {
    for (String table : List.of("tracks", "errors", "mel")) {
      Path dir = out.resolve(table);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
          List<Map<String, Object>> n = OutputTables.query("SELECT count(*) AS n FROM read_parquet('" + f + "')");
          assertTrue((Long) n.get(0).get("n") >= 0, f.toString());
        }
      }
    }
  }

  /** docs/operations.md's {@code latest} view: the newest row per uri. */
  private static List<String> latestUris(Path out, String table) {
    return OutputTables.query("SELECT uri FROM read_parquet('" + out.resolve(table) + "/*.parquet')"
            + " QUALIFY row_number() OVER (PARTITION BY uri ORDER BY processed_at DESC) = 1")
        .stream().map(r -> (String) r.get("uri")).collect(Collectors.toList());
  }

  private static boolean anyFile(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.anyMatch(Files::isRegularFile);
    } catch (java.io.UncheckedIOException e) {
      return false; // a temporary file renamed away while walking
    }
  }
}
