package io.audioflow.pipeline;

import io.audioflow.models.InferenceDevice;
import io.audioflow.models.ModelStore;
import io.audioflow.models.SeparationBag;
import io.audioflow.transforms.beam.AssembleStemsFn;
import io.audioflow.transforms.beam.SeparateFileFn;
import io.audioflow.transforms.beam.SeparateSpanFn;
import io.audioflow.transforms.beam.SeparationConfig;
import io.audioflow.transforms.beam.SpanResult;
import io.audioflow.transforms.beam.Table;
import io.audioflow.transforms.separation.ChunkedSeparator;
import io.audioflow.transforms.separation.OnnxSeparationModel;
import io.audioflow.transforms.separation.SeparationSpan;
import io.audioflow.transforms.separation.StemFormat;
import io.audioflow.transforms.separation.TrackSeparator;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The {@code --separate} branch: files through {@link SeparateFileFn} into {@code stems} rows and stem files. A file
 * longer than {@code --separationSpanSeconds} leaves it as spans, which are reshuffled over the workers like files
 * ({@link SeparateSpanFn}: parts under the stems output), grouped by file and assembled ({@link AssembleStemsFn}:
 * the stem files and rows, the parts deleted).
 */
final class SeparateStems extends PTransform<PCollection<MatchResult.Metadata>, PCollection<GenericRecord>> {
  private final SeparationConfig config;
  private final String stemsOutput;
  private final double spanSeconds;

  private SeparateStems(SeparationConfig config, String stemsOutput, double spanSeconds) {
    this.config = config;
    this.stemsOutput = stemsOutput;
    this.spanSeconds = spanSeconds;
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
    SeparationConfig config = new SeparationConfig(SeparationBag.read(options.getSeparationModel()), settings,
        InferenceDevice.parse(options.getInferenceDevice()), options.getRequireDevice(),
        options.getSeparationThreads(), options.getSeparationBatchWaitMillis(), options.getMaxSecondsPerFile(),
        options.getSeparationSecondsPerAudioSecond());
    // Fetched, verified and loaded (on the device asked for, or failing here when it is required and unusable); while
    // the sessions stay open, this JVM's workers lease them rather than load again.
    new OnnxSeparationModel(config.bag(), ModelStore.defaultStore(), config.device(), config.requireDevice(),
        config.intraOpThreads(), 1, 0).close();
    return new SeparateStems(config, stemsOutput(options), options.getSeparationSpanSeconds());
  }

  @Override
  public PCollection<GenericRecord> expand(PCollection<MatchResult.Metadata> files) {
    AvroCoder<GenericRecord> rowCoder = AvroCoder.of(Table.STEMS.schema());
    PCollectionTuple separated = files.apply("SeparateFiles",
        ParDo.of(new SeparateFileFn(config, stemsOutput, spanSeconds))
            .withOutputTags(SeparateFileFn.ROWS, TupleTagList.of(SeparateFileFn.SPANS)));
    PCollection<GenericRecord> rows = separated.get(SeparateFileFn.ROWS).setCoder(rowCoder);
    if (spanSeconds == 0) {
      return rows;
    }
    PCollection<GenericRecord> assembled = separated.get(SeparateFileFn.SPANS)
        .setCoder(KvCoder.of(MetadataCoderV2.of(), SerializableCoder.of(SeparationSpan.class)))
        .apply("SpreadSpans", Reshuffle.viaRandomKey())
        .apply("SeparateSpans", ParDo.of(new SeparateSpanFn(config, stemsOutput)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(SpanResult.class)))
        .apply("GroupSpans", GroupByKey.create())
        .apply("AssembleStems", ParDo.of(new AssembleStemsFn(config.bag(), config.settings().format(), stemsOutput)))
        .setCoder(rowCoder);
    return PCollectionList.of(rows).and(assembled).apply("StemsRows", Flatten.pCollections());
  }

  private static String stemsOutput(AudioflowOptions options) {
    if (options.getStemsOutput() != null && !options.getStemsOutput().isBlank()) {
      return options.getStemsOutput();
    }
    return FileSystems.matchNewResource(options.getOutput(), true)
        .resolve("stem_files", StandardResolveOptions.RESOLVE_DIRECTORY).toString();
  }
}
