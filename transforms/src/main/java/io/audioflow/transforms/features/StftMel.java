package io.audioflow.transforms.features;

import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.mel.MelFilterbank;
import io.audioflow.transforms.mel.MelFrameListener;
import io.audioflow.transforms.mel.PadMode;

/**
 * The job's mel spectrogram taken from the features' {@link Stft} when both use the same STFT configuration (the
 * {@code librosa} preset at the file's own rate), so that configuration is transformed once per file.
 */
public final class StftMel implements FrameConsumer {
  private final MelConfig config;
  private final MelFilterbank filterbank;
  private final double power;
  private final double[] spectrum;
  private final double[] mel;
  private final MelFrameListener listener;
  private long frames;

  public StftMel(MelConfig config, MelFrameListener listener) {
    if (!sharesStft(config)) {
      throw new IllegalArgumentException("mel configuration does not match the features' STFT: " + config.id());
    }
    this.config = config;
    this.filterbank = MelFilterbank.of(config);
    this.power = config.power();
    this.spectrum = new double[config.nFft() / 2 + 1];
    this.mel = new double[config.nMels()];
    this.listener = listener;
  }

  /** Whether {@code config}'s frames are those of the features' STFT at {@code config.sampleRate()}. */
  public static boolean sharesStft(MelConfig config) {
    return config.nFft() == FeatureExtractor.N_FFT
        && config.winLength() == FeatureExtractor.N_FFT
        && config.hopLength() == FeatureExtractor.HOP
        && config.center()
        && config.padMode() == PadMode.CONSTANT;
  }

  public void reset() {
    frames = 0;
  }

  /**
   * Whether this is the power mel spectrogram that MFCC and onset strength start from ({@code mel} of
   * {@link MelBands}), so they can read {@link #current()} instead of applying the same filterbank again.
   */
  boolean computes(MelConfig mel) {
    return config.withScaling(mel.scaling()).equals(mel);
  }

  /** The mel power of the frame this consumer was last given. */
  double[] current() {
    return mel;
  }

  /** Frames handed to the listener since the last reset. */
  public long frames() {
    return frames;
  }

  @Override
  public void onFrame(StftFrame frame) {
    double[] s;
    if (power == 2.0) {
      s = frame.power();
    } else if (power == 1.0) {
      s = frame.magnitude();
    } else {
      double[] p = frame.power();
      for (int k = 0; k < p.length; k++) {
        spectrum[k] = Math.pow(p[k], power / 2.0);
      }
      s = spectrum;
    }
    filterbank.apply(s, mel);
    frames++;
    listener.onFrame(mel);
  }
}
