package io.audioflow.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded job jar every worker loads carries none of this module's code (issue 26). */
class JobJarContentsTest {
  @Test
  void theJobJarHoldsNoBenchmarkCode() throws IOException {
    Path jar = Path.of(System.getProperty("audioflow.jobJar"));
    if (!Files.exists(jar)) {
      if (System.getenv("CI") != null) {
        fail("CI is set and there is no job jar at " + jar + ": the reactor packages runners before this module");
      }
      Assumptions.abort("no job jar at " + jar + " (mvn package -pl runners -am first)");
    }
    try (JarFile job = new JarFile(jar.toFile())) {
      assertNotNull(job.getEntry("io/audioflow/pipeline/AudioflowMain.class"), jar + " is not the job jar");
      assertEquals(List.of(), benchmarkEntries(job));
    }
  }

  @Test
  void theCheckFindsBenchmarkEntries(@TempDir Path dir) throws IOException {
    Path jar = dir.resolve("job.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String name : List.of("io/audioflow/pipeline/AudioflowMain.class", "io/audioflow/benchmarks/Rounds.class",
          "io/audioflow/pipeline/SeparationBenchmark.class", "io/audioflow/pipeline/Benchmark$Input.class",
          "io/audioflow/pipeline/BenchmarkOptions.class", "pl/edu/icm/jlargearrays/Benchmark.class")) {
        out.putNextEntry(new JarEntry(name));
        out.write(new byte[] {0});
      }
    }
    try (JarFile job = new JarFile(jar.toFile())) {
      assertEquals(List.of("io/audioflow/benchmarks/Rounds.class", "io/audioflow/pipeline/SeparationBenchmark.class",
          "io/audioflow/pipeline/Benchmark$Input.class"), benchmarkEntries(job));
    }
  }

  /**
   * Entries under {@code io/audioflow/benchmarks/}, and the project's classes whose top-level class name ends in
   * {@code Benchmark}. Only the project's: JLargeArrays (a JTransforms dependency) ships its own
   * {@code pl.edu.icm.jlargearrays.Benchmark}.
   */
  private static List<String> benchmarkEntries(JarFile jar) {
    return jar.stream().map(JarEntry::getName)
        .filter(name -> name.startsWith("io/audioflow/benchmarks/")
            || name.startsWith("io/audioflow/") && name.matches(".*/[^/$]*Benchmark(\\$[^/]*)?\\.class"))
        .toList();
  }
}
