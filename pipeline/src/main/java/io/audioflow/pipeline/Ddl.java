package io.audioflow.pipeline;

import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Prints the DDL that makes an engine read the job's tables:
 * {@code bin/audioflow ddl --engine=trino --location=s3://bucket/features [--schema=audio] [--catalog=hive]}.
 */
public final class Ddl {
  private Ddl() {}

  public static void main(String[] args) {
    try {
      System.out.print(generate(args));
    } catch (IllegalArgumentException e) {
      System.err.println("audioflow ddl: " + e.getMessage());
      System.exit(2);
    }
  }

  /** The DDL for these command-line arguments. */
  static String generate(String... args) {
    PipelineOptionsFactory.register(DdlOptions.class);
    DdlOptions options = PipelineOptionsFactory.fromArgs(args).withValidation().as(DdlOptions.class);
    if (!options.getEngine().equals("trino")) {
      throw new IllegalArgumentException("--engine must be trino, not '" + options.getEngine() + "'");
    }
    return TrinoDdl.generate(options.getCatalog(), options.getSchema(), options.getLocation());
  }
}
