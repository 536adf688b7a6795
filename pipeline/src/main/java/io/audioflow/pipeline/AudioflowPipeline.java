package io.audioflow.pipeline;

import io.audioflow.transforms.beam.Table;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The feature job's graph: match the inputs and drop those already done, Reshuffle so files spread over workers
 * (breaking fusion with the match), analyse (and optionally separate) each file, and write the tables those steps
 * produce. Audio bytes never travel between stages: only file metadata is shuffled.
 */
public final class AudioflowPipeline {
  private AudioflowPipeline() {}

  public static Pipeline build(AudioflowOptions options) {
    long start = System.currentTimeMillis();
    OptionChecks.validate(options);
    Pipeline pipeline = Pipeline.create(options);
    // The default Metadata coder drops the last-modified time (also inside FileIO.match), which resume compares.
    pipeline.getCoderRegistry().registerCoderForClass(MatchResult.Metadata.class, MetadataCoderV2.of());
    // Before any file is matched: a missing or bad model fails the job here, naming the file.
    AnalyzeAudio analyze = AnalyzeAudio.from(options, start);
    SeparateStems separate = options.getSeparate() ? SeparateStems.from(options) : null;

    String output = options.getOutput();
    int keys = directRunnerKeys(options);
    PCollection<MatchResult.Metadata> files =
        pipeline
            .apply("MatchInputs", MatchInputs.from(options))
            .apply("SkipDone", options.getReprocess()
                ? SkipProcessed.none(keys)
                : SkipProcessed.against(Table.TRACKS.directory(output), Table.ERRORS.directory(output), keys));
    PCollection<MatchResult.Metadata> spread = files.apply("SpreadFiles", keys == 0
        ? Reshuffle.viaRandomKey()
        : Reshuffle.<MatchResult.Metadata>viaRandomKey().withNumBuckets(keys));
    PCollectionTuple rows = spread.apply("AnalyzeAudio", analyze);
    if (separate != null) {
      rows = rows.and(Table.STEMS.tag(), spread.apply("SeparateStems", separate));
    }
    rows.apply("WriteTables", new WriteTables(output, runId(), options.getOutputShards()));
    return pipeline;
  }

  /**
   * The keys the files are grouped by on the Direct runner (one per worker thread), 0 on others. The Direct runner
   * makes each key a bundle, and each bundle pays the runner's per-bundle set-up (the DoFn's translation and its
   * coders, a Parquet file per table) in every later step: 1 000 short files took 29 s with one key per thread, 39 s
   * with 4, 70 s with 16 (docs/benchmarks.md). Other runners bundle across keys, and there each file keeps a key of
   * its own, so files spread evenly over any number of workers.
   */
  private static int directRunnerKeys(AudioflowOptions options) {
    return options.getRunner() == DirectRunner.class ? options.as(DirectOptions.class).getTargetParallelism() : 0;
  }

  /** Names one run's output files: UTC start time (sorts by run) and a random suffix against clashes. */
  private static String runId() {
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
        + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
