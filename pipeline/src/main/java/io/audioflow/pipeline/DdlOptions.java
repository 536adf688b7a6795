package io.audioflow.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Options of {@code bin/audioflow ddl}; parsed as the job's options are, so the syntax and --help match. */
public interface DdlOptions extends PipelineOptions {
  @Description("SQL engine the DDL is for: trino (Hive connector).")
  @Validation.Required
  String getEngine();

  void setEngine(String value);

  @Description("The job's --output as the engine reaches it, e.g. s3://bucket/features; each table is a directory"
      + " under it.")
  @Validation.Required
  String getLocation();

  void setLocation(String value);

  @Description("Catalog of the Hive connector.")
  @Default.String("hive")
  String getCatalog();

  void setCatalog(String value);

  @Description("Schema the tables and views are created in.")
  @Default.String("audio")
  String getSchema();

  void setSchema(String value);
}
