package io.audioflow.transforms.tagging;

import io.audioflow.models.LocalModel;
import io.audioflow.models.ModelException;
import io.audioflow.models.ModelManifest;
import io.audioflow.models.ModelStore;
import io.audioflow.models.SessionPolicy;
import io.audioflow.models.SharedSessions;
import io.audioflow.transforms.mel.MelConfig;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the tagging step runs, fixed when the job is built.
 *
 * @param models verified manifests, pinned to the SHA-256 the launcher checked; extractors and their heads
 * @param policy device and threads of the shared sessions
 * @param batchSize patches per extractor run
 * @param patchHop frames between patch starts
 * @param lastPatch what happens to the frames after the last whole patch
 * @param topK labels in {@code top_tags}
 * @param patches whether each patch's probabilities also go to the {@code patches} table (the taggram)
 */
public record TaggingSettings(
    List<ModelManifest> models, SessionPolicy policy, int batchSize, int patchHop, LastPatch lastPatch, int topK,
    boolean patches)
    implements Serializable {

  /** Seconds between front-end frames, the same for both MusiCNN front ends: the musicnn preset's hop at its rate. */
  public static final double FRAME_SECONDS =
      MelConfig.musicnn().hopLength() / (double) MelConfig.musicnn().sampleRate();

  public TaggingSettings {
    models = List.copyOf(models);
    if (batchSize < 1 || patchHop < 1 || topK < 0) {
      throw new IllegalArgumentException("inference batch size and patch hop must be >= 1 and topK >= 0, got "
          + batchSize + ", " + patchHop + ", " + topK);
    }
    extractorsWithHeads(models);
  }

  /**
   * Checks the device, then reads, copies and verifies every manifest's model (ONNX Runtime opens each once), so
   * a bad model or an unusable required device fails here, before any track is processed.
   *
   * @throws ModelException naming the file at fault
   */
  public static TaggingSettings resolve(
      List<String> manifestUris, ModelStore store, SessionPolicy policy, int batchSize, int patchHop,
      LastPatch lastPatch, int topK, boolean patches) {
    SharedSessions.usableDevice(policy);
    List<ModelManifest> verified = new ArrayList<>();
    for (String uri : manifestUris) {
      LocalModel local = store.verify(ModelManifest.read(uri));
      verified.add(local.manifest());
    }
    return new TaggingSettings(verified, policy, batchSize, patchHop, lastPatch, topK, patches);
  }

  /**
   * Each extractor with the heads that read its embeddings, in the order given. A head names its extractor by the
   * extractor's {@link ModelManifest#name()}: a zoo head's {@code model_name} is the extractor JSON's file name
   * without {@code .json}, which is what a zoo manifest's name is.
   */
  static Map<ModelManifest, List<ModelManifest>> extractorsWithHeads(List<ModelManifest> models) {
    Map<String, ModelManifest> byName = new LinkedHashMap<>();
    Map<ModelManifest, List<ModelManifest>> groups = new LinkedHashMap<>();
    for (ModelManifest m : models) {
      if (byName.put(m.name(), m) != null) {
        throw new ModelException(m.manifestUri(), "a second model named '" + m.name() + "'");
      }
      if (m.kind() == ModelManifest.Kind.EXTRACTOR) {
        if (m.embeddings() == null) {
          throw new ModelException(m.manifestUri(), "an extractor needs an embeddings output");
        }
        List<Long> shape = m.input().shape();
        int mels = EssentiaMusicnnFrames.MEL.nMels(); // both MusiCNN front ends
        if (!shape.isEmpty() && shape.get(shape.size() - 1) != mels) {
          throw new ModelException(m.manifestUri(), "input shape " + shape + " does not end in the " + mels
              + " mel bands of its front end (" + m.frontEnd().id() + ")");
        }
        groups.put(m, new ArrayList<>());
      }
    }
    for (ModelManifest m : models) {
      if (m.kind() == ModelManifest.Kind.HEAD) {
        ModelManifest extractor = byName.get(m.embeddingModel());
        if (extractor == null || extractor.kind() != ModelManifest.Kind.EXTRACTOR) {
          throw new ModelException(m.manifestUri(), "head " + m.name() + " reads the embeddings of extractor '"
              + m.embeddingModel() + "', which is not among the --models extractors "
              + groups.keySet().stream().map(e -> e.name() + " (" + e.manifestUri() + ")").toList()
              + "; add its manifest (a zoo extractor is known by its file name without .json)");
        }
        requireEmbeddingSize(m, extractor);
        groups.get(extractor).add(m);
      }
    }
    return groups;
  }

  /** A head whose input is not the size of its extractor's embedding, when both declare it, fails at start. */
  private static void requireEmbeddingSize(ModelManifest head, ModelManifest extractor) {
    List<Long> in = head.input().shape();
    List<Long> out = extractor.embeddings().shape();
    if (!in.isEmpty() && !out.isEmpty() && in.get(in.size() - 1) > 0 && out.get(out.size() - 1) > 0
        && !in.get(in.size() - 1).equals(out.get(out.size() - 1))) {
      throw new ModelException(head.manifestUri(), "head " + head.name() + " reads inputs of shape " + in
          + ", but extractor " + extractor.name() + " gives embeddings of shape " + out);
    }
  }
}
