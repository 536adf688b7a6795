package io.audioflow.pipeline;

import io.audioflow.transforms.analysis.FeatureSelection;
import io.audioflow.transforms.analysis.TrackAnalyzer;
import io.audioflow.transforms.beam.AnalyzeFileFn;
import io.audioflow.transforms.beam.Tables;
import io.audioflow.transforms.tagging.TaggingSettings;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The feature job's graph: match the inputs, Reshuffle so files spread over workers (breaking fusion with the
 * match), analyse each file in one fused step, and write the {@code tracks}, {@code errors} and {@code mel}
 * tables. Audio bytes never travel between stages: only file metadata is shuffled.
 */
public final class AudioflowPipeline {
  private AudioflowPipeline() {}

  public static Pipeline build(AudioflowOptions options) {
    Pipeline pipeline = Pipeline.create(options);
    // The default Metadata coder drops the last-modified time (also inside FileIO.match), which resume compares.
    pipeline.getCoderRegistry().registerCoderForClass(MatchResult.Metadata.class, MetadataCoderV2.of());
    OptionChecks.validate(options);
    TrackAnalyzer.Settings settings = MelSettings.from(options);
    String melOutput = options.getMelOutput().trim().toLowerCase(Locale.ROOT);
    // Before any file is matched: a missing or bad model fails the job here, naming the file.
    TaggingSettings tagging = TaggingOptions.from(options, settings);
    SeparationStep separation = SeparationStep.from(options);

    PCollection<MatchResult.Metadata> files =
        pipeline
            .apply("MatchInputs", MatchInputs.from(options))
            .apply(
                "SkipDone",
                options.getReprocess()
                    ? SkipProcessed.none()
                    : SkipProcessed.against(table(options, "tracks"), table(options, "errors")));
    PCollectionView<Long> total = files.apply("CountFiles", Count.globally()).apply(View.asSingleton());
    PCollection<MatchResult.Metadata> spread = files.apply("SpreadFiles", Reshuffle.viaRandomKey());
    PCollectionTuple rows =
        spread
            .apply(
                "AnalyzeFiles",
                ParDo.of(
                        new AnalyzeFileFn(
                            settings,
                            !melOutput.equals("none"),
                            melOutput.equals("segments") ? options.getSegmentSeconds() : null,
                            total,
                            options.getProgressIntervalSeconds(),
                            tagging,
                            options.getMaxSecondsPerFile()))
                    .withSideInputs(total)
                    .withOutputTags(
                        AnalyzeFileFn.TRACKS,
                        TupleTagList.of(AnalyzeFileFn.ERRORS).and(AnalyzeFileFn.MEL).and(AnalyzeFileFn.FRAMES)
                            .and(AnalyzeFileFn.PREDICTIONS).and(AnalyzeFileFn.PATCHES)));
    rows.get(AnalyzeFileFn.TRACKS).setCoder(AvroCoder.of(Tables.TRACKS));
    rows.get(AnalyzeFileFn.ERRORS).setCoder(AvroCoder.of(Tables.ERRORS));
    rows.get(AnalyzeFileFn.MEL).setCoder(AvroCoder.of(Tables.MEL));
    rows.get(AnalyzeFileFn.FRAMES).setCoder(AvroCoder.of(Tables.FRAMES));
    rows.get(AnalyzeFileFn.PREDICTIONS).setCoder(AvroCoder.of(Tables.PREDICTIONS));
    rows.get(AnalyzeFileFn.PATCHES).setCoder(AvroCoder.of(Tables.PATCHES));

    String runId = runId();
    int shards = options.getOutputShards();
    rows.get(AnalyzeFileFn.TRACKS)
        .apply("WriteTracks", new ParquetTable(table(options, "tracks"), Tables.TRACKS, runId, shards));
    rows.get(AnalyzeFileFn.ERRORS)
        .apply("WriteErrors", new ParquetTable(table(options, "errors"), Tables.ERRORS, runId, shards));
    List<String> tables = tables(options);
    if (tables.contains("mel")) {
      rows.get(AnalyzeFileFn.MEL).apply("WriteMel", new ParquetTable(table(options, "mel"), Tables.MEL, runId, shards));
    }
    if (tables.contains("frames")) {
      rows.get(AnalyzeFileFn.FRAMES)
          .apply("WriteFrames", new ParquetTable(table(options, "frames"), Tables.FRAMES, runId, shards));
    }
    if (separation != null) {
      separation.apply(spread, options, runId, shards);
    }
    if (tables.contains("predictions")) {
      rows.get(AnalyzeFileFn.PREDICTIONS)
          .apply("WritePredictions",
              new ParquetTable(table(options, "predictions"), Tables.PREDICTIONS, runId, shards));
    }
    if (tables.contains("patches")) {
      rows.get(AnalyzeFileFn.PATCHES)
          .apply("WritePatches", new ParquetTable(table(options, "patches"), Tables.PATCHES, runId, shards));
    }
    return pipeline;
  }

  /** Names one run's output files: UTC start time (sorts by run) and a random suffix against clashes. */
  private static String runId() {
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
        + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * The table directories this job writes: with segments, {@code mel} when the mel spectrogram is selected and
   * {@code frames} when a per-frame classic feature is; {@code stems} when separating; {@code predictions} with
   * {@code --models}, and {@code patches} with {@code --patchesTable} too.
   */
  static List<String> tables(AudioflowOptions options) {
    List<String> tables = new ArrayList<>(List.of("tracks", "errors"));
    if (options.getMelOutput().equalsIgnoreCase("segments")) {
      FeatureSelection selection = FeatureSelection.parse(options.getFeatures());
      if (selection.mel()) {
        tables.add("mel");
      }
      if (selection.classic().stream().anyMatch(f -> f.dimension() > 0)) {
        tables.add("frames");
      }
    }
    if (options.getSeparate()) {
      tables.add("stems");
    }
    if (TaggingOptions.enabled(options)) {
      tables.add("predictions");
      if (options.getPatchesTable()) {
        tables.add("patches");
      }
    }
    return tables;
  }

  static String table(AudioflowOptions options, String name) {
    return FileSystems.matchNewResource(options.getOutput(), true)
        .resolve(name, StandardResolveOptions.RESOLVE_DIRECTORY)
        .toString();
  }
}
