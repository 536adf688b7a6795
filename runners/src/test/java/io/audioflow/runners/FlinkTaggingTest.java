package io.audioflow.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.models.SharedSessions;
import io.audioflow.models.testing.StandInModels;
import io.audioflow.pipeline.JobRunner;
import io.audioflow.pipeline.OutputTables;
import io.audioflow.transforms.testing.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tagging on embedded Flink (in this JVM) with 4 parallel DoFn instances: one shared session per model, closed at
 * teardown, and the same predictions as the Direct runner.
 */
class FlinkTaggingTest {
  static final String COLUMNS = "track_id, uri, model, kind, map_keys(probabilities) AS k, map_values(probabilities)"
      + " AS p, list_transform(top_tags, t -> t.label) AS top_labels,"
      + " list_transform(top_tags, t -> t.score) AS top_scores, embedding, patch_count";

  @Test
  void oneSessionPerModelAndTheSamePredictions(@TempDir Path dir) throws IOException, InterruptedException {
    StandInModels.Written models = new StandInModels().write(dir.resolve("zoo"));
    List<String> uris = List.of(
        "mix_vorbis_44100_stereo_10s.ogg", "sine440_s16_44100_mono_5s.wav", "tones_f32_22050_mono_5s.wav",
        "mix_opus_48000_stereo_10s.opus").stream()
        .map(f -> SharedTestData.resolve("corpus/synthetic/" + f).toString()).toList();
    String[] args = {"--inputList=" + Files.write(dir.resolve("inputs.txt"), uris), "--features=mel",
        "--models=" + models.extractorEssentiaJson() + "," + models.headEssentiaJson()};
    Path direct = dir.resolve("direct");
    Path flink = dir.resolve("flink");
    JobRunner.run(direct, args);

    assertTrue(SharedSessions.awaitAllClosed(10_000), "the Direct run's sessions closed");
    long before = SharedSessions.sessionsCreated();
    String[] flinkArgs = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
        java.util.stream.Stream.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=4"))
        .toArray(String[]::new);
    JobRunner.run(flink, flinkArgs);
    assertEquals(2, SharedSessions.sessionsCreated() - before, "one session per model in this JVM");
    assertTrue(SharedSessions.awaitAllClosed(10_000), "the last teardown closed them");

    String order = " ORDER BY uri, model";
    List<Map<String, Object>> expected = OutputTables.query(
        "SELECT " + COLUMNS + " FROM read_parquet('" + direct.resolve("predictions") + "/*.parquet')" + order);
    assertEquals(2 * uris.size(), expected.size());
    assertEquals(expected, OutputTables.query(
        "SELECT " + COLUMNS + " FROM read_parquet('" + flink.resolve("predictions") + "/*.parquet')" + order));
  }
}
