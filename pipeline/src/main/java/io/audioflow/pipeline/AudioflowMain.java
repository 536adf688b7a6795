package io.audioflow.pipeline;

import io.audioflow.pipeline.storage.PathStyleS3ClientBuilderFactory;
import io.audioflow.transforms.beam.Table;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the feature job: {@code bin/audioflow --input='samples/*.wav' --output=out [options]}. */
public final class AudioflowMain {
  private static final Logger LOG = LoggerFactory.getLogger(AudioflowMain.class);

  private AudioflowMain() {}

  public static void main(String[] args) {
    AudioflowOptions options = commandLine(args);
    try {
      run(options);
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("audioflow: " + e.getMessage());
      System.exit(2);
    }
  }

  /**
   * The job's options from its command line. The Direct runner checks, for every bundle, that DoFns neither mutate
   * their inputs nor emit values their coders cannot round-trip; on a many-file run those checks cost more than the
   * analysis (docs/benchmarks.md). The job's DoFns are held to that contract by the tests, which run with both checks
   * on (as {@link #run} leaves them); the options of a command line skip them unless its arguments set them.
   */
  public static AudioflowOptions commandLine(String[] args) {
    PipelineOptionsFactory.register(AudioflowOptions.class);
    AudioflowOptions options = PipelineOptionsFactory.fromArgs(args).withValidation().as(AudioflowOptions.class);
    skipDirectRunnerChecks(options, args);
    return options;
  }

  private static void skipDirectRunnerChecks(AudioflowOptions options, String[] args) {
    if (options.getRunner() != DirectRunner.class) {
      return;
    }
    DirectOptions direct = options.as(DirectOptions.class);
    if (Arrays.stream(args).noneMatch(a -> a.startsWith("--enforceImmutability"))) {
      direct.setEnforceImmutability(false);
    }
    if (Arrays.stream(args).noneMatch(a -> a.startsWith("--enforceEncodability"))) {
      direct.setEnforceEncodability(false);
    }
  }

  /** Runs the job to completion and returns its final state. */
  public static PipelineResult run(AudioflowOptions options) {
    if (options.getS3PathStyleAccess()
        && options.getS3ClientFactoryClass() == DefaultS3ClientBuilderFactory.class) {
      options.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
    }
    FileSystems.setDefaultPipelineOptions(options);
    // Built (options checked, models verified) before --overwrite deletes anything.
    Pipeline pipeline = AudioflowPipeline.build(options);
    if (options.getOverwrite()) {
      clearOutput(options);
    }
    long start = System.nanoTime();
    PipelineResult result;
    try {
      result = pipeline.run();
      result.waitUntilFinish();
    } catch (RuntimeException e) {
      Throwable cause = rootCause(e);
      if (cause instanceof FileNotFoundException) {
        throw new IllegalStateException(
            "no input files: " + cause.getMessage() + " (check --input / --inputList)", e);
      }
      throw e;
    }
    report(result, (System.nanoTime() - start) / 1e9, options);
    return result;
  }

  /**
   * --overwrite: deletes every table's files, also those of tables this run does not write (a {@code stems} table
   * from an earlier {@code --separate} run would not match the new {@code tracks}), so the run starts from an empty
   * output.
   */
  private static void clearOutput(AudioflowOptions options) {
    for (Table table : Table.values()) {
      String glob = table.directory(options.getOutput()) + "*";
      try {
        MatchResult match = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
        List<ResourceId> existing = new ArrayList<>();
        if (match.status() == MatchResult.Status.OK) {
          for (MatchResult.Metadata m : match.metadata()) {
            existing.add(m.resourceId());
          }
        }
        FileSystems.delete(existing);
      } catch (IOException e) {
        throw new IllegalStateException("cannot clear output " + glob + ": " + e.getMessage(), e);
      }
    }
  }

  private static void report(PipelineResult result, double wallSeconds, AudioflowOptions options) {
    MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
    Map<String, Long> counters = new TreeMap<>();
    for (MetricResult<Long> c : metrics.getCounters()) {
      counters.merge(c.getName().getName(), committedOrAttempted(c), Long::sum);
    }
    long tracks = counters.getOrDefault("files_tracks", 0L);
    long errors = counters.getOrDefault("files_errors", 0L);
    double audioSeconds = counters.getOrDefault("audio_milliseconds", 0L) / 1000.0;
    String firstFile = "";
    for (MetricResult<DistributionResult> d : metrics.getDistributions()) {
      if (d.getName().getName().equals("file_finished_ms_after_start")) {
        firstFile = String.format(
            "; first file finished %.1f s after the job started", d.getAttempted().getMin() / 1000.0);
      }
    }
    StringBuilder byClass = new StringBuilder();
    counters.forEach(
        (name, value) -> {
          if (name.startsWith("errors_")) {
            byClass.append(byClass.length() == 0 ? " (" : ", ").append(name.substring(7)).append(' ').append(value);
          }
        });
    if (byClass.length() > 0) {
      byClass.append(')');
    }
    LOG.info(
        String.format(
            "done: %d files -> %d tracks, %d errors%s (files_processed %d, files_skipped %d as already done);"
                + " %.2f audio h in %.1f s (%.0fx realtime)%s; tables in %s",
            tracks + errors, tracks, errors, byClass, counters.getOrDefault("files_processed", 0L),
            counters.getOrDefault("files_skipped", 0L), audioSeconds / 3600, wallSeconds,
            audioSeconds / wallSeconds, firstFile, options.getOutput()));
  }

  private static long committedOrAttempted(MetricResult<Long> c) {
    try {
      return c.getCommitted();
    } catch (UnsupportedOperationException e) {
      return c.getAttempted();
    }
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
