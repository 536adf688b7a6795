package io.audioflow.transforms.beam;

import io.audioflow.transforms.features.Feature;
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

  private static final Schema NULLABLE_FLOAT_LIST = nullable(FLOAT_LIST);

  public static final Schema TRACKS =
      featureSummaries(
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
              .optionalString("mel_config")
              .requiredLong("mel_frames")
              .name("mel_mean_db").type(NULLABLE_FLOAT_LIST).withDefault(null)
              .name("mel_std_db").type(NULLABLE_FLOAT_LIST).withDefault(null))
          .optionalDouble("tempo_bpm")
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

  /** Per-frame classic features in segments: one nullable column per feature, frame-major. */
  public static final Schema FRAMES = frameColumns(
      SchemaBuilder.record("FeatureFrames").namespace("io.audioflow").fields()
          .requiredString("track_id")
          .requiredString("uri")
          .requiredInt("segment_index")
          .requiredDouble("start_seconds")
          .requiredInt("frames")
          .requiredInt("sample_rate")
          .requiredInt("hop_length"))
      .endRecord();

  private static final Schema TAG =
      SchemaBuilder.record("Tag").namespace("io.audioflow").fields()
          .requiredString("label")
          .requiredFloat("score")
          .endRecord();

  /** One row per (track, model) of the tagging step (--models). */
  public static final Schema PREDICTIONS =
      SchemaBuilder.record("Prediction").namespace("io.audioflow").fields()
          .requiredString("track_id")
          .requiredString("uri")
          .requiredString("model")
          .requiredString("kind")
          .name("probabilities").type(nullable(Schema.createMap(Schema.create(Schema.Type.FLOAT)))).withDefault(null)
          .name("top_tags").type(Schema.createArray(TAG)).noDefault()
          .name("embedding").type(NULLABLE_FLOAT_LIST).withDefault(null)
          .requiredInt("patch_count")
          .endRecord();

  /** One row per (track, model, patch) with {@code --patchesTable}: the taggram. */
  public static final Schema PATCHES =
      SchemaBuilder.record("Patch").namespace("io.audioflow").fields()
          .requiredString("track_id")
          .requiredString("uri")
          .requiredString("model")
          .requiredInt("patch_index")
          .requiredDouble("start_seconds")
          .name("probabilities").type(Schema.createMap(Schema.create(Schema.Type.FLOAT))).noDefault()
          .endRecord();

  /** The {@code tracks} column of a feature's mean ({@code <id>_mean}); its std is {@code <id>_std}. */
  public static String meanColumn(Feature feature) {
    return feature.id() + "_mean";
  }

  public static String stdColumn(Feature feature) {
    return feature.id() + "_std";
  }

  /** Mean and std columns of every per-frame feature: a double for one value per frame, else a list. */
  private static SchemaBuilder.FieldAssembler<Schema> featureSummaries(SchemaBuilder.FieldAssembler<Schema> fields) {
    for (Feature f : Feature.values()) {
      if (f.dimension() == 1) {
        fields = fields.optionalDouble(meanColumn(f)).optionalDouble(stdColumn(f));
      } else if (f.dimension() > 1) {
        fields = fields
            .name(meanColumn(f)).type(NULLABLE_FLOAT_LIST).withDefault(null)
            .name(stdColumn(f)).type(NULLABLE_FLOAT_LIST).withDefault(null);
      }
    }
    return fields;
  }

  private static SchemaBuilder.FieldAssembler<Schema> frameColumns(SchemaBuilder.FieldAssembler<Schema> fields) {
    for (Feature f : Feature.values()) {
      if (f.dimension() > 0) {
        fields = fields.name(f.id()).type(NULLABLE_FLOAT_LIST).withDefault(null);
      }
    }
    return fields;
  }

  private static Schema nullable(Schema schema) {
    return Schema.createUnion(Schema.create(Schema.Type.NULL), schema);
  }
}
