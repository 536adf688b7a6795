package io.audioflow.transforms.beam;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/** Avro schemas of the output tables; every column is documented in docs/schema.md. */
public final class Tables {
  private Tables() {}

  private static final Schema TIMESTAMP_MILLIS =
      LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
  private static final Schema OPTIONAL_TIMESTAMP_MILLIS =
      Schema.createUnion(Schema.create(Schema.Type.NULL), TIMESTAMP_MILLIS);
  private static final Schema FLOAT_LIST = Schema.createArray(Schema.create(Schema.Type.FLOAT));
  private static final Schema STRING_LIST = Schema.createArray(Schema.create(Schema.Type.STRING));

  public static final Schema TRACKS =
      SchemaBuilder.record("Track").namespace("io.audioflow").fields()
          .requiredString("track_id")
          .requiredString("uri")
          .requiredLong("size_bytes")
          .requiredString("container")
          .requiredString("codec")
          .requiredInt("sample_rate")
          .requiredInt("channels")
          .requiredDouble("duration_seconds")
          .requiredLong("decoded_samples")
          .optionalDouble("integrated_lufs")
          .optionalDouble("loudness_range_lu")
          .optionalDouble("true_peak_dbtp")
          .optionalDouble("sample_peak_dbfs")
          .requiredString("mel_config")
          .requiredLong("mel_frames")
          .name("mel_mean_db").type(FLOAT_LIST).noDefault()
          .name("mel_std_db").type(FLOAT_LIST).noDefault()
          .requiredString("code_version")
          .name("processed_at").type(TIMESTAMP_MILLIS).noDefault()
          .name("warnings").type(STRING_LIST).noDefault()
          .name("source_modified_at").type(OPTIONAL_TIMESTAMP_MILLIS).withDefault(null)
          .endRecord();

  public static final Schema ERRORS =
      SchemaBuilder.record("Error").namespace("io.audioflow").fields()
          .requiredString("uri")
          .requiredString("stage")
          .requiredString("error_class")
          .requiredString("message")
          .optionalLong("size_bytes")
          .requiredString("code_version")
          .name("processed_at").type(TIMESTAMP_MILLIS).noDefault()
          .name("source_modified_at").type(OPTIONAL_TIMESTAMP_MILLIS).withDefault(null)
          .endRecord();

  public static final Schema MEL =
      SchemaBuilder.record("MelSegment").namespace("io.audioflow").fields()
          .requiredString("track_id")
          .requiredString("uri")
          .requiredInt("segment_index")
          .requiredDouble("start_seconds")
          .requiredInt("frames")
          .requiredInt("n_mels")
          .requiredString("scaling")
          .name("values").type(FLOAT_LIST).noDefault()
          .endRecord();
}
