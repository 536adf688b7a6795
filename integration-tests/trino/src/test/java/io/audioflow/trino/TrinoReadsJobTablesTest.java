package io.audioflow.trino;

import static io.trino.testing.TestingSession.testSessionBuilder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trino.plugin.hive.HivePlugin;
import io.trino.testing.MaterializedRow;
import io.trino.testing.QueryRunner;
import io.trino.testing.StandaloneQueryRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real Trino (in-process, Hive connector, file metastore, a default catalog otherwise) reads the tables one job
 * output holds, through the DDL {@code bin/audioflow ddl} generated for it, and sees what DuckDB sees in the same
 * files. run.sh writes both (the job ran twice, the second time with {@code --reprocess}), then runs this on Java 25.
 */
class TrinoReadsJobTablesTest {
  private static final Path OUTPUT = Path.of(System.getProperty("audioflow.allTablesOutput"));
  private static final Path DDL = Path.of(System.getProperty("audioflow.ddl"));
  /** The file whose values are compared by name: mono MP3 with rows in every table. */
  private static final String KNOWN = "%mix_mp3vbr_22050_mono_10s.mp3";

  @TempDir static Path metastore;
  static QueryRunner trino;
  static Connection duckdb;

  @BeforeAll
  static void createTablesFromTheGeneratedDdl() throws Exception {
    trino = new StandaloneQueryRunner(testSessionBuilder().setCatalog("hive").setSchema("audio").build());
    trino.installPlugin(new HivePlugin());
    // Local files only through the local:// scheme (a file:// location is accepted and reads no rows).
    trino.createCatalog("hive", "hive", Map.of(
        "hive.metastore", "file",
        "hive.metastore.catalog.dir", "local://" + metastore.toAbsolutePath(),
        "fs.local.enabled", "true",
        "local.location", "/"));
    for (String statement : Files.readString(DDL).split(";\n")) {
      if (!statement.isBlank()) {
        trino.execute(statement);
      }
    }
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
  }

  @AfterAll
  static void stop() throws SQLException {
    trino.close();
    duckdb.close();
  }

  static List<String> tables() throws IOException {
    return Pattern.compile("CREATE TABLE hive\\.audio\\.(\\w+) \\(").matcher(Files.readString(DDL)).results()
        .map(m -> m.group(1)).toList();
  }

  @Test
  void everyParquetDirectoryTheJobWroteHasATable() throws IOException {
    try (Stream<Path> dirs = Files.list(OUTPUT)) {
      List<String> written = dirs.filter(Files::isDirectory).filter(TrinoReadsJobTablesTest::holdsParquet)
          .map(d -> d.getFileName().toString()).sorted().toList();
      assertEquals(tables().stream().sorted().toList(), written);
    }
  }

  @ParameterizedTest
  @MethodSource("tables")
  void selectStarReadsEveryColumnOfEveryRow(String table) {
    long rows = trino.execute("SELECT * FROM " + table).getRowCount();
    assertTrue(rows > 0, table + " has rows");
    assertEquals(List.of(List.of(rows)), duck("SELECT count(*) FROM " + parquet(table)), table);
  }

  /** The DDL names every column the files hold, in their order, and each reads as many non-nulls as DuckDB's. */
  @ParameterizedTest
  @MethodSource("tables")
  void columnsAndTheirNonNullCountsAreDuckDbs(String table) {
    List<String> columns = duck("SELECT column_name FROM (DESCRIBE SELECT * FROM " + parquet(table) + ")").stream()
        .map(r -> (String) r.get(0)).toList();
    assertEquals(columns, trino("SELECT column_name FROM information_schema.columns WHERE table_schema = 'audio'"
        + " AND table_name = '" + table + "' ORDER BY ordinal_position").stream().map(r -> r.get(0)).toList());
    String counts = String.join(", ", columns.stream().map(c -> "count(\"" + c + "\")").toList());
    assertEquals(duck("SELECT " + counts + " FROM " + parquet(table)),
        trino("SELECT " + counts + " FROM " + table), table);
  }

  @Test
  void namedValuesAreDuckDbs() {
    sameInBoth("SELECT integrated_lufs, tempo_bpm, duration_seconds, cardinality(mel_mean_db),"
        + " cardinality(mfcc_mean), mfcc_mean[3] FROM {tracks} WHERE uri LIKE '" + KNOWN + "' ORDER BY 1");
    sameInBoth("SELECT segment_index, frames, n_mels, cardinality(\"values\"), \"values\"[1000] FROM {mel}"
        + " WHERE uri LIKE '" + KNOWN + "' AND segment_index = 1");
    sameInBoth("SELECT model, kind, patch_count, cardinality(top_tags), top_tags[1].label, top_tags[1].score,"
        + " cardinality(embedding), embedding[7], cardinality(map_keys(probabilities)) FROM {predictions}"
        + " WHERE uri LIKE '" + KNOWN + "' ORDER BY model, top_tags[1].score");
    sameInBoth("SELECT source, stem_uri, sample_rate, duration_seconds, integrated_lufs, true_peak_dbtp, rms,"
        + " mix_energy_share, model_name, model_sha256, error FROM {stems} WHERE uri LIKE '" + KNOWN + "'"
        + " ORDER BY source, rms");
    sameInBoth("SELECT uri, error_class, message FROM {errors} ORDER BY 1");
    // A map value: DuckDB's map subscript gives a list of matches, Trino's the value.
    assertEquals(
        duck("SELECT model, element_at(probabilities, 'danceable')[1] FROM " + parquet("predictions")
            + " WHERE uri LIKE '" + KNOWN + "' AND kind = 'head' ORDER BY 2"),
        trino("SELECT model, probabilities['danceable'] FROM predictions WHERE uri LIKE '" + KNOWN + "'"
            + " AND kind = 'head' ORDER BY 2"));
  }

  /** {@code timestamp(3)}, as the default catalog allows, holds the files' UTC instants to the millisecond. */
  @Test
  void timestampsAreTheFilesUtcMilliseconds() {
    assertEquals(
        duck("SELECT uri, " + utcText("processed_at") + ", " + utcText("source_modified_at") + " FROM "
            + parquet("tracks") + " ORDER BY 1, 2"),
        trino("SELECT uri, CAST(processed_at AS varchar), CAST(source_modified_at AS varchar) FROM tracks"
            + " ORDER BY 1, 2"));
  }

  /** After the --reprocess run every uri has two rows; the views keep the newest, as DuckDB's documented view does. */
  @Test
  void latestViewsKeepOneRowPerUriTheNewest() {
    for (String table : List.of("tracks", "errors")) {
      List<List<Object>> perUri = trino("SELECT count(*), count(DISTINCT uri) FROM " + table);
      assertEquals(2 * (Long) perUri.get(0).get(1), perUri.get(0).get(0), table + " holds both runs");
      assertEquals(List.of(List.of(perUri.get(0).get(1), perUri.get(0).get(1))),
          trino("SELECT count(*), count(DISTINCT uri) FROM " + table + "_latest"), table + "_latest");
      assertEquals(perUri.get(0).get(1), (long) trino.execute("SELECT * FROM " + table + "_latest").getRowCount());
      assertEquals(
          duck("SELECT uri, " + utcText("processed_at") + " FROM " + parquet(table)
              + " QUALIFY row_number() OVER (PARTITION BY uri ORDER BY processed_at DESC) = 1 ORDER BY 1"),
          trino("SELECT uri, CAST(processed_at AS varchar) FROM " + table + "_latest ORDER BY 1"),
          table + "_latest");
    }
  }

  /** DuckDB's text of a UTC-adjusted Parquet timestamp in UTC, as Trino casts a timestamp(3) to varchar. */
  private static String utcText(String column) {
    return "strftime(timezone('UTC', " + column + "), '%Y-%m-%d %H:%M:%S.%g')";
  }

  /**
   * Runs one query in both engines: {@code {name}} is the Trino table, or DuckDB's read of its directory; Trino's
   * {@code cardinality} of an array is DuckDB's {@code len} of a list.
   */
  private static void sameInBoth(String sql) {
    List<List<Object>> fromDuckDb = duck(sql.replaceAll("\\{(\\w+)}", "read_parquet('" + OUTPUT + "/$1/*.parquet')")
        .replace("cardinality(", "len("));
    assertFalse(fromDuckDb.isEmpty(), sql);
    assertEquals(fromDuckDb, trino(sql.replaceAll("\\{(\\w+)}", "$1")), sql);
  }

  private static String parquet(String table) {
    return "read_parquet('" + OUTPUT.resolve(table) + "/*.parquet')";
  }

  private static boolean holdsParquet(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<List<Object>> trino(String sql) {
    return trino.execute(sql).getMaterializedRows().stream().map(MaterializedRow::getFields).toList();
  }

  private static List<List<Object>> duck(String sql) {
    try (Statement st = duckdb.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Object[] row = new Object[rs.getMetaData().getColumnCount()];
        for (int i = 0; i < row.length; i++) {
          row[i] = rs.getObject(i + 1);
        }
        rows.add(Arrays.asList(row));
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
