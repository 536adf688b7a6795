package io.audioflow.transforms.tagging;

import io.audioflow.models.LocalModel;
import io.audioflow.models.ModelManifest;
import io.audioflow.models.ModelStore;
import io.audioflow.models.SharedSessions;
import io.audioflow.transforms.mel.MelFrameListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tagging step of one DoFn instance: a lease on each model's JVM-wide shared session (created by the first
 * instance to open) and one {@link Tagger} per extractor. Open in {@code @Setup}, close in {@code @Teardown}.
 */
public final class TaggingRuntime implements MelFrameListener, AutoCloseable {
  private final List<SharedSessions.Lease> leases = new ArrayList<>();
  private final List<Tagger> taggers = new ArrayList<>();

  private TaggingRuntime() {}

  /** Fetches (from the local cache when there) and leases every model of {@code settings}. */
  public static TaggingRuntime open(TaggingSettings settings, ModelStore store) {
    TaggingRuntime runtime = new TaggingRuntime();
    try {
      for (Map.Entry<ModelManifest, List<ModelManifest>> group :
          TaggingSettings.extractorsWithHeads(settings.models()).entrySet()) {
        Tagger.Model extractor = runtime.lease(group.getKey(), store, settings);
        List<Tagger.Model> heads = new ArrayList<>();
        for (ModelManifest head : group.getValue()) {
          heads.add(runtime.lease(head, store, settings));
        }
        runtime.taggers.add(new Tagger(
            extractor, heads, settings.batchSize(), settings.patchHop(), settings.lastPatch()));
      }
      return runtime;
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    }
  }

  private Tagger.Model lease(ModelManifest manifest, ModelStore store, TaggingSettings settings) {
    LocalModel local = store.fetch(manifest);
    SharedSessions.Lease lease = SharedSessions.acquire(local.file(), settings.policy());
    leases.add(lease);
    return new Tagger.Model(manifest, lease.session());
  }

  /** Mel bands every extractor expects per frame (the musicnn preset's 96 for MusiCNN models). */
  public List<Integer> mels() {
    return taggers.stream().map(Tagger::mels).toList();
  }

  /** Starts a new track. */
  public void start() {
    taggers.forEach(Tagger::start);
  }

  @Override
  public void onFrame(double[] melPower) {
    for (Tagger tagger : taggers) {
      tagger.onFrame(melPower);
    }
  }

  /** Every model's prediction for the track: each extractor, then its heads. */
  public List<Prediction> finish() {
    List<Prediction> predictions = new ArrayList<>();
    for (Tagger tagger : taggers) {
      predictions.addAll(tagger.finish());
    }
    return predictions;
  }

  @Override
  public void close() {
    leases.forEach(SharedSessions.Lease::close);
    leases.clear();
  }
}
