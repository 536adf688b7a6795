package io.audioflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.pipeline.OutputTables;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command through {@code bin/audioflow}, on the classpath the launcher builds (not the test
 * classpath, which once hid a runtime-scope jar the launcher lacked): sample audio in, Parquet tables out.
 */
class LauncherIT {
  private static final Path LAUNCHER = Path.of(System.getProperty("audioflow.launcher"));

  @TempDir Path tmp;

  @Test
  void readmeRunCommandWritesTracksAndErrors() throws Exception {
    run("samples", "samples");
    run("--input=samples/*", "--output=out");
    List<Map<String, Object>> tracks = OutputTables.read(tmp.resolve("out"), "tracks", "uri, decoded_samples");
    List<Map<String, Object>> errors = OutputTables.read(tmp.resolve("out"), "errors", "uri, error_class");
    assertEquals(4, tracks.size(), tracks.toString());
    assertTrue(tracks.stream().allMatch(t -> ((Number) t.get("decoded_samples")).longValue() > 0), tracks.toString());
    assertEquals(1, errors.size(), errors.toString());
    assertEquals("UNREADABLE", errors.get(0).get("error_class"));
  }

  private void run(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "bin/audioflow did not finish");
    assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + log);
  }
}
