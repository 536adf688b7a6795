package io.audioflow.transforms.beam;

import io.audioflow.models.ModelStore;
import io.audioflow.transforms.analysis.AnalysisException;
import io.audioflow.transforms.analysis.TimeBudget;
import io.audioflow.transforms.files.LocalFiles;
import io.audioflow.transforms.separation.OnnxSeparationModel;
import io.audioflow.transforms.separation.SeparationException;
import io.audioflow.transforms.separation.TrackSeparator;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * What a separating DoFn instance holds from {@code @Setup} to {@code @Teardown}: the model (sessions and batchers
 * shared with the JVM), a {@link TrackSeparator} and the file time budget. A file or span past its budget is
 * abandoned with the resources it used (its thread releases them when, if ever, it returns), and the next one gets
 * fresh ones over the same shared sessions.
 */
final class SeparationWorker implements AutoCloseable {
  /** A file's separation, given its open channel. */
  @FunctionalInterface
  interface Work<T> {
    T run(TrackSeparator separator, ReadableByteChannel channel)
        throws AnalysisException, SeparationException, IOException;
  }

  /** What one file's separation uses and changes (the cores' buffers, resamplers): abandoned with the file. */
  private static final class Resources implements AutoCloseable {
    final OnnxSeparationModel model;
    final TrackSeparator separator;

    Resources(SeparationConfig config) {
      // One session (and batcher) per core per JVM, shared by every DoFn instance and thread.
      model = new OnnxSeparationModel(config.bag(), ModelStore.defaultStore(), config.device(),
          config.requireDevice(), config.intraOpThreads(), config.settings().chunking().batchSize(),
          config.batchWaitMillis());
      separator = new TrackSeparator(model.model(), config.settings());
    }

    @Override
    public void close() {
      try (OnnxSeparationModel m = model; TrackSeparator s = separator) {
        // closes both, the separator first, even when one fails
      }
    }
  }

  private final SeparationConfig config;
  private final TimeBudget budget;
  private Resources resources;

  SeparationWorker(SeparationConfig config) {
    this.config = config;
    this.budget = new TimeBudget(config.maxSecondsPerFile());
    this.resources = new Resources(config);
  }

  /**
   * Runs {@code work} on {@code file} within the time budget, which grows with the audio decoded up to
   * {@code budgetAudioSeconds} (a span's end: decoding before a span costs little). {@code work} writes its local
   * files under {@code directory}; when the file is abandoned, its thread deletes them, else the caller does.
   *
   * @throws Exception an {@link AnalysisException} (the file's own, or TIMEOUT), or what {@code work} throws
   */
  <T> T separate(MatchResult.Metadata file, double budgetAudioSeconds, Path directory, Work<T> work)
      throws Exception {
    Resources current = resources;
    try {
      return budget.run("open", stage -> {
        try (ReadableByteChannel channel = FileSystems.open(file.resourceId())) {
          stage.set("separate");
          return work.run(current.separator, channel);
        }
      }, () -> {
        current.close();
        LocalFiles.deleteTree(directory);
      }, () -> (long) (Math.min(current.separator.decodedSeconds(), budgetAudioSeconds)
          * config.secondsPerAudioSecond() * 1e9));
    } finally {
      if (budget.abandoned()) {
        resources = new Resources(config); // the abandoned thread closes the old ones
      }
    }
  }

  /** Whether the last {@link #separate} abandoned its file (its thread then deletes the directory). */
  boolean abandoned() {
    return budget.abandoned();
  }

  @Override
  public void close() {
    resources.close();
    budget.close();
  }
}
