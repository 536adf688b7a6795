package io.audioflow.transforms.tagging;

import io.audioflow.models.ModelManifest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One model's result for one track, averaged over its patches.
 *
 * @param model the model's name
 * @param kind extractor or head
 * @param labels the manifest's labels, one per probability
 * @param probabilities mean over patches of each label's probability; null when the track gave no patch
 * @param embedding the extractor's mean embedding; null for heads and when the track gave no patch
 * @param patchCount patches averaged
 * @param patchProbabilities each patch's probabilities, in patch order (the taggram), when the tagger keeps them;
 *     else null
 */
public record Prediction(
    String model,
    ModelManifest.Kind kind,
    List<String> labels,
    float[] probabilities,
    float[] embedding,
    int patchCount,
    List<float[]> patchProbabilities) {

  /** A label and its score. */
  public record Tag(String label, float score) {}

  /** The {@code k} most probable labels, best first (ties in label order); empty without probabilities. */
  public List<Tag> topTags(int k) {
    List<Tag> tags = new ArrayList<>();
    if (probabilities == null) {
      return tags;
    }
    for (int i = 0; i < probabilities.length; i++) {
      tags.add(new Tag(labels.get(i), probabilities[i]));
    }
    tags.sort(Comparator.comparingDouble((Tag t) -> t.score()).reversed());
    return tags.subList(0, Math.min(k, tags.size()));
  }
}
