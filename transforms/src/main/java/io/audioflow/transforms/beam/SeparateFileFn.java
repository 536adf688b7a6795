package io.audioflow.transforms.beam;

import io.audioflow.transforms.analysis.AnalysisException;
import io.audioflow.transforms.analysis.ErrorClass;
import io.audioflow.transforms.files.LocalFiles;
import io.audioflow.transforms.separation.SeparationSpan;
import io.audioflow.transforms.separation.TrackSeparator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thin DoFn around {@link TrackSeparator}: one file in, one {@code stems} row per source out, the stems copied to
 * {@code <stemsOutput>/<track_id>/<source>.<ext>} (named from the content hash only, so a re-run overwrites them).
 * A file whose header declares it longer than {@code --separationSpanSeconds} is not separated here: its spans go to
 * {@link #SPANS}, for {@link SeparateSpanFn} and {@link AssembleStemsFn}. A file that does not decode yields nothing
 * here: {@link AnalyzeFileFn} already writes its {@code errors} row. A decodable file whose separation fails (model
 * error, stem write error) still gets one row per source, with {@code stem_uri} null and {@code error} set, so the
 * job never loses a track silently.
 */
public class SeparateFileFn extends DoFn<MatchResult.Metadata, GenericRecord> {
  public static final Schema STEMS =
      SchemaBuilder.record("Stem").namespace("io.audioflow").fields()
          .optionalString("track_id")
          .requiredString("uri")
          .requiredString("source")
          .optionalString("stem_uri")
          .requiredInt("sample_rate")
          .optionalDouble("duration_seconds")
          .optionalDouble("integrated_lufs")
          .optionalDouble("true_peak_dbtp")
          .optionalDouble("rms")
          .optionalDouble("mix_energy_share")
          .requiredString("model_name")
          .requiredString("model_sha256")
          .optionalString("error")
          .endRecord();

  /** The main output: {@code stems} rows of the files separated whole. */
  public static final TupleTag<GenericRecord> ROWS = new TupleTag<>() {};
  /** The spans of the files too long to separate in one piece. */
  public static final TupleTag<KV<MatchResult.Metadata, SeparationSpan>> SPANS = new TupleTag<>() {};

  private static final Logger LOG = LoggerFactory.getLogger(SeparateFileFn.class);
  static final String NAMESPACE = "audioflow";

  private final SeparationConfig config;
  private final String stemsOutput;
  private final double spanSeconds;
  private final Counter separated = Metrics.counter(NAMESPACE, "separation_tracks");
  private final Counter failed = Metrics.counter(NAMESPACE, "separation_failures");
  private final Counter split = Metrics.counter(NAMESPACE, "separation_split_tracks");

  private transient SeparationWorker worker;
  private transient StemRows rows;

  /** @param spanSeconds files declaring more audio than this are split into spans (0: never) */
  public SeparateFileFn(SeparationConfig config, String stemsOutput, double spanSeconds) {
    this.config = config;
    this.stemsOutput = stemsOutput;
    this.spanSeconds = spanSeconds;
  }

  @Setup
  public void setup() {
    worker = new SeparationWorker(config);
    rows = new StemRows(config.bag());
  }

  @ProcessElement
  public void process(ProcessContext c) throws IOException {
    MatchResult.Metadata file = c.element();
    if (file.resourceId().isDirectory()) {
      return;
    }
    String uri = file.resourceId().toString();
    Path work = Files.createTempDirectory("audioflow-stems-");
    try {
      TrackSeparator.Outcome outcome = worker.separate(file, Double.POSITIVE_INFINITY, work,
          (separator, channel) -> separator.separate(channel, file.sizeBytes(), uri, work, spanSeconds));
      if (outcome instanceof TrackSeparator.Split parts) {
        parts.spans().forEach(span -> c.output(SPANS, KV.of(file, span)));
        split.inc();
        return;
      }
      TrackSeparator.Result result = (TrackSeparator.Result) outcome;
      ResourceId trackDir = trackDirectory(stemsOutput, result.sha256());
      // Every stem is copied before any row goes out: a failed copy gives error rows only, never both.
      List<String> targets = copyStems(
          result.stems().stream().map(TrackSeparator.Stem::file).toList(), trackDir, config.settings().format()
              .mimeType());
      rows.separated(result.sha256(), uri, result.stems(), targets).forEach(c::output);
      separated.inc();
    } catch (AnalysisException e) {
      if (e.errorClass() == ErrorClass.TIMEOUT) {
        failed(c, uri, "TIMEOUT: " + e.getMessage());
      } else {
        LOG.debug("{} does not decode; its errors row comes from AnalyzeFileFn: {}", uri, e.getMessage());
      }
    } catch (Exception e) { // SeparationException, IOException, RuntimeException
      failed(c, uri, e.getClass().getSimpleName() + ": " + e.getMessage());
    } finally {
      if (!worker.abandoned()) {
        LocalFiles.deleteTree(work);
      }
    }
  }

  private void failed(ProcessContext c, String uri, String error) {
    failed.inc();
    LOG.warn("separation failed for {}: {}", uri, error);
    rows.failed(uri, error).forEach(c::output);
  }

  /** {@code <stemsOutput>/<track_id>/}. */
  static ResourceId trackDirectory(String stemsOutput, String trackId) {
    return FileSystems.matchNewResource(stemsOutput, true)
        .resolve(trackId, StandardResolveOptions.RESOLVE_DIRECTORY);
  }

  /**
   * Copies the local stem files into {@code trackDir} under their own names and returns the targets' URIs. When one
   * fails, the targets already created are deleted (best effort) before the exception goes on: the track gets error
   * rows, so stems left there would belong to no row.
   */
  static List<String> copyStems(List<Path> stems, ResourceId trackDir, String mimeType) throws IOException {
    return copy(stems, stems.stream()
        .map(stem -> trackDir.resolve(stem.getFileName().toString(), StandardResolveOptions.RESOLVE_FILE)).toList(),
        mimeType);
  }

  /** Copies each local file to its target, all or none (as {@link #copyStems}); returns the targets' URIs. */
  static List<String> copy(List<Path> files, List<ResourceId> targets, String mimeType) throws IOException {
    List<ResourceId> created = new ArrayList<>();
    try {
      for (int i = 0; i < files.size(); i++) {
        ResourceId target = targets.get(i);
        try (InputStream in = Files.newInputStream(files.get(i));
            WritableByteChannel out = FileSystems.create(target, mimeType)) {
          created.add(target);
          in.transferTo(Channels.newOutputStream(out));
        }
      }
    } catch (IOException | RuntimeException e) {
      try {
        FileSystems.delete(created, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      } catch (IOException | RuntimeException deleteFailure) {
        LOG.warn("could not delete the stems {} of a failed copy: {}", created, deleteFailure.getMessage());
      }
      throw e;
    }
    return created.stream().map(ResourceId::toString).toList();
  }

  @Teardown
  public void teardown() {
    if (worker != null) {
      worker.close();
      worker = null;
    }
  }
}
