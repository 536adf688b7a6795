package io.audioflow.pipeline;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes rows as one Parquet table: a directory of {@code part-*.parquet} files under the output, in the standard
 * 3-level list layout so Spark, Trino and DuckDB read array columns alike.
 */
final class ParquetTable extends PTransform<PCollection<GenericRecord>, PDone> {
  private final String directory;
  private final Schema schema;
  private final String runId;
  private final int shards;

  /**
   * @param runId names this run's files ({@code part-<runId>-*.parquet}) so a resumed run adds files, never
   *     overwrites an earlier run's
   * @param shards files per run; 0 lets the runner decide (one per writing worker)
   */
  ParquetTable(String directory, Schema schema, String runId, int shards) {
    this.directory = directory;
    this.schema = schema;
    this.runId = runId;
    this.shards = shards;
  }

  @Override
  public PDone expand(PCollection<GenericRecord> rows) {
    FileIO.Write<Void, GenericRecord> write =
        FileIO.<GenericRecord>write()
            .via(new ParquetSink(schema))
            .to(directory)
            .withPrefix("part-" + runId)
            .withSuffix(".parquet");
    rows.apply(shards > 0 ? write.withNumShards(shards) : write);
    return PDone.in(rows.getPipeline());
  }
}
