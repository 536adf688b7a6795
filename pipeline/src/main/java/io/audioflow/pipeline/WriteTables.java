package io.audioflow.pipeline;

import io.audioflow.transforms.beam.Table;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Writes every table the graph's steps produced ({@link Table} tags in one tuple) as a Parquet table under the output:
 * the graph, not a second reading of the options, decides which tables a run writes.
 */
final class WriteTables extends PTransform<PCollectionTuple, PDone> {
  private final String output;
  private final String runId;
  private final int shards;

  /** See {@link ParquetTable} for {@code runId} and {@code shards}. */
  WriteTables(String output, String runId, int shards) {
    this.output = output;
    this.runId = runId;
    this.shards = shards;
  }

  @Override
  public PDone expand(PCollectionTuple rows) {
    for (Map.Entry<TupleTag<?>, PCollection<?>> entry : rows.getAll().entrySet()) {
      Table table = Table.of(entry.getKey());
      @SuppressWarnings("unchecked") // every tuple member carries a Table's rows
      PCollection<GenericRecord> tableRows = (PCollection<GenericRecord>) entry.getValue();
      tableRows.apply(table.directoryName(),
          new ParquetTable(table.directory(output), table.schema(), runId, shards));
    }
    return PDone.in(rows.getPipeline());
  }
}
