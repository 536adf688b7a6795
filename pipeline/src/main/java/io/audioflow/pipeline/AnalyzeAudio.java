package io.audioflow.pipeline;

import io.audioflow.transforms.analysis.FeatureSelection;
import io.audioflow.transforms.analysis.TrackAnalyzer;
import io.audioflow.transforms.beam.AnalyzeFileFn;
import io.audioflow.transforms.beam.Table;
import io.audioflow.transforms.tagging.TaggingSettings;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Files in, the analysis tables' rows out: each file analysed (and tagged) in one fused step, exactly one
 * {@code tracks} or {@code errors} row per file. The result holds the tables the options select: always
 * {@code tracks} and {@code errors}; {@code mel} and {@code frames} with segments of a selected mel spectrogram or
 * per-frame feature; {@code predictions} with {@code --models}, and {@code patches} with {@code --patchesTable}.
 */
final class AnalyzeAudio extends PTransform<PCollection<MatchResult.Metadata>, PCollectionTuple> {
  /** The tables {@link AnalyzeFileFn} writes to; the options select which of them the job keeps. */
  private static final Set<Table> OUTPUTS = EnumSet.complementOf(EnumSet.of(Table.STEMS));

  private final AnalyzeFileFn analyzeFn;
  private final List<Table> tables;

  private AnalyzeAudio(AnalyzeFileFn analyzeFn, List<Table> tables) {
    this.analyzeFn = analyzeFn;
    this.tables = tables;
  }

  /**
   * The analysis of checked options; a missing or bad tagging model fails here, naming the file.
   *
   * @param jobStartMillis when the job started, for the time-to-finish metric
   */
  static AnalyzeAudio from(AudioflowOptions options, long jobStartMillis) {
    TrackAnalyzer.Settings settings = MelSettings.from(options);
    TaggingSettings tagging = TaggingOptions.from(options, settings);
    String melOutput = options.getMelOutput().trim().toLowerCase(Locale.ROOT);
    boolean segments = melOutput.equals("segments");
    List<Table> tables = new ArrayList<>(List.of(Table.TRACKS, Table.ERRORS));
    FeatureSelection selection = settings.selection();
    if (segments && selection.mel()) {
      tables.add(Table.MEL);
    }
    if (segments && selection.classic().stream().anyMatch(f -> f.dimension() > 0)) {
      tables.add(Table.FRAMES);
    }
    if (tagging != null) {
      tables.add(Table.PREDICTIONS);
      if (options.getPatchesTable()) {
        tables.add(Table.PATCHES);
      }
    }
    return new AnalyzeAudio(
        new AnalyzeFileFn(settings, !melOutput.equals("none"), segments ? options.getSegmentSeconds() : null,
            options.getProgressIntervalSeconds(), tagging, options.getMaxSecondsPerFile(), jobStartMillis),
        List.copyOf(tables));
  }

  @Override
  public PCollectionTuple expand(PCollection<MatchResult.Metadata> files) {
    TupleTagList others = TupleTagList.empty();
    for (Table table : OUTPUTS) {
      if (table != Table.TRACKS) {
        others = others.and(table.tag());
      }
    }
    PCollectionTuple rows = files.apply("AnalyzeFiles",
        ParDo.of(analyzeFn).withOutputTags(Table.TRACKS.tag(), others));
    PCollectionTuple selected = PCollectionTuple.empty(files.getPipeline());
    for (Table table : OUTPUTS) {
      // Every output needs a coder, kept or not.
      PCollection<GenericRecord> tableRows = rows.get(table.tag()).setCoder(AvroCoder.of(table.schema()));
      if (tables.contains(table)) {
        selected = selected.and(table.tag(), tableRows);
      }
    }
    return selected;
  }
}
