package io.audioflow.transforms.features;

import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.mel.MelFrameListener;
import io.audioflow.transforms.mel.PowerToMel;

/**
 * The job's mel spectrogram taken from the features' {@link Stft} when both use the same STFT configuration (the
 * {@code librosa} preset at the file's own rate), so that configuration is transformed once per file: the mel
 * spectrogram's own {@link PowerToMel} step, frame by frame.
 */
public final class StftMel implements FrameConsumer {
  private final MelConfig config;
  private final PowerToMel toMel;
  private long frames;

  public StftMel(MelConfig config, MelFrameListener listener) {
    if (!sharesStft(config)) {
      throw new IllegalArgumentException("mel configuration does not match the features' STFT: " + config.id());
    }
    this.config = config;
    this.toMel = new PowerToMel(config, listener);
  }

  /** Whether {@code config}'s frames are those of the features' STFT at {@code config.sampleRate()}. */
  public static boolean sharesStft(MelConfig config) {
    return config.stft().equals(Stft.config(FeatureExtractor.N_FFT, FeatureExtractor.HOP));
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
    return toMel.current();
  }

  /** Frames handed to the listener since the last reset. */
  public long frames() {
    return frames;
  }

  @Override
  public void onFrame(StftFrame frame) {
    toMel.onFrame(frame.power());
    frames++;
  }
}
