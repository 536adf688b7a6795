package io.audioflow.transforms.analysis;

import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.mel.MelFrameListener;
import io.audioflow.transforms.spill.FrameSpill;
import io.audioflow.transforms.spill.FrameSpill.SegmentConsumer;

/**
 * Keeps a track's mel frames, scaled as its configuration stores them, for the {@code mel} table's segments. One per
 * worker, {@link #start}ed for each track (its {@link FrameSpill} buffer is allocated once).
 */
public final class MelSegmentSpill implements MelFrameListener, AutoCloseable {
  private final FrameSpill spill = new FrameSpill();
  private final double segmentSeconds;
  private MelConfig config;
  private float[] scaled = new float[0];

  /** @param segmentSeconds segment length, seconds (rounded to whole frames, at least one) */
  public MelSegmentSpill(double segmentSeconds) {
    this.segmentSeconds = segmentSeconds;
  }

  /** Forgets the previous track and keeps this one's frames, computed with {@code config}. */
  public MelSegmentSpill start(MelConfig config) {
    spill.start(config.nMels());
    this.config = config;
    if (scaled.length != config.nMels()) {
      scaled = new float[config.nMels()];
    }
    return this;
  }

  /** The current track's configuration; null when no track is {@link #start}ed. */
  public MelConfig config() {
    return config;
  }

  @Override
  public void onFrame(double[] melPower) {
    for (int m = 0; m < scaled.length; m++) {
      scaled[m] = (float) config.scaling().apply(melPower[m]);
    }
    spill.write(scaled);
  }

  /** Replays the track's frames as segments, in order; the last one may hold fewer frames. */
  public void replay(SegmentConsumer consumer) {
    spill.replaySegments(config.nMels(), config.hopLength(), config.sampleRate(), segmentSeconds, consumer);
  }

  /** Forgets the track and deletes its file. */
  public void discard() {
    spill.discard();
    config = null;
  }

  @Override
  public void close() {
    discard();
  }
}
