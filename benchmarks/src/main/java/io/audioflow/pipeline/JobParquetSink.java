package io.audioflow.pipeline;

import org.apache.avro.Schema;
import org.apache.beam.sdk.io.parquet.ParquetIO;

/**
 * The job's Parquet sink ({@code ParquetTable.sink}: codec, list layout) for the bench's write stage, which must
 * write as the job does. {@code ParquetTable.sink} is package-private and its file is being restructured elsewhere,
 * so this class reaches it from the same package; delete it once the sink is public.
 */
public final class JobParquetSink {
  private JobParquetSink() {}

  public static ParquetIO.Sink of(Schema schema) {
    return ParquetTable.sink(schema);
  }
}
