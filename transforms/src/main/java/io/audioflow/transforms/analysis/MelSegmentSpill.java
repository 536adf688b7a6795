package io.audioflow.transforms.analysis;

import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.mel.MelFrameListener;

/** Spills a track's mel frames, scaled as the configuration stores them, for the {@code mel} table's segments. */
public final class MelSegmentSpill extends SegmentSpill implements MelFrameListener {
  private final MelConfig config;
  private final float[] scaled;

  public MelSegmentSpill(MelConfig config, double segmentSeconds) {
    super(config.nMels(), config.hopLength(), config.sampleRate(), segmentSeconds);
    this.config = config;
    this.scaled = new float[config.nMels()];
  }

  public MelConfig config() {
    return config;
  }

  @Override
  public void onFrame(double[] melPower) {
    for (int m = 0; m < scaled.length; m++) {
      scaled[m] = (float) config.scaling().apply(melPower[m]);
    }
    add(scaled, 0);
  }
}
