package io.audioflow.transforms.features;

import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.mel.MelFilterbank;

/**
 * {@code librosa.feature.melspectrogram(sr, n_fft, hop_length, n_mels=128, power=2.0)} (Slaney scale and norm, 0 to
 * sr/2) on the shared STFT: the front end of MFCC and of onset strength, which librosa computes the same way. Keeps
 * the current frame's mel power and the largest mel power of the signal, which both of their {@code power_to_db}
 * {@code top_db} floors need (from the unrounded sums). When the job's own mel spectrogram is this one (the
 * {@code librosa} preset at the file's rate, see {@link StftMel}), its frames are read rather than computed again.
 */
final class MelBands implements FrameConsumer {
  static final int N_MELS = 128;

  /** Null when the mel power is read from {@link #shared}. */
  private final MelFilterbank filterbank;
  private final StftMel shared;
  private final double[] sums = new double[N_MELS];
  private final float[] power = new float[N_MELS];
  private double maxPower;

  /** @param jobMel the job's mel spectrogram on the same STFT, given each pair before its frames; null for none */
  MelBands(int sampleRate, int nFft, StftMel jobMel) {
    MelConfig config = MelConfig.librosa(sampleRate).withNFft(nFft, nFft);
    this.shared = jobMel != null && jobMel.computes(config) ? jobMel : null;
    this.filterbank = shared == null ? MelFilterbank.of(config) : null;
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
    double[] sums = this.sums;
    if (shared != null) {
      sums = shared.mel(frame.index());
    } else {
      filterbank.apply(frame.power(), sums);
    }
    double max = maxPower;
    for (int m = 0; m < N_MELS; m++) {
      power[m] = (float) sums[m];
      max = Math.max(max, sums[m]);
    }
    maxPower = max;
  }
}
