package io.audioflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.transforms.beam.Tables;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume reads only the columns it compares (uri, size, last-modified) of the done tables, never the wide per-band and
 * per-feature columns: with every other column chunk of {@code tracks} overwritten by garbage, a re-run still skips
 * every file, while a reader of any of those columns fails.
 */
class SkipProcessedTest {
  private static final Set<String> VERSION_COLUMNS = Set.of("uri", "size_bytes", "source_modified_at");

  @Test
  void resumeNeverReadsTheWideColumns(@TempDir Path in, @TempDir Path out) throws IOException {
    for (int rate : new int[] {16000, 22050, 44100}) {
      TestWav.write(in.resolve("tone" + rate + ".wav"), rate, 2, 1.5);
    }
    String input = "--input=" + in + "/*";
    JobRunner.run(out, input, "--features=all");
    assertEquals(3, OutputTables.read(out, "tracks", "uri").size());

    int corrupted = 0;
    try (Stream<Path> files = Files.list(out.resolve("tracks"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        corrupted += corruptAllColumnsBut(file);
      }
    }
    int others = Tables.TRACKS.getFields().size() - VERSION_COLUMNS.size();
    assertTrue(corrupted >= others, "every column but the three compared, in every row group: " + corrupted);
    assertThrows(IllegalStateException.class,
        () -> OutputTables.read(out, "tracks", "mel_mean_db, zcr_mean"), "the garbage is where a reader looks");

    var again = JobRunner.run(out, input, "--features=all");
    assertEquals(Map.of("files_skipped", 3L, "files_processed", 0L), FileCounters.of(again));
  }

  /** Overwrites every column chunk except the version columns with 0xA5 bytes; returns how many. */
  private static int corruptAllColumnsBut(Path file) throws IOException {
    List<ColumnChunkMetaData> chunks;
    try (ParquetFileReader reader = ParquetFileReader.open(
        HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
      chunks = reader.getFooter().getBlocks().stream().map(BlockMetaData::getColumns).flatMap(List::stream)
          .filter(c -> !VERSION_COLUMNS.contains(c.getPath().toArray()[0])).toList();
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      for (ColumnChunkMetaData chunk : chunks) {
        byte[] garbage = new byte[Math.toIntExact(chunk.getTotalSize())];
        Arrays.fill(garbage, (byte) 0xA5);
        raf.seek(chunk.getStartingPos());
        raf.write(garbage);
      }
    }
    return chunks.size();
  }
}
