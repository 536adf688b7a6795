package io.audioflow.transforms.features;

import java.util.Arrays;
import java.util.List;

/**
 * One frame's values of every per-frame feature a {@link FeatureExtractor} computes, laid out feature after feature
 * (in {@link Feature} order, {@link Feature#dimension()} values each) in one float array. A view reused for every
 * frame: a listener copies what it keeps.
 */
public final class FrameRow {
  private final List<Feature> features;
  private final int[] offsets; // by Feature ordinal, -1 when not computed
  private final float[] values;
  private long index;

  FrameRow(List<Feature> features) {
    this.features = List.copyOf(features);
    this.offsets = new int[Feature.values().length];
    Arrays.fill(offsets, -1);
    int width = 0;
    for (Feature f : this.features) {
      offsets[f.ordinal()] = width;
      width += f.dimension();
    }
    this.values = new float[width];
  }

  void setIndex(long index) {
    this.index = index;
  }

  /** Frame number within the file, from 0 (frame t is centred on sample {@code t * hop}). */
  public long index() {
    return index;
  }

  /** The per-frame features in the row, in layout order. */
  public List<Feature> features() {
    return features;
  }

  /** Where {@code feature}'s values start in {@link #values()}, or -1 when it is not computed. */
  public int offset(Feature feature) {
    return offsets[feature.ordinal()];
  }

  /** Value {@code dimension} of {@code feature} in this frame. */
  public float get(Feature feature, int dimension) {
    int at = offsets[feature.ordinal()];
    if (at < 0 || dimension < 0 || dimension >= feature.dimension()) {
      throw new IllegalArgumentException(feature + "[" + dimension + "] is not in this row");
    }
    return values[at + dimension];
  }

  /** All values of the frame, laid out as {@link #offset} says; the array is reused for the next frame. */
  public float[] values() {
    return values;
  }
}
