package io.audioflow.transforms.tagging;

import io.audioflow.models.FrontEnd;
import io.audioflow.models.LocalModel;
import io.audioflow.models.ModelManifest;
import io.audioflow.models.ModelStore;
import io.audioflow.models.SharedSessions;
import io.audioflow.transforms.analysis.TrackAnalyzer;
import io.audioflow.transforms.mel.MelFrameListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tagging step of one DoFn instance: a lease on each model's JVM-wide shared session (created by the first
 * instance to open) and one {@link Tagger} per extractor, fed the frames of the front end its manifest names: the
 * job's musicnn-preset mel frames ({@link #onFrame}) or Essentia's MusiCNN input computed from the same decode
 * pass's 16 kHz stream ({@link #essentiaInput}). Open in {@code @Setup}, close in {@code @Teardown}.
 */
public final class TaggingRuntime implements MelFrameListener, AutoCloseable {
  private final List<SharedSessions.Lease> leases = new ArrayList<>();
  private final List<Tagger> taggers = new ArrayList<>();
  private final List<Tagger> musicnnTaggers = new ArrayList<>();
  private final List<Tagger> essentiaTaggers = new ArrayList<>();
  private EssentiaMusicnnFrames essentiaInput;

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
        Tagger tagger =
            new Tagger(extractor, heads, settings.batchSize(), settings.patchHop(), settings.lastPatch(),
                settings.patches());
        runtime.taggers.add(tagger);
        (group.getKey().frontEnd() == FrontEnd.ESSENTIA_MUSICNN ? runtime.essentiaTaggers : runtime.musicnnTaggers)
            .add(tagger);
      }
      if (!runtime.essentiaTaggers.isEmpty()) {
        runtime.essentiaInput = new EssentiaMusicnnFrames(frame -> {
          for (Tagger tagger : runtime.essentiaTaggers) {
            tagger.onFrame(frame);
          }
        });
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

  /**
   * What the {@link TrackAnalyzer} must feed the 16 kHz mono stream to for the Essentia-front-end extractors
   * ({@link TrackAnalyzer#setMelRateAudioListener}), or null when no extractor needs it.
   */
  public TrackAnalyzer.MelRateAudioListener essentiaInput() {
    return essentiaInput;
  }

  /** Starts a new track. */
  public void start() {
    taggers.forEach(Tagger::start);
  }

  /** A frame of the job's musicnn-preset mel spectrogram, for the extractors of the musicnn front end. */
  @Override
  public void onFrame(double[] melPower) {
    for (Tagger tagger : musicnnTaggers) {
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
