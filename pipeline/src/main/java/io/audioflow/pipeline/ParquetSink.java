package io.audioflow.pipeline;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Snappy-compressed Parquet with standard 3-level lists, through ParquetIO's sink built on the worker. ParquetIO's
 * sink carries a Hadoop {@code Configuration} that is rebuilt property by property each time the sink is
 * deserialised, which the runners do for every bundle's file; this one carries only the schema.
 */
public final class ParquetSink implements FileIO.Sink<GenericRecord> {
  private final String schemaJson;
  private transient ParquetIO.Sink parquet;

  public ParquetSink(Schema schema) {
    this.schemaJson = schema.toString();
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    Configuration conf = new Configuration(false);
    conf.set("parquet.avro.write-old-list-structure", "false");
    parquet = ParquetIO.sink(new Schema.Parser().parse(schemaJson))
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withConfiguration(conf);
    parquet.open(channel);
  }

  @Override
  public void write(GenericRecord row) throws IOException {
    parquet.write(row);
  }

  @Override
  public void flush() throws IOException {
    parquet.flush();
  }
}
