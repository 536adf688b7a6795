package io.audioflow.transforms.features;

import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.mel.MelFilterbank;

/**
 * {@code librosa.feature.melspectrogram(sr, n_fft, hop_length, n_mels=128, power=2.0)} (Slaney scale and norm, 0 to
 * sr/2) on the shared STFT: the front end of MFCC and of onset strength, which librosa computes the same way. Keeps
 * the current frame's mel power and the largest mel power of the signal, which both of their {@code power_to_db}
 * {@code top_db} floors need (from the unrounded sums).
 */
final class MelBands implements FrameConsumer {
  static final int N_MELS = 128;

  /** Band m's weights, librosa's float32 filter, cover bins {@code first[m] ..} from {@code weights[offset[m]]}. */
  private final int[] first;
  private final int[] offset;
  private final double[] weights;
  private final float[] power = new float[N_MELS];
  private double maxPower;

  MelBands(int sampleRate, int nFft) {
    MelConfig config = MelConfig.librosa(sampleRate).withNFft(nFft, nFft);
    float[][] dense = MelFilterbank.weights(config);
    first = new int[N_MELS];
    offset = new int[N_MELS + 1];
    int[] last = new int[N_MELS];
    for (int m = 0; m < N_MELS; m++) {
      int a = 0;
      while (a < dense[m].length && dense[m][a] == 0f) {
        a++;
      }
      int b = dense[m].length - 1;
      while (b >= a && dense[m][b] == 0f) {
        b--;
      }
      first[m] = a;
      last[m] = b;
      offset[m + 1] = offset[m] + (b - a + 1);
    }
    weights = new double[offset[N_MELS]];
    for (int m = 0; m < N_MELS; m++) {
      for (int k = first[m]; k <= last[m]; k++) {
        weights[offset[m] + k - first[m]] = dense[m][k];
      }
    }
    reset();
  }

  void reset() {
    maxPower = 0;
  }

  /**
   * The current frame's mel power, rounded to float32 (about 3e-7 dB, far below what MFCC and onset strength
   * resolve) to halve what is spilled; reused for the next frame.
   */
  float[] power() {
    return power;
  }

  /** The largest mel power of the signal so far. */
  double maxPower() {
    return maxPower;
  }

  @Override
  public void onFrame(StftFrame frame) {
    double[] p = frame.power();
    double[] w = weights;
    double max = maxPower;
    for (int m = 0; m < N_MELS; m++) {
      int k = first[m];
      double sum0 = 0;
      double sum1 = 0;
      int j = offset[m];
      int end = offset[m + 1];
      for (; j + 1 < end; j += 2, k += 2) {
        sum0 = Math.fma(w[j], p[k], sum0);
        sum1 = Math.fma(w[j + 1], p[k + 1], sum1);
      }
      if (j < end) {
        sum0 += w[j] * p[k];
      }
      double sum = sum0 + sum1;
      power[m] = (float) sum;
      max = Math.max(max, sum);
    }
    maxPower = max;
  }
}
