package io.audioflow.pipeline;

import io.audioflow.models.InferenceDevice;
import io.audioflow.models.ModelStore;
import io.audioflow.models.SessionPolicy;
import io.audioflow.transforms.analysis.TrackAnalyzer;
import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.tagging.LastPatch;
import io.audioflow.transforms.tagging.TaggingSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;

/** The tagging step's settings from the command line; models are fetched and verified here, at job build. */
final class TaggingOptions {
  private TaggingOptions() {}

  /** Whether {@code --models} names any model. */
  static boolean enabled(AudioflowOptions o) {
    return !manifests(o).isEmpty();
  }

  /**
   * The verified models and how to run them, or null without {@code --models}.
   *
   * @throws IllegalArgumentException for a bad option or a mel configuration the models cannot use
   * @throws io.audioflow.models.ModelException naming a missing, corrupt or mismatched model
   */
  static TaggingSettings from(AudioflowOptions o, TrackAnalyzer.Settings analysis) {
    List<String> manifests = manifests(o);
    if (manifests.isEmpty()) {
      return null;
    }
    if (!analysis.selection().mel()
        || analysis.melAtNativeRate()
        || !analysis.mel().withScaling(MelConfig.musicnn().scaling()).equals(MelConfig.musicnn())) {
      throw new IllegalArgumentException("--models needs the musicnn mel preset (--melPreset=musicnn, no mel"
          + " overrides other than --melScaling, and mel among --features); the mel configuration is "
          + analysis.mel().id());
    }
    LastPatch lastPatch;
    try {
      lastPatch = LastPatch.valueOf(o.getLastPatch().trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--lastPatch must be pad or discard, not '" + o.getLastPatch() + "'");
    }
    int threads = o.getInferenceThreads() != null
        ? o.getInferenceThreads()
        : SessionPolicy.defaultIntraOpThreads(workerThreads(o));
    SessionPolicy policy =
        new SessionPolicy(InferenceDevice.parse(o.getInferenceDevice()), o.getRequireDevice(), threads);
    return TaggingSettings.resolve(
        manifests, ModelStore.defaultStore(), policy, o.getInferenceBatchSize(), o.getPatchHop(), lastPatch,
        o.getTopK(), o.getPatchesTable());
  }

  private static List<String> manifests(AudioflowOptions o) {
    return o.getModels() == null
        ? List.of()
        : Arrays.stream(o.getModels().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** Threads running DoFns in one JVM: the Direct runner's parallelism, else one per core (Flink's usual slots). */
  private static int workerThreads(AudioflowOptions o) {
    if (DirectRunner.class.equals(o.getRunner())) {
      return o.as(DirectOptions.class).getTargetParallelism();
    }
    return Runtime.getRuntime().availableProcessors();
  }
}
