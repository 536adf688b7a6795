package io.audioflow.transforms.beam;

import io.audioflow.models.ModelStore;
import io.audioflow.transforms.analysis.AnalysisException;
import io.audioflow.transforms.analysis.ErrorClass;
import io.audioflow.transforms.analysis.FeatureSegmentSpill;
import io.audioflow.transforms.analysis.MelSegmentSpill;
import io.audioflow.transforms.analysis.TrackAnalysis;
import io.audioflow.transforms.analysis.TrackAnalyzer;
import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.mel.MelFrameListener;
import io.audioflow.transforms.tagging.Prediction;
import io.audioflow.transforms.tagging.TaggingRuntime;
import io.audioflow.transforms.tagging.TaggingSettings;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Thin DoFn around {@link TrackAnalyzer}: one input file in, exactly one {@code tracks} or {@code errors} row out
 * (plus {@code mel} segments when asked). Nothing a file contains can fail the bundle: every failure becomes an
 * error row with its class and message.
 */
public class AnalyzeFileFn extends DoFn<MatchResult.Metadata, GenericRecord> {
  public static final TupleTag<GenericRecord> TRACKS = new TupleTag<>() {};
  public static final TupleTag<GenericRecord> ERRORS = new TupleTag<>() {};
  public static final TupleTag<GenericRecord> MEL = new TupleTag<>() {};
  public static final TupleTag<GenericRecord> FRAMES = new TupleTag<>() {};
  public static final TupleTag<GenericRecord> PREDICTIONS = new TupleTag<>() {};
  public static final TupleTag<GenericRecord> PATCHES = new TupleTag<>() {};

  private static final String NAMESPACE = "audioflow";

  private final TrackAnalyzer.Settings settings;
  private final Double segmentSeconds;
  private final PCollectionView<Long> totalFiles;
  private final long progressIntervalSeconds;
  private final TaggingSettings tagging;

  private final Counter tracks = Metrics.counter(NAMESPACE, "files_tracks");
  private final Counter errors = Metrics.counter(NAMESPACE, "files_errors");
  private final Counter audioMillis = Metrics.counter(NAMESPACE, "audio_milliseconds");
  private final Counter bytes = Metrics.counter(NAMESPACE, "bytes_read");
  private final Distribution decodeMs = Metrics.distribution(NAMESPACE, "stage_decode_ms");
  private final Distribution resampleMs = Metrics.distribution(NAMESPACE, "stage_resample_ms");
  private final Distribution melMs = Metrics.distribution(NAMESPACE, "stage_mel_ms");
  private final Distribution loudnessMs = Metrics.distribution(NAMESPACE, "stage_loudness_ms");
  private final Distribution featuresMs = Metrics.distribution(NAMESPACE, "stage_features_ms");

  private transient TrackAnalyzer analyzer;
  private transient Progress progress;
  private transient TaggingRuntime tagger;
  private transient MelSegmentSpill melSpill; // null when no segment is written
  private transient FeatureSegmentSpill featureSpill;

  /**
   * @param segmentSeconds length of {@code mel} and {@code frames} table segments, or null when they are not written
   * @param totalFiles how many files the job matched, for the progress line
   */
  public AnalyzeFileFn(
      TrackAnalyzer.Settings settings,
      Double segmentSeconds,
      PCollectionView<Long> totalFiles,
      long progressIntervalSeconds) {
    this(settings, segmentSeconds, totalFiles, progressIntervalSeconds, null);
  }

  /**
   * @param tagging the models that tag each track into the {@code predictions} table from its musicnn-preset mel
   *     frames or, for Essentia's front end, its 16 kHz stream; or null for none
   */
  public AnalyzeFileFn(
      TrackAnalyzer.Settings settings,
      Double segmentSeconds,
      PCollectionView<Long> totalFiles,
      long progressIntervalSeconds,
      TaggingSettings tagging) {
    this.settings = settings;
    this.segmentSeconds = segmentSeconds;
    this.totalFiles = totalFiles;
    this.progressIntervalSeconds = progressIntervalSeconds;
    this.tagging = tagging;
  }

  @Setup
  public void setup() {
    analyzer = new TrackAnalyzer(settings);
    if (segmentSeconds != null) {
      melSpill = new MelSegmentSpill(segmentSeconds);
      featureSpill = new FeatureSegmentSpill(segmentSeconds);
    }
    progress = Progress.start(progressIntervalSeconds);
    // Leases on the JVM-wide shared sessions: the first instance in this JVM creates them.
    tagger = tagging == null ? null : TaggingRuntime.open(tagging, ModelStore.defaultStore());
    analyzer.setMelRateAudioListener(tagger == null ? null : tagger.essentiaInput());
  }

  @ProcessElement
  public void process(ProcessContext c) {
    progress.total(c.sideInput(totalFiles));
    MatchResult.Metadata file = c.element();
    String uri = file.resourceId().toString();
    Instant now = Instant.now();
    if (file.resourceId().isDirectory()) {
      emitError(c, file, now, new AnalysisException(ErrorClass.NOT_A_FILE, "match", "a directory, not a file"));
      return;
    }
    try {
      TrackAnalysis t;
      if (tagger != null) {
        tagger.start();
      }
      try (ReadableByteChannel channel = FileSystems.open(file.resourceId())) {
        t =
            analyzer.analyze(
                channel,
                file.sizeBytes(),
                uri,
                melListeners(),
                featureSpill);
      }
      String trackId = t.decode().sha256();
      // Before the tracks row: an inference failure makes the file an error row, never both.
      List<Prediction> predictions = tagger == null ? List.of() : tagger.finish();
      c.output(TRACKS, Rows.withSourceModified(Rows.track(uri, file.sizeBytes(), t, now), file.lastModifiedMillis()));
      for (Prediction p : predictions) {
        c.output(PREDICTIONS, Rows.prediction(trackId, uri, p, tagging.topK()));
        if (p.patchProbabilities() != null) {
          for (GenericRecord row : Rows.patches(trackId, uri, p, tagging.patchHop())) {
            c.output(PATCHES, row);
          }
        }
      }
      if (melSpill != null && melSpill.config() != null) {
        melSpill.replay(
            (index, start, frames, values) ->
                c.output(MEL, Rows.melSegment(trackId, uri, melSpill.config(), index, start, frames, values)));
      }
      if (featureSpill != null && featureSpill.layout() != null) {
        featureSpill.replay(
            (index, start, frames, values) ->
                c.output(FRAMES, Rows.featureSegment(
                    trackId, uri, featureSpill.sampleRate(), featureSpill.layout(), index, start, frames, values)));
      }
      tracks.inc();
      audioMillis.inc(Math.round(t.durationSeconds() * 1000));
      bytes.inc(t.decode().bytesRead());
      decodeMs.update(t.times().decodeNanos() / 1_000_000);
      resampleMs.update(t.times().resampleNanos() / 1_000_000);
      melMs.update(t.times().melNanos() / 1_000_000);
      loudnessMs.update(t.times().loudnessNanos() / 1_000_000);
      featuresMs.update(t.times().featuresNanos() / 1_000_000);
      progress.fileDone(t.durationSeconds(), false);
    } catch (AnalysisException e) {
      emitError(c, file, now, e);
    } catch (IOException e) {
      emitError(
          c,
          file,
          now,
          new AnalysisException(ErrorClass.UNREADABLE, "read", e.getClass().getSimpleName() + ": " + e.getMessage()));
    } catch (RuntimeException e) {
      emitError(
          c,
          file,
          now,
          new AnalysisException(ErrorClass.INTERNAL, "analyze", e.getClass().getName() + ": " + e.getMessage()));
    } finally {
      if (melSpill != null) {
        try {
          melSpill.discard();
        } finally {
          featureSpill.discard();
        }
      }
    }
  }

  /** The listener of each file's mel frames: the mel table's spill, the tagger, both, or null. */
  private Function<MelConfig, MelFrameListener> melListeners() {
    if (melSpill == null) {
      return tagger == null ? null : config -> tagger;
    }
    return config -> {
      MelSegmentSpill spill = melSpill.start(config);
      return tagger == null ? spill : melPower -> {
        spill.onFrame(melPower);
        tagger.onFrame(melPower);
      };
    };
  }

  @Teardown
  public void teardown() {
    if (tagger != null) {
      tagger.close();
      tagger = null;
    }
    if (analyzer != null) {
      analyzer.close();
    }
    if (melSpill != null) {
      melSpill.close();
      featureSpill.close();
    }
  }

  private void emitError(ProcessContext c, MatchResult.Metadata file, Instant now, AnalysisException e) {
    c.output(
        ERRORS,
        Rows.withSourceModified(
            Rows.error(file.resourceId().toString(), file.sizeBytes(), e, now), file.lastModifiedMillis()));
    errors.inc();
    Metrics.counter(NAMESPACE, "errors_" + e.errorClass().name()).inc();
    progress.fileDone(0, true);
  }
}
