package io.audioflow.transforms.mel;

import java.util.Objects;

/**
 * The mel step of {@code librosa.feature.melspectrogram}: power spectra {@code |X|^2} of an STFT to
 * {@code |X|^power} through the mel filterbank, one mel frame at a time to a listener. Used on frame pairs by
 * {@link MelSpectrogram} and frame by frame when the mel reads an STFT shared with other features; both paths give
 * the same frame to the bit ({@link MelFilterbank#apply}).
 */
public final class PowerToMel implements StftFraming.FramePairListener {
  private final MelFilterbank filterbank;
  private final MelFrameListener listener;
  /** {@code |X|^power} from {@code |X|^2}: 0 as is (power 2), 1 square root (power 1), 2 {@code Math.pow}. */
  private final int powerMode;
  private final double halfPower;
  /** {@code |X|^power} of the frames when power is not 2. */
  private final double[] spectrumA;
  private final double[] spectrumB;
  private final double[] mel;
  private final double[] melB;

  public PowerToMel(MelConfig config, MelFrameListener listener) {
    this.filterbank = MelFilterbank.of(config);
    this.listener = Objects.requireNonNull(listener, "listener");
    double power = config.power();
    this.powerMode = power == 2.0 ? 0 : power == 1.0 ? 1 : 2;
    this.halfPower = power / 2.0;
    this.spectrumA = new double[config.nFft() / 2 + 1];
    this.spectrumB = new double[config.nFft() / 2 + 1];
    this.mel = new double[config.nMels()];
    this.melB = new double[config.nMels()];
  }

  /** Both frames' mel through {@link MelFilterbank#applyPair}, which is faster than two single frames. */
  @Override
  public void onFramePair(long first, boolean second, double[] powerA, double[] powerB) {
    filterbank.applyPair(magnitudePower(powerA, spectrumA), magnitudePower(powerB, spectrumB), mel, melB);
    listener.onFrame(mel);
    if (second) {
      System.arraycopy(melB, 0, mel, 0, mel.length);
      listener.onFrame(mel);
    }
  }

  /** One frame's mel, from its power spectrum. */
  public void onFrame(double[] power) {
    filterbank.apply(magnitudePower(power, spectrumA), mel);
    listener.onFrame(mel);
  }

  /** The mel power last handed to the listener. */
  public double[] current() {
    return mel;
  }

  /** {@code |X|^power} of {@code power} ({@code |X|^2}): {@code power} itself, or {@code out} filled with it. */
  private double[] magnitudePower(double[] power, double[] out) {
    if (powerMode == 0) {
      return power;
    }
    if (powerMode == 1) {
      for (int k = 0; k < power.length; k++) {
        out[k] = Math.sqrt(power[k]);
      }
    } else {
      double e = halfPower;
      for (int k = 0; k < power.length; k++) {
        out[k] = Math.pow(power[k], e);
      }
    }
    return out;
  }
}
