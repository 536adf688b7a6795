package io.audioflow.transforms.mel;

import java.util.Locale;
import java.util.Objects;

/**
 * Every parameter of a librosa {@code feature.melspectrogram} call (plus the stored compression). The window is
 * always a periodic Hann of {@code winLength}, zero-padded centred to {@code nFft}, as librosa does.
 *
 * <p>The compact constructor validates, so every wither validates too: when an override set changes several fields
 * (say a lower {@code sampleRate} and its {@code fmax}), apply the one that keeps the config valid first.
 *
 * @param sampleRate sample rate of the input, Hz
 * @param nFft FFT size; the spectrum has {@code 1 + nFft/2} bins
 * @param winLength window length, {@code <= nFft}
 * @param hopLength samples between frame starts
 * @param center whether frames are centred (signal padded by {@code nFft/2} on both sides)
 * @param padMode padding used when {@code center}
 * @param power exponent of the magnitude: 1 magnitude, 2 power
 * @param nMels number of mel bands
 * @param fmin lowest filter edge, Hz
 * @param fmax highest filter edge, Hz, {@code <= sampleRate/2}
 * @param melScale Slaney or HTK mel scale
 * @param norm filter normalisation
 * @param scaling compression applied when the spectrogram is stored
 */
public record MelConfig(
    int sampleRate,
    int nFft,
    int winLength,
    int hopLength,
    boolean center,
    PadMode padMode,
    double power,
    int nMels,
    double fmin,
    double fmax,
    MelScale melScale,
    MelNorm norm,
    MelScaling scaling) implements java.io.Serializable {

  public MelConfig {
    Objects.requireNonNull(melScale, "melScale");
    Objects.requireNonNull(norm, "norm");
    Objects.requireNonNull(scaling, "scaling");
    require(sampleRate > 0, "sampleRate must be > 0, got " + sampleRate);
    new StftConfig(nFft, winLength, hopLength, center, padMode); // validates the framing's fields
    require(power > 0 && Double.isFinite(power), "power must be finite and > 0, got " + power);
    require(nMels > 0, "nMels must be > 0, got " + nMels);
    require(fmin >= 0, "fmin must be >= 0, got " + fmin);
    require(fmax <= sampleRate / 2.0, "fmax must be <= sampleRate/2 = " + sampleRate / 2.0 + ", got " + fmax);
    require(fmin < fmax, "fmin must be < fmax, got fmin=" + fmin + " fmax=" + fmax);
  }

  /** The STFT framing the spectrogram reads. */
  public StftConfig stft() {
    return new StftConfig(nFft, winLength, hopLength, center, padMode);
  }

  /** musicnn's input: 16 kHz, 512/256, reflect padding, 96 Slaney mels to 8 kHz, {@code log10(10000 S + 1)}. */
  public static MelConfig musicnn() {
    return new MelConfig(
        16000, 512, 512, 256, true, PadMode.REFLECT, 2.0, 96, 0.0, 8000.0,
        MelScale.SLANEY, MelNorm.SLANEY, MelScaling.LOG10);
  }

  /** librosa's {@code melspectrogram} defaults at {@code sampleRate}, stored in dB ({@code power_to_db}). */
  public static MelConfig librosa(int sampleRate) {
    return new MelConfig(
        sampleRate, 2048, 2048, 512, true, PadMode.CONSTANT, 2.0, 128, 0.0, sampleRate / 2.0,
        MelScale.SLANEY, MelNorm.SLANEY, MelScaling.DB);
  }

  /**
   * Canonical description of every parameter, stable across releases (stored with each feature row). Doubles print
   * as Java's shortest round-tripping form, so two configs have the same id exactly when they are equal.
   */
  public String id() {
    return "sr=" + sampleRate
        + " n_fft=" + nFft
        + " win=" + winLength
        + " hop=" + hopLength
        + " window=hann"
        + " center=" + center
        + " pad=" + padMode.id()
        + " power=" + power
        + " n_mels=" + nMels
        + " fmin=" + fmin
        + " fmax=" + fmax
        + " scale=" + melScale.id()
        + " norm=" + norm.id()
        + " scaling=" + scaling.id();
  }

  public MelConfig withSampleRate(int v) {
    return new MelConfig(
        v, nFft, winLength, hopLength, center, padMode, power, nMels, fmin, fmax, melScale, norm, scaling);
  }

  /** Another rate with its fmax, validated together (a lower rate needs a lower fmax first). */
  public MelConfig withSampleRate(int rate, double maxFrequency) {
    return new MelConfig(
        rate, nFft, winLength, hopLength, center, padMode, power, nMels, fmin, maxFrequency, melScale, norm,
        scaling);
  }

  /** Another FFT size with its window length, validated together. */
  public MelConfig withNFft(int size, int window) {
    return new MelConfig(
        sampleRate, size, window, hopLength, center, padMode, power, nMels, fmin, fmax, melScale, norm, scaling);
  }

  public MelConfig withNFft(int v) {
    return new MelConfig(
        sampleRate, v, winLength, hopLength, center, padMode, power, nMels, fmin, fmax, melScale, norm, scaling);
  }

  public MelConfig withWinLength(int v) {
    return new MelConfig(
        sampleRate, nFft, v, hopLength, center, padMode, power, nMels, fmin, fmax, melScale, norm, scaling);
  }

  public MelConfig withHopLength(int v) {
    return new MelConfig(
        sampleRate, nFft, winLength, v, center, padMode, power, nMels, fmin, fmax, melScale, norm, scaling);
  }

  public MelConfig withCenter(boolean v) {
    return new MelConfig(
        sampleRate, nFft, winLength, hopLength, v, padMode, power, nMels, fmin, fmax, melScale, norm, scaling);
  }

  public MelConfig withPadMode(PadMode v) {
    return new MelConfig(
        sampleRate, nFft, winLength, hopLength, center, v, power, nMels, fmin, fmax, melScale, norm, scaling);
  }

  public MelConfig withPower(double v) {
    return new MelConfig(
        sampleRate, nFft, winLength, hopLength, center, padMode, v, nMels, fmin, fmax, melScale, norm, scaling);
  }

  public MelConfig withNMels(int v) {
    return new MelConfig(
        sampleRate, nFft, winLength, hopLength, center, padMode, power, v, fmin, fmax, melScale, norm, scaling);
  }

  public MelConfig withFmin(double v) {
    return new MelConfig(
        sampleRate, nFft, winLength, hopLength, center, padMode, power, nMels, v, fmax, melScale, norm, scaling);
  }

  public MelConfig withFmax(double v) {
    return new MelConfig(
        sampleRate, nFft, winLength, hopLength, center, padMode, power, nMels, fmin, v, melScale, norm, scaling);
  }

  public MelConfig withMelScale(MelScale v) {
    return new MelConfig(
        sampleRate, nFft, winLength, hopLength, center, padMode, power, nMels, fmin, fmax, v, norm, scaling);
  }

  public MelConfig withNorm(MelNorm v) {
    return new MelConfig(
        sampleRate, nFft, winLength, hopLength, center, padMode, power, nMels, fmin, fmax, melScale, v, scaling);
  }

  public MelConfig withScaling(MelScaling v) {
    return new MelConfig(
        sampleRate, nFft, winLength, hopLength, center, padMode, power, nMels, fmin, fmax, melScale, norm, v);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("MelConfig: " + message);
    }
  }
}
