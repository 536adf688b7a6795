package io.audioflow.transforms.separation;

import java.util.Collections;
import java.util.List;

/**
 * Demucs's {@code BagOfModels} over separation cores: every core separates the same mix into the same sources, and
 * source s of the result is {@code sum over models m of weights[m][s] * stems_m[s]}, divided by the sum of
 * {@code weights[.][s]}. A single core is a bag of one with weight 1. Cores may differ in segment and FFT size.
 *
 * @param weights {@code weights.get(model).get(source)}, finite, >= 0, every source's sum > 0
 */
public record SeparationModel(List<SeparationCore> cores, List<List<Double>> weights) {
  public SeparationModel {
    cores = List.copyOf(cores);
    weights = weights.stream().map(List::copyOf).toList();
    if (cores.isEmpty() || weights.size() != cores.size()) {
      throw new IllegalArgumentException(cores.size() + " cores and " + weights.size() + " rows of weights");
    }
    SeparationGeometry first = cores.get(0).geometry();
    for (int m = 0; m < cores.size(); m++) {
      SeparationGeometry g = cores.get(m).geometry();
      if (!g.sources().equals(first.sources()) || g.sampleRate() != first.sampleRate()
          || g.channels() != first.channels()) {
        throw new IllegalArgumentException("core " + m + " separates " + g.sources() + " at " + g.sampleRate()
            + " Hz, " + g.channels() + " channels; core 0 " + first.sources() + " at " + first.sampleRate()
            + " Hz, " + first.channels() + " channels");
      }
      if (weights.get(m).size() != first.sources().size()) {
        throw new IllegalArgumentException("weights row " + m + " has " + weights.get(m).size() + " values for "
            + first.sources().size() + " sources");
      }
    }
    for (int s = 0; s < first.sources().size(); s++) {
      int source = s;
      if (!(weights.stream().mapToDouble(row -> row.get(source)).sum() > 0)) {
        throw new IllegalArgumentException("the weights of source " + first.sources().get(s) + " do not sum to > 0");
      }
    }
  }

  /** One core, weight 1 for every source. */
  public static SeparationModel of(SeparationCore core) {
    return new SeparationModel(List.of(core), List.of(Collections.nCopies(core.geometry().sources().size(), 1.0)));
  }

  /** The sources in output order. */
  public List<String> sources() {
    return cores.get(0).geometry().sources();
  }

  public int sampleRate() {
    return cores.get(0).geometry().sampleRate();
  }

  public int channels() {
    return cores.get(0).geometry().channels();
  }

  /** Core {@code model}'s share of source {@code source}: its weight over the source's sum of weights. */
  public double share(int model, int source) {
    double total = 0;
    for (List<Double> row : weights) {
      total += row.get(source);
    }
    return weights.get(model).get(source) / total;
  }
}
