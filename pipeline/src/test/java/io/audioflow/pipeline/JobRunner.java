package io.audioflow.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Runs the job as the command line does, for tests. */
public final class JobRunner {
  private JobRunner() {}

  public static PipelineResult run(Path output, String... args) {
    return run(output.toString(), args);
  }

  /** @param output any Beam filesystem's URI, e.g. {@code hdfs://host:port/out} */
  public static PipelineResult run(String output, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--output=" + output);
    all.add("--progressIntervalSeconds=0");
    PipelineOptionsFactory.register(AudioflowOptions.class);
    AudioflowOptions options =
        PipelineOptionsFactory.fromArgs(all.toArray(String[]::new)).withValidation().as(AudioflowOptions.class);
    return AudioflowMain.run(options);
  }
}
