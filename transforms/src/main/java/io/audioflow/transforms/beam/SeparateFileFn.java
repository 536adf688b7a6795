package io.audioflow.transforms.beam;

import io.audioflow.models.ModelStore;
import io.audioflow.models.SeparationBag;
import io.audioflow.transforms.analysis.AnalysisException;
import io.audioflow.transforms.analysis.ErrorClass;
import io.audioflow.transforms.analysis.TimeBudget;
import io.audioflow.transforms.files.LocalFiles;
import io.audioflow.transforms.separation.OnnxSeparationModel;
import io.audioflow.transforms.separation.SeparationException;
import io.audioflow.transforms.separation.TrackSeparator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thin DoFn around {@link TrackSeparator}: one file in, one {@code stems} row per source out, the stems copied to
 * {@code <stemsOutput>/<track_id>/<source>.<ext>} (named from the content hash only, so a re-run overwrites them).
 * A file that does not decode yields nothing here: {@link AnalyzeFileFn} already writes its {@code errors} row. A
 * decodable file whose separation fails (model error, stem write error) still gets one row per source, with
 * {@code stem_uri} null and {@code error} set, so the job never loses a track silently.
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

  private static final Logger LOG = LoggerFactory.getLogger(SeparateFileFn.class);
  private static final String NAMESPACE = "audioflow";

  private final SeparationBag bag;
  private final String stemsOutput;
  private final TrackSeparator.Settings settings;
  private final int intraOpThreads;
  private final Counter separated = Metrics.counter(NAMESPACE, "separation_tracks");
  private final Counter failed = Metrics.counter(NAMESPACE, "separation_failures");

  private final double maxSecondsPerFile;
  private final double secondsPerAudioSecond;

  private transient String modelSha256;
  private transient Separation separation;
  private transient TimeBudget budget;

  /**
   * What one file's separation uses and changes (the cores' bound tensors, resamplers): abandoned with the file when
   * it runs past its time budget, so the next file gets its own over the same shared sessions.
   */
  private static final class Separation implements AutoCloseable {
    final OnnxSeparationModel model;
    final TrackSeparator separator;

    Separation(SeparationBag bag, TrackSeparator.Settings settings, int intraOpThreads) {
      // One session per core per JVM, shared by every DoFn instance and thread (ONNX Runtime's run is thread-safe).
      model = new OnnxSeparationModel(bag, ModelStore.defaultStore(), intraOpThreads);
      separator = new TrackSeparator(model.model(), settings);
    }

    @Override
    public void close() {
      try (OnnxSeparationModel m = model; TrackSeparator s = separator) {
        // closes both, the separator first, even when one fails
      }
    }
  }

  /**
   * @param bag the separation model, read and checked when the job was built
   * @param intraOpThreads ONNX Runtime intra-op threads of each shared session (0: one per core)
   * @param maxSecondsPerFile the fixed part of a file's time budget (0: no budget)
   * @param secondsPerAudioSecond the budget's growth per second of audio decoded
   */
  public SeparateFileFn(SeparationBag bag, String stemsOutput, TrackSeparator.Settings settings,
      int intraOpThreads, double maxSecondsPerFile, double secondsPerAudioSecond) {
    this.bag = bag;
    this.stemsOutput = stemsOutput;
    this.settings = settings;
    this.intraOpThreads = intraOpThreads;
    this.maxSecondsPerFile = maxSecondsPerFile;
    this.secondsPerAudioSecond = secondsPerAudioSecond;
  }

  @Setup
  public void setup() {
    separation = new Separation(bag, settings, intraOpThreads);
    budget = new TimeBudget(maxSecondsPerFile);
    modelSha256 = bag.sha256();
  }

  @ProcessElement
  public void process(ProcessContext c) throws IOException {
    MatchResult.Metadata file = c.element();
    if (file.resourceId().isDirectory()) {
      return;
    }
    String uri = file.resourceId().toString();
    Path work = Files.createTempDirectory("audioflow-stems-");
    Separation current = separation;
    try {
      TrackSeparator.Result result = budget.run("open", stage -> {
        try (ReadableByteChannel channel = FileSystems.open(file.resourceId())) {
          stage.set("separate");
          return current.separator.separate(channel, file.sizeBytes(), uri, work);
        }
      }, () -> {
        current.close();
        LocalFiles.deleteTree(work);
      }, () -> (long) (current.separator.decodedSeconds() * secondsPerAudioSecond * 1e9));
      ResourceId trackDir = FileSystems.matchNewResource(stemsOutput, true)
          .resolve(result.sha256(), StandardResolveOptions.RESOLVE_DIRECTORY);
      // Every stem is copied before any row goes out: a failed copy gives error rows only, never both.
      List<String> targets = copyStems(
          result.stems().stream().map(TrackSeparator.Stem::file).toList(), trackDir, settings.format().mimeType());
      for (int s = 0; s < targets.size(); s++) {
        TrackSeparator.Stem stem = result.stems().get(s);
        c.output(row(result.sha256(), uri, stem.source(), targets.get(s), stem, null));
      }
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
      if (budget.abandoned()) {
        separation = new Separation(bag, settings, intraOpThreads); // the abandoned thread closes the old one
      } else {
        LocalFiles.deleteTree(work);
      }
    }
  }

  /** A decodable file whose separation failed: one row per source with the error, so no track is lost silently. */
  private void failed(ProcessContext c, String uri, String error) {
    failed.inc();
    LOG.warn("separation failed for {}: {}", uri, error);
    for (String source : bag.sources()) {
      c.output(row(null, uri, source, null, null, error));
    }
  }

  private GenericRecord row(String trackId, String uri, String source, String stemUri, TrackSeparator.Stem stem,
      String error) {
    GenericData.Record r = new GenericData.Record(STEMS);
    r.put("track_id", trackId);
    r.put("uri", uri);
    r.put("source", source);
    r.put("stem_uri", stemUri);
    r.put("sample_rate", bag.sampleRate());
    if (stem != null) {
      r.put("duration_seconds", stem.durationSeconds());
      r.put("integrated_lufs", stem.integratedLufs());
      r.put("true_peak_dbtp", stem.truePeakDbtp());
      r.put("rms", stem.rms());
      r.put("mix_energy_share", stem.mixEnergyShare());
    }
    r.put("model_name", bag.name());
    r.put("model_sha256", modelSha256);
    r.put("error", error);
    return r;
  }

  /**
   * Copies the local stem files into {@code trackDir} under their own names and returns the targets' URIs. When one
   * fails, the targets already created are deleted (best effort) before the exception goes on: the track gets error
   * rows, so stems left there would belong to no row.
   */
  static List<String> copyStems(List<Path> stems, ResourceId trackDir, String mimeType) throws IOException {
    List<ResourceId> created = new ArrayList<>();
    try {
      for (Path stem : stems) {
        ResourceId target = trackDir.resolve(stem.getFileName().toString(), StandardResolveOptions.RESOLVE_FILE);
        try (InputStream in = Files.newInputStream(stem);
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
    if (separation != null) {
      separation.close();
      separation = null;
    }
    if (budget != null) {
      budget.close();
    }
  }
}
