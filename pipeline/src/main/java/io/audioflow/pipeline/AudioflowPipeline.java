package io.audioflow.pipeline;

import io.audioflow.transforms.beam.AnalyzeFileFn;
import io.audioflow.transforms.beam.Tables;
import io.audioflow.transforms.analysis.TrackAnalyzer;
import java.util.Locale;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Filter;
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
    TrackAnalyzer.Settings settings = MelSettings.from(options);
    String melOutput = options.getMelOutput().toLowerCase(Locale.ROOT);
    if (!melOutput.matches("none|summary|segments")) {
      throw new IllegalArgumentException("--melOutput must be none, summary or segments, not '" + melOutput + "'");
    }

    PCollection<MatchResult.Metadata> files = match(pipeline, options);
    PCollectionView<Long> total = files.apply("CountFiles", Count.globally()).apply(View.asSingleton());
    PCollection<MatchResult.Metadata> spread = files.apply("SpreadFiles", Reshuffle.viaRandomKey());
    PCollectionTuple rows =
        spread
            .apply(
                "AnalyzeFiles",
                ParDo.of(
                        new AnalyzeFileFn(
                            settings,
                            melOutput.equals("segments") ? options.getSegmentSeconds() : null,
                            total,
                            options.getProgressIntervalSeconds()))
                    .withSideInputs(total)
                    .withOutputTags(
                        AnalyzeFileFn.TRACKS, TupleTagList.of(AnalyzeFileFn.ERRORS).and(AnalyzeFileFn.MEL)));
    rows.get(AnalyzeFileFn.TRACKS).setCoder(AvroCoder.of(Tables.TRACKS));
    rows.get(AnalyzeFileFn.ERRORS).setCoder(AvroCoder.of(Tables.ERRORS));
    rows.get(AnalyzeFileFn.MEL).setCoder(AvroCoder.of(Tables.MEL));

    rows.get(AnalyzeFileFn.TRACKS).apply("WriteTracks", new ParquetTable(table(options, "tracks"), Tables.TRACKS));
    rows.get(AnalyzeFileFn.ERRORS).apply("WriteErrors", new ParquetTable(table(options, "errors"), Tables.ERRORS));
    if (melOutput.equals("segments")) {
      rows.get(AnalyzeFileFn.MEL).apply("WriteMel", new ParquetTable(table(options, "mel"), Tables.MEL));
    }
    if (options.getSeparate()) {
      SeparationStep.apply(spread, options);
    }
    return pipeline;
  }

  /** The table directories this job writes. */
  static String[] tables(AudioflowOptions options) {
    java.util.List<String> tables = new java.util.ArrayList<>(java.util.List.of("tracks", "errors"));
    if (options.getMelOutput().equalsIgnoreCase("segments")) {
      tables.add("mel");
    }
    if (options.getSeparate()) {
      tables.add("stems");
    }
    return tables.toArray(new String[0]);
  }

  static String table(AudioflowOptions options, String name) {
    return FileSystems.matchNewResource(options.getOutput(), true)
        .resolve(name, StandardResolveOptions.RESOLVE_DIRECTORY)
        .toString();
  }

  private static PCollection<MatchResult.Metadata> match(Pipeline pipeline, AudioflowOptions options) {
    boolean glob = options.getInput() != null;
    if (glob == (options.getInputList() != null)) {
      throw new IllegalArgumentException("give exactly one of --input (a glob) or --inputList (a file of URIs)");
    }
    if (glob) {
      return pipeline.apply(
          "MatchInput",
          FileIO.match().filepattern(options.getInput()).withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW));
    }
    // Each listed URI must exist: a missing one fails the job at matching rather than vanish silently.
    return pipeline
        .apply("ReadInputList", TextIO.read().from(options.getInputList()))
        .apply("DropBlankLines", Filter.by(line -> !line.isBlank()))
        .apply("MatchListed", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW));
  }
}
