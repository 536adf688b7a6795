package io.audioflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.transforms.beam.Table;
import io.audioflow.transforms.beam.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/audioflow ddl}: docs/operations.md shows the generator's output, every table the job can write has DDL,
 * and the types are those the Hive connector reads the writers' Parquet as (proven against Trino itself by
 * integration-tests/trino).
 */
class DdlTest {
  private static final Path OPERATIONS = Path.of("..", "docs", "operations.md");

  @Test
  void docsShowTheGeneratorsOutputForTheCommandTheyShow() throws Exception {
    Matcher block = Pattern.compile("```sh\nbin/audioflow ddl ([^\n]*)\n```\n+```sql\n(.*?)```", Pattern.DOTALL)
        .matcher(Files.readString(OPERATIONS));
    assertTrue(block.find(), OPERATIONS + " has no ```sh bin/audioflow ddl ...``` block followed by a ```sql block");
    assertEquals(Ddl.generate(block.group(1).split(" +")), block.group(2),
        OPERATIONS + ": paste the output of bin/audioflow ddl " + block.group(1));
  }

  @Test
  void everyTableTheJobCanWriteHasDdl() {
    List<String> created = Pattern.compile("CREATE TABLE c\\.s\\.(\\w+) \\(")
        .matcher(Ddl.generate("--engine=trino", "--location=s3://b/f/", "--schema=s", "--catalog=c")).results()
        .map(m -> m.group(1)).toList();
    assertEquals(Arrays.stream(Table.values()).map(Table::directoryName).toList(), created);
  }

  @Test
  void typesAreWhatTheHiveConnectorReadsTheParquetAs() {
    assertEquals("timestamp(3)", TrinoDdl.type(Tables.TRACKS.getField("processed_at").schema()));
    assertEquals("timestamp(3)", TrinoDdl.type(Tables.TRACKS.getField("source_modified_at").schema()));
    assertEquals("array(real)", TrinoDdl.type(Tables.MEL.getField("values").schema()));
    assertEquals("array(real)", TrinoDdl.type(Tables.TRACKS.getField("mel_mean_db").schema()));
    assertEquals("array(varchar)", TrinoDdl.type(Tables.TRACKS.getField("warnings").schema()));
    assertEquals("map(varchar, real)", TrinoDdl.type(Tables.PREDICTIONS.getField("probabilities").schema()));
    assertEquals("array(row(\"label\" varchar, \"score\" real))",
        TrinoDdl.type(Tables.PREDICTIONS.getField("top_tags").schema()));
  }

  @Test
  void latestViewsForTheTablesKeyedByUriAndProcessedAt() {
    String ddl = Ddl.generate("--engine=trino", "--location=s3://b/f/", "--schema=s", "--catalog=c");
    assertTrue(ddl.contains("WITH (external_location = 's3://b/f/tracks', format = 'PARQUET');"), ddl);
    List<String> views = Pattern.compile("CREATE OR REPLACE VIEW (\\S+) AS").matcher(ddl).results()
        .map(m -> m.group(1)).toList();
    assertEquals(List.of("c.s.tracks_latest", "c.s.errors_latest"), views);
  }

  @Test
  void onlyTrinoIsKnown() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Ddl.generate("--engine=spark", "--location=s3://b/f"));
    assertEquals("--engine must be trino, not 'spark'", e.getMessage());
  }
}
