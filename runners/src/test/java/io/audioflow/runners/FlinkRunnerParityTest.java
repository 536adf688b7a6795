package io.audioflow.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.pipeline.JobRunner;
import io.audioflow.pipeline.OutputTables;
import io.audioflow.transforms.testing.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same job on embedded Flink writes the same rows as on the Direct runner. */
class FlinkRunnerParityTest {
  /** Every column but processed_at, which differs by construction: mel, loudness and the classic features. */
  static final String TRACK_COLUMNS = "* EXCLUDE (processed_at)";
  static final String ERROR_COLUMNS = "uri, stage, error_class, message, size_bytes, code_version";
  static final String MEL_COLUMNS = "track_id, uri, segment_index, start_seconds, frames, n_mels, scaling, values";

  @Test
  void wholeCorpusGivesTheSameTracksAndErrors(@TempDir Path direct, @TempDir Path flink) {
    String input = "--input=" + SharedTestData.resolve("corpus") + "/*/*";
    JobRunner.run(direct, input);
    JobRunner.run(flink, input, "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");

    List<Map<String, Object>> tracks = OutputTables.read(direct, "tracks", TRACK_COLUMNS);
    assertTrue(tracks.size() >= 25, "tracks: " + tracks.size());
    assertEquals(tracks, OutputTables.read(flink, "tracks", TRACK_COLUMNS));
    List<Map<String, Object>> errors = OutputTables.read(direct, "errors", ERROR_COLUMNS);
    assertTrue(errors.size() >= 6, "errors: " + errors.size());
    assertEquals(errors, OutputTables.read(flink, "errors", ERROR_COLUMNS));
  }

  /**
   * Mel and feature frame segments from an input list. The synthetic files only: the Direct runner keeps a bundle's outputs in memory,
   * so the 3-hour file's 1,800 segments would not fit the test's 1 GB heap there (Flink streams them).
   */
  @Test
  void melAndFrameSegmentsFromAnInputListAreTheSame(@TempDir Path direct, @TempDir Path flink, @TempDir Path list)
      throws IOException {
    Path uris = list.resolve("inputs.txt");
    try (Stream<Path> files = Files.list(SharedTestData.resolve("corpus/synthetic"))) {
      Files.write(uris, files.map(Path::toString).sorted().toList());
    }
    String input = "--inputList=" + uris;
    JobRunner.run(direct, input, "--melOutput=segments");
    JobRunner.run(flink, input, "--melOutput=segments", "--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=2");

    assertEquals(21, OutputTables.read(direct, "tracks", "uri").size());
    String melOrder = " ORDER BY uri, segment_index";
    List<Map<String, Object>> mel = OutputTables.query(
        "SELECT " + MEL_COLUMNS + " FROM read_parquet('" + direct.resolve("mel") + "/*.parquet')" + melOrder);
    assertTrue(mel.size() > 50, "mel segments: " + mel.size());
    assertEquals(mel, OutputTables.query(
        "SELECT " + MEL_COLUMNS + " FROM read_parquet('" + flink.resolve("mel") + "/*.parquet')" + melOrder));
    List<Map<String, Object>> frames = OutputTables.query(
        "SELECT * FROM read_parquet('" + direct.resolve("frames") + "/*.parquet')" + melOrder);
    assertTrue(frames.size() > 50, "feature frame segments: " + frames.size());
    assertEquals(frames, OutputTables.query(
        "SELECT * FROM read_parquet('" + flink.resolve("frames") + "/*.parquet')" + melOrder));
  }
}
