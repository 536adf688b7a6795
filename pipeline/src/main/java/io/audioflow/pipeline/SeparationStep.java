package io.audioflow.pipeline;

import io.audioflow.transforms.beam.SeparateFileFn;
import io.audioflow.transforms.separation.ChunkedSeparator;
import io.audioflow.transforms.separation.StemFormat;
import io.audioflow.transforms.separation.TrackSeparator;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/** The {@code --separate} branch: the spread files through {@link SeparateFileFn} into the {@code stems} table. */
final class SeparationStep {
  private SeparationStep() {}

  static void apply(PCollection<MatchResult.Metadata> files, AudioflowOptions options, String runId, int shards) {
    if (options.getSeparationModel() == null || options.getSeparationModel().isBlank()) {
      throw new IllegalArgumentException("--separate needs --separationModel=<manifest URI>");
    }
    TrackSeparator.Settings settings = new TrackSeparator.Settings(
        new ChunkedSeparator.Settings(options.getOverlap(), options.getShifts(), options.getSeparationBatchSize(), 0),
        StemFormat.parse(options.getStemFormat()), options.getMaxDurationSeconds(),
        options.getMaxCorruptPackets());
    files
        .apply("SeparateFiles", ParDo.of(new SeparateFileFn(options.getSeparationModel(), stemsOutput(options),
            settings, options.getSeparationThreads())))
        .setCoder(AvroCoder.of(SeparateFileFn.STEMS))
        .apply("WriteStems",
            new ParquetTable(AudioflowPipeline.table(options, "stems"), SeparateFileFn.STEMS, runId, shards));
  }

  static String stemsOutput(AudioflowOptions options) {
    if (options.getStemsOutput() != null && !options.getStemsOutput().isBlank()) {
      return options.getStemsOutput();
    }
    return FileSystems.matchNewResource(options.getOutput(), true)
        .resolve("stem_files", StandardResolveOptions.RESOLVE_DIRECTORY).toString();
  }
}
