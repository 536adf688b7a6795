package io.audioflow.transforms.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.audioflow.transforms.features.Feature;
import io.audioflow.transforms.features.FeatureExtractor;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** Each track's segments hold its own rows only, whatever the previous track kept. */
class FeatureSegmentSpillTest {
  private static final int SR = 22_050;

  @Test
  void startForgetsThePreviousTrack() {
    try (FeatureSegmentSpill spill = new FeatureSegmentSpill(1.0);
        FeatureExtractor rms = new FeatureExtractor(SR, EnumSet.of(Feature.RMS), null);
        FeatureExtractor tempo = new FeatureExtractor(SR, EnumSet.of(Feature.TEMPO), null)) {
      for (int samples : new int[] {5 * SR, 2 * SR + 1}) {
        rms.reset(spill.start(SR, rms.rowLayout()));
        rms.accept(new float[samples], 0, samples);
        rms.finish();
        assertSame(rms.rowLayout(), spill.layout());
        assertEquals(FeatureExtractor.STFT.frames(samples), replayedFrames(spill), samples + " samples");
      }
      assertNull(spill.start(SR, tempo.rowLayout()), "tempo alone has no row to keep");
      assertNull(spill.layout(), "nor the previous track's");
      rms.reset(spill.start(SR, rms.rowLayout()));
      rms.finish();
      assertEquals(0, replayedFrames(spill), "an empty track after the others");
    }
  }

  private static long replayedFrames(FeatureSegmentSpill spill) {
    long[] frames = {0};
    spill.replay((index, start, n, values) -> frames[0] += n);
    return frames[0];
  }
}
