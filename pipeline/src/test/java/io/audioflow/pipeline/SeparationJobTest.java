package io.audioflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.transforms.testing.SharedTestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 4 on the Direct runner: the job with --separate and the committed small model on the shared corpus
 * writes four stems and four stems rows for every tracks row and nothing for the error rows. (The 3 h silence file
 * is held to 120 s by --maxDurationSeconds so the test stays short: it becomes a TOO_LONG error row.)
 */
public class SeparationJobTest {
  static final Path MODEL =
      Path.of("..", "transforms", "src", "test", "resources", "separation", "htdemucs-small.json").toAbsolutePath()
          .normalize();

  @TempDir Path output;

  public static String[] args(String input) {
    return new String[] {"--input=" + input, "--separate", "--separationModel=" + MODEL, "--maxDurationSeconds=120",
        "--separationBatchSize=4", "--separationThreads=1", "--melOutput=none"};
  }

  @Test
  void corpusGetsStemsForEveryDecodableTrack() throws Exception {
    JobRunner.run(output, args(SharedTestData.resolve("corpus") + "/*/*"));
    assertStems(output);
  }

  /** Shared with the Flink parity run: checks the tables and files one separation job wrote. */
  public static void assertStems(Path output) throws Exception {
    List<Map<String, Object>> tracks = OutputTables.read(output, "tracks", "uri, track_id, duration_seconds");
    Set<String> errorUris = OutputTables.read(output, "errors", "uri").stream().map(r -> (String) r.get("uri"))
        .collect(Collectors.toSet());
    List<Map<String, Object>> stems = OutputTables.read(output, "stems", "*");
    assertTrue(tracks.size() > 10, "tracks: " + tracks.size());
    assertEquals(4 * tracks.size(), stems.size());
    for (Map<String, Object> stem : stems) {
      assertTrue(!errorUris.contains(stem.get("uri")), "no stems for an error row: " + stem.get("uri"));
      assertNull(stem.get("error"), stem.get("uri") + ": " + stem.get("error"));
      assertEquals("htdemucs-small", stem.get("model_name"));
      Path file = Path.of((String) stem.get("stem_uri"));
      assertTrue(Files.size(file) > 0, file.toString());
      assertEquals(stem.get("track_id") + "/" + stem.get("source") + ".flac",
          file.getParent().getFileName() + "/" + file.getFileName());
    }
    for (Map<String, Object> track : tracks) {
      List<Map<String, Object>> own = stems.stream().filter(s -> s.get("uri").equals(track.get("uri"))).toList();
      assertEquals(Set.of("drums", "bass", "other", "vocals"),
          own.stream().map(s -> s.get("source")).collect(Collectors.toSet()), (String) track.get("uri"));
      for (Map<String, Object> stem : own) {
        assertEquals(track.get("track_id"), stem.get("track_id"));
        // Stems have the input's duration, at the model's rate (ceil of the resampled length).
        assertEquals((Double) track.get("duration_seconds"), (Double) stem.get("duration_seconds"), 1.0 / 8000,
            (String) track.get("uri"));
        assertTrue(Double.isFinite((Double) stem.get("rms")));
      }
    }
    Map<String, Object> stem = stems.stream()
        .filter(s -> ((String) s.get("uri")).endsWith("mix_flac16_44100_stereo_20s.flac")).findFirst().orElseThrow();
    assertEquals(20.0, (Double) stem.get("duration_seconds"), 1e-3);
    assertNotNull(stem.get("integrated_lufs"));
  }
}
