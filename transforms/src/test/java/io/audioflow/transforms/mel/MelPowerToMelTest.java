package io.audioflow.transforms.mel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MelPowerToMelTest {
  /** The mel spectrogram's pair path and the shared STFT's frame path must give the same frames to the bit. */
  @Test
  void pairAndSingleFramesAreIdenticalForEveryPower() {
    Random random = new Random(3);
    for (double power : new double[] {2.0, 1.0, 1.5}) {
      MelConfig config = MelConfig.librosa(22050).withPower(power);
      double[] a = new double[config.nFft() / 2 + 1];
      double[] b = new double[a.length];
      for (int k = 0; k < a.length; k++) {
        a[k] = Math.exp(8 * random.nextGaussian());
        b[k] = Math.exp(8 * random.nextGaussian());
      }
      double[] aBefore = a.clone();
      List<double[]> pair = new ArrayList<>();
      PowerToMel pairs = new PowerToMel(config, mel -> pair.add(mel.clone()));
      pairs.onFramePair(0, true, a, b);
      pairs.onFramePair(2, false, a, new double[a.length]);
      List<double[]> single = new ArrayList<>();
      PowerToMel frames = new PowerToMel(config, mel -> single.add(mel.clone()));
      frames.onFrame(a);
      frames.onFrame(b);
      frames.onFrame(a);

      assertEquals(3, pair.size(), "power " + power);
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(single.get(i), pair.get(i), "power " + power + " frame " + i);
      }
      assertArrayEquals(aBefore, a, "the input spectrum is left as it is (the features read it too)");
    }
  }
}
