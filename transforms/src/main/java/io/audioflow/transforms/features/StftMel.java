package io.audioflow.transforms.features;

import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.mel.MelFrameListener;
import io.audioflow.transforms.mel.PowerToMel;
import io.audioflow.transforms.mel.StftFraming;

/**
 * The job's mel spectrogram taken from the features' {@link Stft} when both use the same STFT configuration (the
 * {@code librosa} preset at the file's own rate), so that configuration is transformed once per file: the mel
 * spectrogram's own {@link PowerToMel} step, on the pairs of frames the {@link Stft} transforms together, each pair
 * before the STFT's consumers get its frames.
 */
public final class StftMel implements StftFraming.FramePairListener {
  private final MelConfig config;
  private final PowerToMel toMel;
  /** The index of the last pair's first frame. */
  private long first;
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
    return config.stft().equals(FeatureExtractor.STFT);
  }

  public void reset() {
    frames = 0;
  }

  /**
   * Whether this is the power mel spectrogram that MFCC and onset strength start from ({@code mel} of
   * {@link MelBands}), so they can read {@link #mel} instead of applying the same filterbank again.
   */
  boolean computes(MelConfig mel) {
    return config.withScaling(mel.scaling()).equals(mel);
  }

  /** The mel power of frame {@code index}, one of the pair this was last given. */
  double[] mel(long index) {
    return toMel.pairMel(index != first);
  }

  /** Frames handed to the listener since the last reset. */
  public long frames() {
    return frames;
  }

  @Override
  public void onFramePair(long first, boolean second, double[] powerA, double[] powerB) {
    toMel.onFramePair(first, second, powerA, powerB);
    this.first = first;
    frames += second ? 2 : 1;
  }
}
