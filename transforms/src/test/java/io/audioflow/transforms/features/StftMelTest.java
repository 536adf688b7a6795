package io.audioflow.transforms.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.mel.MelSpectrogram;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The mel spectrogram read off the features' STFT is the job's own mel spectrogram to the bit, and MFCC and onset
 * strength reading its frames give the rows they give with a filterbank of their own.
 */
class StftMelTest {
  private static final int SR = 22050;
  private static final MelConfig LIBROSA = MelConfig.librosa(SR);

  @Test
  void sharedStftGivesTheMelSpectrogramsFramesAndTheSameRows() {
    List<double[]> mel = new ArrayList<>();
    StftMel shared = new StftMel(LIBROSA, m -> mel.add(m.clone()));
    for (Set<Feature> features : List.of(FeatureFrames.ALL, EnumSet.of(Feature.RMS))) {
      FeatureFrames frames = new FeatureFrames();
      try (FeatureExtractor extractor = new FeatureExtractor(SR, features, frames, shared)) {
        // An even and an odd number of frames (the last one transformed alone), twice: the instances are reused.
        for (int n : new int[] {1, 3 * SR + 123, 3 * SR + 123 + 512, 1, 3 * SR + 123}) {
          float[] signal = FeatureStreamingTest.testSignal(n, n);
          String what = features + ", " + n + " samples";
          mel.clear();
          frames.rows().clear();
          shared.reset();
          extractor.reset();
          FeatureFrames.feed(extractor, signal, 1000);

          double[][] expected = MelSpectrogram.compute(signal, LIBROSA);
          assertEquals(expected.length, mel.size(), what + ": mel frames");
          assertEquals(expected.length, shared.frames(), what);
          for (int t = 0; t < expected.length; t++) {
            assertArrayEquals(expected[t], mel.get(t), what + ": mel frame " + t);
          }
          FeatureFrames.Run own = FeatureFrames.run(signal, SR, features, 1000);
          assertEquals(own.frames().size(), frames.size(), what + ": rows");
          for (int t = 0; t < frames.size(); t++) {
            assertArrayEquals(own.frames().rows().get(t), frames.rows().get(t), what + ": row " + t);
          }
          assertEquals(own.tempo(), extractor.tempoBpm(), what + ": tempo");
        }
      }
    }
  }
}
