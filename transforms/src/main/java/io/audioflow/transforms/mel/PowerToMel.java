package io.audioflow.transforms.mel;

import java.util.Objects;

/**
 * The mel step of {@code librosa.feature.melspectrogram}: power spectra {@code |X|^2} of an STFT to
 * {@code |X|^power} through the mel filterbank, two frames at a time ({@link MelFilterbank#applyPair}, faster than
 * two single frames and the same to the bit), one mel frame at a time to a listener. Fed by {@link MelSpectrogram}'s
 * own STFT, or by one shared with other features, which then read {@link #pairMel} of the pair.
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
  private final double[] melA;
  private final double[] melB;

  public PowerToMel(MelConfig config, MelFrameListener listener) {
    this.filterbank = MelFilterbank.of(config);
    this.listener = Objects.requireNonNull(listener, "listener");
    double power = config.power();
    this.powerMode = power == 2.0 ? 0 : power == 1.0 ? 1 : 2;
    this.halfPower = power / 2.0;
    this.spectrumA = new double[config.nFft() / 2 + 1];
    this.spectrumB = new double[config.nFft() / 2 + 1];
    this.melA = new double[config.nMels()];
    this.melB = new double[config.nMels()];
  }

  @Override
  public void onFramePair(long first, boolean second, double[] powerA, double[] powerB) {
    filterbank.applyPair(magnitudePower(powerA, spectrumA), magnitudePower(powerB, spectrumB), melA, melB);
    listener.onFrame(melA);
    if (second) {
      listener.onFrame(melB);
    }
  }

  /** The mel power of the last pair's first frame, or of its second with {@code second}; valid until the next pair. */
  public double[] pairMel(boolean second) {
    return second ? melB : melA;
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
