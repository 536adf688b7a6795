package io.audioflow.transforms.analysis;

import io.audioflow.transforms.features.FeatureExtractor;
import io.audioflow.transforms.features.FrameListener;
import io.audioflow.transforms.features.FrameRow;

/** Spills a track's rows of per-frame classic features for the {@code frames} table's segments. */
public final class FeatureSegmentSpill extends SegmentSpill implements FrameListener {
  private final int sampleRate;
  private final FrameRow layout;

  /** @param layout the rows' layout ({@link FeatureExtractor#rowLayout()}) */
  public FeatureSegmentSpill(int sampleRate, FrameRow layout, double segmentSeconds) {
    super(layout.values().length, FeatureExtractor.HOP, sampleRate, segmentSeconds);
    this.sampleRate = sampleRate;
    this.layout = layout;
  }

  public int sampleRate() {
    return sampleRate;
  }

  public FrameRow layout() {
    return layout;
  }

  @Override
  public void onFrame(FrameRow row) {
    add(row.values(), 0);
  }
}
