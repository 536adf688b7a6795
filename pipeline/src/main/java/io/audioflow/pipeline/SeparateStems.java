package io.audioflow.pipeline;

import io.audioflow.models.ModelStore;
import io.audioflow.models.SeparationBag;
import io.audioflow.transforms.beam.SeparateFileFn;
import io.audioflow.transforms.beam.Table;
import io.audioflow.transforms.separation.ChunkedSeparator;
import io.audioflow.transforms.separation.OnnxSeparationModel;
import io.audioflow.transforms.separation.StemFormat;
import io.audioflow.transforms.separation.TrackSeparator;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/** The {@code --separate} branch: files through {@link SeparateFileFn} into {@code stems} rows and stem files. */
final class SeparateStems extends PTransform<PCollection<MatchResult.Metadata>, PCollection<GenericRecord>> {
  private final SeparateFileFn separate;

  private SeparateStems(SeparateFileFn separate) {
    this.separate = separate;
  }

  /**
   * The step for {@code options}, checked when the job is built, before any file is matched: the manifest is read
   * and every model of the bag fetched, checked against its SHA-256 and loaded once (the session stays shared with
   * this JVM's workers), so a bad {@code --separationModel} fails the job here, naming the file.
   *
   * @throws io.audioflow.models.ModelException naming a missing, corrupt or unsupported manifest or model
   */
  static SeparateStems from(AudioflowOptions options) {
    TrackSeparator.Settings settings = new TrackSeparator.Settings(
        new ChunkedSeparator.Settings(options.getOverlap(), options.getShifts(), options.getSeparationBatchSize(), 0),
        StemFormat.parse(options.getStemFormat()), options.getMaxDurationSeconds(),
        options.getMaxCorruptPackets());
    SeparationBag bag = SeparationBag.read(options.getSeparationModel());
    // Fetched, verified and loaded; while the sessions stay open, this JVM's workers lease them rather than load again.
    new OnnxSeparationModel(bag, ModelStore.defaultStore(), options.getSeparationThreads()).close();
    return new SeparateStems(
        new SeparateFileFn(bag, stemsOutput(options), settings, options.getSeparationThreads(),
            options.getMaxSecondsPerFile(), options.getSeparationSecondsPerAudioSecond()));
  }

  @Override
  public PCollection<GenericRecord> expand(PCollection<MatchResult.Metadata> files) {
    return files.apply("SeparateFiles", ParDo.of(separate)).setCoder(AvroCoder.of(Table.STEMS.schema()));
  }

  private static String stemsOutput(AudioflowOptions options) {
    if (options.getStemsOutput() != null && !options.getStemsOutput().isBlank()) {
      return options.getStemsOutput();
    }
    return FileSystems.matchNewResource(options.getOutput(), true)
        .resolve("stem_files", StandardResolveOptions.RESOLVE_DIRECTORY).toString();
  }
}
