package io.audioflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.models.testing.StandInModels;
import io.audioflow.transforms.beam.Table;
import io.audioflow.transforms.testing.SharedTestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job with every table switched on, run twice over one output (the second with {@code --reprocess}), for an
 * engine outside this build to read: integration-tests/trino/run.sh runs it with
 * {@code -Daudioflow.allTablesOutput=DIR} and then reads DIR with Trino. Skipped without that property. Three files
 * are enough for rows in every table: two that decode (one mono MP3, one WAV) and one that ends in {@code errors}.
 */
@EnabledIfSystemProperty(named = "audioflow.allTablesOutput", matches = ".+")
class AllTablesJobTest {
  private static final List<String> INPUTS =
      List.of("synthetic/mix_mp3vbr_22050_mono_10s.mp3", "synthetic/sine440_s16_44100_mono_5s.wav", "bad/empty.wav");

  @TempDir Path dir;

  @Test
  void everyTableGetsRowsAndReprocessingAppendsThemAgain() throws Exception {
    String output = System.getProperty("audioflow.allTablesOutput");
    StandInModels.Written models = new StandInModels().write(dir.resolve("models"));
    Path inputs = Files.write(dir.resolve("inputs.txt"),
        INPUTS.stream().map(f -> SharedTestData.resolve("corpus/" + f).toAbsolutePath().toString()).toList());
    String[] args = {"--inputList=" + inputs, "--melOutput=segments", "--patchesTable",
        "--models=" + models.extractorEssentiaJson() + "," + models.headEssentiaJson(),
        "--separate", "--separationModel=" + SeparationJobTest.MODEL, "--separationThreads=1"};

    JobRunner.run(output, concat(args, "--overwrite"));
    Map<String, Long> first = counts(Path.of(output));
    assertTrue(first.values().stream().allMatch(n -> n > 0), "every table has rows: " + first);
    assertEquals(2L, first.get("tracks"));
    assertEquals(1L, first.get("errors"));

    JobRunner.run(output, concat(args, "--reprocess"));
    Map<String, Long> second = counts(Path.of(output));
    first.replaceAll((table, n) -> 2 * n);
    assertEquals(first, second, "a reprocessing run appends every row again");
  }

  private static Map<String, Long> counts(Path output) {
    Map<String, Long> counts = new TreeMap<>();
    for (String table : Arrays.stream(Table.values()).map(Table::directoryName).toList()) {
      counts.put(table, (Long) OutputTables.query(
          "SELECT count(*) AS n FROM read_parquet('" + output.resolve(table) + "/*.parquet')").get(0).get("n"));
    }
    return counts;
  }

  private static String[] concat(String[] args, String more) {
    String[] all = Arrays.copyOf(args, args.length + 1);
    all[args.length] = more;
    return all;
  }
}
