package io.audioflow.transforms.mel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MelPowerToMelTest {
  /**
   * Frame pairs through {@link MelFilterbank#applyPair} give each frame's {@link MelFilterbank#apply} to the bit,
   * on the mel spectrogram's STFT and on the one it shares with the features alike.
   */
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
      assertArrayEquals(pair.get(0), pairs.pairMel(false), "power " + power + ": the pair's first frame");
      assertArrayEquals(pair.get(1), pairs.pairMel(true), "power " + power + ": the pair's second frame");
      pairs.onFramePair(2, false, a, new double[a.length]);
      MelFilterbank filterbank = MelFilterbank.of(config);
      List<double[]> single = new ArrayList<>();
      for (double[] frame : List.of(a, b, a)) {
        double[] mel = new double[config.nMels()];
        filterbank.apply(magnitudePower(frame, power), mel);
        single.add(mel);
      }

      assertEquals(3, pair.size(), "power " + power);
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(single.get(i), pair.get(i), "power " + power + " frame " + i);
      }
      assertArrayEquals(aBefore, a, "the input spectrum is left as it is (the features read it too)");
    }
  }

  /** {@code |X|^power} from {@code |X|^2}, as librosa: the square root for power 1. */
  private static double[] magnitudePower(double[] power, double p) {
    double[] out = new double[power.length];
    for (int k = 0; k < power.length; k++) {
      out[k] = p == 2.0 ? power[k] : p == 1.0 ? Math.sqrt(power[k]) : Math.pow(power[k], p / 2);
    }
    return out;
  }
}
