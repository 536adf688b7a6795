package io.audioflow.transforms.beam;

import io.audioflow.models.ModelStore;
import io.audioflow.transforms.analysis.AnalysisException;
import io.audioflow.transforms.analysis.ErrorClass;
import io.audioflow.transforms.analysis.FeatureSegmentSpill;
import io.audioflow.transforms.analysis.MelSegmentSpill;
import io.audioflow.transforms.analysis.TimeBudget;
import io.audioflow.transforms.analysis.TrackAnalysis;
import io.audioflow.transforms.analysis.TrackAnalyzer;
import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.mel.MelFrameListener;
import io.audioflow.transforms.tagging.Prediction;
import io.audioflow.transforms.tagging.TaggingRuntime;
import io.audioflow.transforms.tagging.TaggingSettings;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.NoSuchFileException;
import java.nio.channels.ReadableByteChannel;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Thin DoFn around {@link TrackAnalyzer}: one input file in, exactly one {@code tracks} or {@code errors} row out
 * (plus {@code mel} segments when asked). Nothing a file contains can fail the bundle: every failure becomes an
 * error row with its class and message.
 */
public class AnalyzeFileFn extends DoFn<MatchResult.Metadata, GenericRecord> {
  private static final String NAMESPACE = "audioflow";

  private final TrackAnalyzer.Settings settings;
  private final boolean melSummary;
  private final Double segmentSeconds;
  private final long progressIntervalSeconds;
  private final TaggingSettings tagging;
  private final double maxSecondsPerFile;
  private final long jobStartMillis;

  private final Counter tracks = Metrics.counter(NAMESPACE, "files_tracks");
  private final Counter errors = Metrics.counter(NAMESPACE, "files_errors");
  private final Counter audioMillis = Metrics.counter(NAMESPACE, "audio_milliseconds");
  private final Counter bytes = Metrics.counter(NAMESPACE, "bytes_read");
  /** Per finished file, milliseconds since the job started: its minimum is the time to the first finished file. */
  private final Distribution finishedAfterStart = Metrics.distribution(NAMESPACE, "file_finished_ms_after_start");
  private final StageTime decodeTime = new StageTime("decode");
  private final StageTime resampleTime = new StageTime("resample");
  private final StageTime melTime = new StageTime("mel");
  private final StageTime loudnessTime = new StageTime("loudness");
  private final StageTime featuresTime = new StageTime("features");

  private transient Resources resources;
  private transient TimeBudget budget;
  private transient Progress progress;

  /**
   * What one file's analysis uses and changes: abandoned with the file when it runs past its time budget (its thread
   * may still hold them), so the next file gets new ones.
   */
  private static final class Resources implements AutoCloseable {
    final TrackAnalyzer analyzer;
    final TaggingRuntime tagger;
    final MelSegmentSpill melSpill; // null when no segment is written
    final FeatureSegmentSpill featureSpill;

    Resources(TrackAnalyzer.Settings settings, Double segmentSeconds, TaggingSettings tagging) {
      analyzer = new TrackAnalyzer(settings);
      melSpill = segmentSeconds == null ? null : new MelSegmentSpill(segmentSeconds);
      featureSpill = segmentSeconds == null ? null : new FeatureSegmentSpill(segmentSeconds);
      // Leases on the JVM-wide shared sessions: the first instance in this JVM creates them.
      tagger = tagging == null ? null : TaggingRuntime.open(tagging, ModelStore.defaultStore());
      analyzer.setMelRateAudioListener(tagger == null ? null : tagger.essentiaInput());
    }

    /** The listener of each file's mel frames: the mel table's spill, the tagger, both, or null. */
    Function<MelConfig, MelFrameListener> melListeners() {
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

    void discardSpills() {
      if (melSpill != null) {
        try {
          melSpill.discard();
        } finally {
          featureSpill.discard();
        }
      }
    }

    @Override
    public void close() {
      try (TrackAnalyzer a = analyzer; TaggingRuntime t = tagger; MelSegmentSpill m = melSpill;
          FeatureSegmentSpill f = featureSpill) {
        // closes each, in reverse order, even when one fails
      }
    }
  }

  /** A file's analysis and its models' predictions, computed within the time budget. */
  private record Analyzed(TrackAnalysis track, List<Prediction> predictions) {}

  /**
   * @param segmentSeconds length of {@code mel} and {@code frames} table segments, or null when they are not written
   * @param melSummary whether {@code tracks} rows carry the per-band mel mean and standard deviation
   * @param tagging the models that tag each track into the {@code predictions} table from its musicnn-preset mel
   *     frames or, for Essentia's front end, its 16 kHz stream; or null for none
   * @param maxSecondsPerFile the time budget of one file's analysis (0: none); past it the file ends as TIMEOUT
   * @param jobStartMillis when the job started (epoch milliseconds), for {@code file_finished_ms_after_start}
   */
  public AnalyzeFileFn(
      TrackAnalyzer.Settings settings,
      boolean melSummary,
      Double segmentSeconds,
      long progressIntervalSeconds,
      TaggingSettings tagging,
      double maxSecondsPerFile,
      long jobStartMillis) {
    this.settings = settings;
    this.melSummary = melSummary;
    this.segmentSeconds = segmentSeconds;
    this.progressIntervalSeconds = progressIntervalSeconds;
    this.tagging = tagging;
    this.maxSecondsPerFile = maxSecondsPerFile;
    this.jobStartMillis = jobStartMillis;
  }

  @Setup
  public void setup() {
    resources = new Resources(settings, segmentSeconds, tagging);
    budget = new TimeBudget(maxSecondsPerFile);
    progress = Progress.start(progressIntervalSeconds);
  }

  @ProcessElement
  public void process(ProcessContext c) {
    MatchResult.Metadata file = c.element();
    String uri = file.resourceId().toString();
    Instant now = Instant.now();
    if (file.resourceId().isDirectory()) {
      emitError(c, file, now, new AnalysisException(ErrorClass.NOT_A_FILE, "match", "a directory, not a file"));
      return;
    }
    Resources r = resources;
    try {
      Analyzed analyzed = budget.run("open", stage -> analyze(file, uri, r, stage), r::close);
      TrackAnalysis t = analyzed.track();
      String trackId = t.decode().sha256();
      c.output(Table.TRACKS.tag(), Rows.withSourceModified(
          Rows.track(uri, file.sizeBytes(), melSummary ? t : t.withoutMelSummary(), now),
          file.lastModifiedMillis()));
      for (Prediction p : analyzed.predictions()) {
        c.output(Table.PREDICTIONS.tag(), Rows.prediction(trackId, uri, p, tagging.topK()));
        if (p.patchProbabilities() != null) {
          for (GenericRecord row : Rows.patches(trackId, uri, p, tagging.patchHop())) {
            c.output(Table.PATCHES.tag(), row);
          }
        }
      }
      if (r.melSpill != null && r.melSpill.config() != null) {
        r.melSpill.replay(
            (index, start, frames, values) ->
                c.output(Table.MEL.tag(),
                    Rows.melSegment(trackId, uri, r.melSpill.config(), index, start, frames, values)));
      }
      if (r.featureSpill != null && r.featureSpill.layout() != null) {
        r.featureSpill.replay(
            (index, start, frames, values) ->
                c.output(Table.FRAMES.tag(), Rows.featureSegment(
                    trackId, uri, r.featureSpill.sampleRate(), r.featureSpill.layout(), index, start, frames,
                    values)));
      }
      tracks.inc();
      audioMillis.inc(Math.round(t.durationSeconds() * 1000));
      bytes.inc(t.decode().bytesRead());
      decodeTime.add(t.times().decodeNanos());
      resampleTime.add(t.times().resampleNanos());
      melTime.add(t.times().melNanos());
      loudnessTime.add(t.times().loudnessNanos());
      featuresTime.add(t.times().featuresNanos());
      finished(t.durationSeconds(), false);
    } catch (AnalysisException e) {
      emitError(c, file, now, e);
    } catch (RuntimeException e) {
      emitError(
          c,
          file,
          now,
          new AnalysisException(ErrorClass.INTERNAL, "analyze", e.getClass().getName() + ": " + e.getMessage()));
    } finally {
      if (budget.abandoned()) {
        resources = new Resources(settings, segmentSeconds, tagging); // the abandoned thread closes the old ones
      } else {
        r.discardSpills();
      }
    }
  }

  /** Opens, decodes and analyses the file and runs its models: the part that runs within the time budget. */
  private static Analyzed analyze(MatchResult.Metadata file, String uri, Resources r, TimeBudget.Stage stage)
      throws AnalysisException {
    if (r.tagger != null) {
      r.tagger.start();
    }
    try (ReadableByteChannel channel = FileSystems.open(file.resourceId())) {
      stage.set("analyze");
      TrackAnalysis t = r.analyzer.analyze(channel, file.sizeBytes(), uri, r.melListeners(), r.featureSpill);
      stage.set("tagging");
      // Before the tracks row: an inference failure makes the file an error row, never both.
      return new Analyzed(t, r.tagger == null ? List.of() : r.tagger.finish());
    } catch (IOException e) {
      throw readFailure(file, e);
    }
  }

  /**
   * A failure to open or read: NOT_FOUND when the file is not there (never was, or vanished since it was matched),
   * else UNREADABLE with the filesystem's message.
   */
  private static AnalysisException readFailure(MatchResult.Metadata file, IOException e) {
    String message = e.getClass().getSimpleName() + ": " + e.getMessage();
    if (e instanceof NoSuchFileException || (e instanceof FileNotFoundException && !exists(file.resourceId()))) {
      return new AnalysisException(ErrorClass.NOT_FOUND, "open", message);
    }
    return new AnalysisException(ErrorClass.UNREADABLE, "read", message);
  }

  private static boolean exists(ResourceId resource) {
    try {
      return FileSystems.match(List.of(resource.toString())).get(0).status() != MatchResult.Status.NOT_FOUND;
    } catch (IOException e) {
      return true; // cannot tell: report the original failure as it is
    }
  }

  @Teardown
  public void teardown() {
    if (resources != null) {
      resources.close();
      resources = null;
    }
    if (budget != null) {
      budget.close();
    }
  }

  private void emitError(ProcessContext c, MatchResult.Metadata file, Instant now, AnalysisException e) {
    c.output(
        Table.ERRORS.tag(),
        Rows.withSourceModified(
            Rows.error(file.resourceId().toString(), file.sizeBytes(), e, now), file.lastModifiedMillis()));
    errors.inc();
    Metrics.counter(NAMESPACE, "errors_" + e.errorClass().name()).inc();
    finished(0, true);
  }

  private void finished(double audioSeconds, boolean error) {
    progress.fileDone(audioSeconds, error);
    finishedAfterStart.update(System.currentTimeMillis() - jobStartMillis);
  }

  /**
   * One stage's time per track: a distribution {@code stage_<name>_ms} (count, sum, min, max per file) and a counter
   * {@code stage_<name>_ms_total} of the same milliseconds. The counter is what Flink's Prometheus reporter can export
   * (the Flink runner hands distributions to Flink as gauges of a non-numeric value, which the reporter shows as 0).
   */
  private static final class StageTime implements Serializable {
    private final Distribution perFile;
    private final Counter total;

    StageTime(String name) {
      perFile = Metrics.distribution(NAMESPACE, "stage_" + name + "_ms");
      total = Metrics.counter(NAMESPACE, "stage_" + name + "_ms_total");
    }

    void add(long nanos) {
      perFile.update(nanos / 1_000_000);
      total.inc(nanos / 1_000_000);
    }
  }
}
