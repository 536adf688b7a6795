package io.audioflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.transforms.beam.SpanPartFiles;
import io.audioflow.transforms.testing.SharedTestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24's acceptance 1 on the Direct runner: with small spans, the 20 s track is cut into five spans and the 96 kHz
 * 5 s track into two (resampled from the file's start in every span), separated apart and reassembled; the stems
 * equal the unsplit run's within 1e-6 and the stems rows equal its rows; no part file remains (nor one a crashed run
 * left); a span that fails
 * gives its track the usual error rows and leaves neither stems nor parts. Every input ends in exactly one of
 * tracks/errors.
 */
public class SeparationSpansJobTest {
  public static final String LONG = "mix_flac16_44100_stereo_20s.flac";
  static final List<String> FILES = List.of(LONG, "mix_flac24_96000_stereo_5s.flac", "chirp_u8_8000_mono_3s.wav");

  @TempDir Path dir;

  /** The three corpus files in an input directory of their own. */
  public static Path input(Path dir) throws IOException {
    Path input = Files.createDirectories(dir.resolve("input"));
    for (String file : FILES) {
      Files.copy(SharedTestData.resolve("corpus/synthetic/" + file), input.resolve(file));
    }
    return input;
  }

  /** The separation job's arguments on {@code input}, float WAV stems, spans of {@code spanSeconds}. */
  public static List<String> args(Path input, double spanSeconds) {
    return new ArrayList<>(List.of("--input=" + input + "/*", "--separate", "--separationModel="
        + SeparationJobTest.MODEL, "--stemFormat=wav", "--separationSpanSeconds=" + spanSeconds,
        "--separationBatchSize=2", "--separationThreads=1", "--melOutput=none"));
  }

  @Test
  void spansGiveTheUnsplitStemsAndRows() throws Exception {
    Path input = input(dir);
    JobRunner.run(dir.resolve("whole"), args(input, 0).toArray(String[]::new));
    leaveStalePart(dir.resolve("split"), input.resolve(LONG));
    PipelineResult split = JobRunner.run(dir.resolve("split"), args(input, 5).toArray(String[]::new));
    assertEquals(7, counter(split, "separation_spans"), "spans: 5 of the 20 s track, 2 of the 96 kHz 5 s one");
    assertSameAsUnsplit(dir.resolve("whole"), dir.resolve("split"));
  }

  @Test
  void aFailingSpanGivesErrorRowsAndLeavesNoStemsOrParts() throws Exception {
    Path input = input(dir);
    Path output = dir.resolve("out");
    blockSpan(output, input.resolve(LONG));
    JobRunner.run(output, args(input, 5).toArray(String[]::new));
    assertSpanFailureHandled(output);
  }

  /** A part a crashed run left (a span the current cut does not have): the track's assembly deletes it too. */
  public static void leaveStalePart(Path output, Path file) throws IOException {
    String parts = SpanPartFiles.directory(output.resolve("stem_files").toString(), file.toString()).toString();
    Path stale = Path.of(SpanPartFiles.part(
        org.apache.beam.sdk.io.FileSystems.matchNewResource(parts, true), 9, "bass").toString());
    Files.createDirectories(stale.getParent());
    Files.write(stale, new byte[8]);
  }

  /**
   * Makes span 1's drums part of {@code file} uncopyable (a directory where it goes), so that span fails after
   * separating and the others succeed.
   */
  public static void blockSpan(Path output, Path file) throws IOException {
    String parts = SpanPartFiles.directory(output.resolve("stem_files").toString(), file.toString()).toString();
    Files.createDirectories(Path.of(SpanPartFiles.part(
        org.apache.beam.sdk.io.FileSystems.matchNewResource(parts, true), 1, "drums").toString()));
  }

  /** Checks a run whose {@link #LONG} track's span 1 failed. */
  public static void assertSpanFailureHandled(Path output) throws Exception {
    assertEachInputOnce(output);
    List<Map<String, Object>> stems = OutputTables.read(output, "stems", "*");
    List<Map<String, Object>> failed = stems.stream().filter(r -> ((String) r.get("uri")).endsWith(LONG)).toList();
    assertEquals(4, failed.size(), "one row per source for the failed track");
    for (Map<String, Object> row : failed) {
      assertNull(row.get("stem_uri"));
      assertNull(row.get("track_id"));
      assertTrue(((String) row.get("error")).contains("1.drums.f32"), (String) row.get("error"));
    }
    assertEquals(8, stems.stream().filter(r -> r.get("error") == null).count(), "the other tracks' stems");
    String longTrack = (String) OutputTables.read(output, "tracks", "uri, track_id").stream()
        .filter(r -> ((String) r.get("uri")).endsWith(LONG)).findFirst().orElseThrow().get("track_id");
    assertTrue(!Files.exists(output.resolve("stem_files").resolve(longTrack)), "no stem files for the failed track");
    assertNoParts(output);
  }

  /** Every input is in exactly one of tracks and errors (separation never adds or removes one). */
  static void assertEachInputOnce(Path output) {
    List<Map<String, Object>> errors = Files.exists(output.resolve("errors"))
        ? OutputTables.read(output, "errors", "uri") : List.of();
    List<String> uris = Stream.concat(OutputTables.read(output, "tracks", "uri").stream(), errors.stream())
        .map(r -> Path.of((String) r.get("uri")).getFileName().toString()).toList();
    assertEquals(FILES.size(), uris.size(), uris.toString());
    assertEquals(Set.copyOf(FILES), new HashSet<>(uris));
  }

  static void assertNoParts(Path output) throws IOException {
    Path parts = output.resolve("stem_files").resolve(".parts");
    if (Files.exists(parts)) {
      try (Stream<Path> left = Files.walk(parts)) {
        List<Path> files = left.filter(p -> !Files.isDirectory(p)).toList();
        assertEquals(List.of(), files, "part files left");
      }
    }
  }

  /**
   * The split run's stems rows equal the unsplit run's (the stem_uri under its own output; numbers within 1e-9
   * relative: the statistics sum the same samples in other blocks), and each stem file's samples within 1e-6.
   */
  public static void assertSameAsUnsplit(Path whole, Path split) throws Exception {
    assertEachInputOnce(split);
    assertNoParts(split);
    Map<String, Map<String, Object>> expected = byStem(whole);
    Map<String, Map<String, Object>> actual = byStem(split);
    assertEquals(expected.keySet(), actual.keySet());
    assertEquals(12, actual.size(), "four stems of three tracks");
    double maxSample = 0;
    for (String key : expected.keySet()) {
      Map<String, Object> e = expected.get(key);
      Map<String, Object> a = actual.get(key);
      for (String column : e.keySet()) {
        Object ev = e.get(column);
        Object av = a.get(column);
        if (column.equals("stem_uri")) {
          assertEquals(Path.of((String) ev).getFileName(), Path.of((String) av).getFileName());
        } else if (ev instanceof Double d) {
          assertEquals(d, (Double) av, 1e-9 * Math.max(1, Math.abs(d)), key + " " + column);
        } else {
          assertEquals(ev, av, key + " " + column);
        }
      }
      assertNull(a.get("error"));
      assertNotNull(a.get("integrated_lufs"), key);
      float[] es = samples(Path.of((String) e.get("stem_uri")));
      float[] as = samples(Path.of((String) a.get("stem_uri")));
      assertEquals(es.length, as.length, key + " samples");
      for (int i = 0; i < es.length; i++) {
        maxSample = Math.max(maxSample, Math.abs(es[i] - as[i]));
      }
    }
    System.out.printf("spans vs unsplit: max abs sample difference %.3g over %d stems%n", maxSample, actual.size());
    assertTrue(maxSample <= 1e-6, "max abs " + maxSample);
  }

  private static Map<String, Map<String, Object>> byStem(Path output) {
    return OutputTables.read(output, "stems", "*").stream().collect(Collectors.toMap(
        r -> Path.of((String) r.get("uri")).getFileName() + "/" + r.get("source"), Function.identity()));
  }

  /** A float WAV stem's interleaved samples (the writer's 44-byte header skipped). */
  private static float[] samples(Path wav) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
    bytes.position(44);
    float[] out = new float[bytes.remaining() / Float.BYTES];
    bytes.asFloatBuffer().get(out);
    return out;
  }

  public static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named("audioflow", name)).build()).getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }
}
