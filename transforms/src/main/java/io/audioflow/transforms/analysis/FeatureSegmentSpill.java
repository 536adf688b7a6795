package io.audioflow.transforms.analysis;

import io.audioflow.transforms.features.FeatureExtractor;
import io.audioflow.transforms.features.FrameRow;
import io.audioflow.transforms.spill.FrameSpill;
import io.audioflow.transforms.spill.FrameSpill.SegmentConsumer;

/**
 * Keeps a track's rows of per-frame classic features for the {@code frames} table's segments: the extractor writes
 * them into this spill once ({@link FeatureExtractor#reset(FrameSpill)}), deferred features included. One per worker,
 * {@link #start}ed for each track (its {@link FrameSpill} buffer is allocated once).
 */
public final class FeatureSegmentSpill implements AutoCloseable {
  private final FrameSpill spill = new FrameSpill();
  private final double segmentSeconds;
  private int sampleRate;
  private FrameRow layout;

  /** @param segmentSeconds segment length, seconds (rounded to whole frames, at least one) */
  public FeatureSegmentSpill(double segmentSeconds) {
    this.segmentSeconds = segmentSeconds;
  }

  /**
   * Forgets the previous track; returns the spill for the extractor to keep this one's rows in, or null when the rows
   * have no column (e.g. tempo alone) and the track has no segment. The spill is for
   * {@link FeatureExtractor#reset(FrameSpill)}, which starts it and so deletes the previous track's rows.
   *
   * @param layout the rows' layout ({@link FeatureExtractor#rowLayout()})
   */
  public FrameSpill start(int sampleRate, FrameRow layout) {
    if (layout.values().length == 0) {
      discard(); // the extractor is given no spill to start
      return null;
    }
    this.sampleRate = sampleRate;
    this.layout = layout;
    return spill;
  }

  public int sampleRate() {
    return sampleRate;
  }

  /** The current track's row layout; null when it has no row to replay. */
  public FrameRow layout() {
    return layout;
  }

  /** Replays the track's rows as segments, in order; the last one may hold fewer frames. */
  public void replay(SegmentConsumer consumer) {
    spill.replaySegments(layout.values().length, FeatureExtractor.HOP, sampleRate, segmentSeconds, consumer);
  }

  /** Forgets the track and deletes its file. */
  public void discard() {
    spill.discard();
    layout = null;
  }

  @Override
  public void close() {
    discard();
  }
}
