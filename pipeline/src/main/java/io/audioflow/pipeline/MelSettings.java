package io.audioflow.pipeline;

import io.audioflow.transforms.analysis.FeatureSelection;
import io.audioflow.transforms.analysis.TrackAnalyzer;
import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.mel.MelNorm;
import io.audioflow.transforms.mel.MelScale;
import io.audioflow.transforms.mel.MelScaling;
import io.audioflow.transforms.mel.PadMode;
import java.util.Locale;

/** Turns the feature selection, mel preset and override options into the analyzer's settings. */
public final class MelSettings {
  private MelSettings() {}

  public static TrackAnalyzer.Settings from(AudioflowOptions o) {
    String preset = o.getMelPreset().toLowerCase(Locale.ROOT);
    MelConfig mel;
    boolean nativeRate;
    boolean fmaxAtNyquist;
    switch (preset) {
      case "musicnn" -> {
        mel = MelConfig.musicnn();
        nativeRate = false;
        fmaxAtNyquist = false;
      }
      case "librosa" -> {
        // The rate is a placeholder until each file's own rate replaces it (unless --sampleRate is given).
        mel = MelConfig.librosa(o.getSampleRate() != null ? o.getSampleRate() : 22050);
        nativeRate = o.getSampleRate() == null;
        fmaxAtNyquist = true;
      }
      default -> throw new IllegalArgumentException(
          "--melPreset must be musicnn or librosa, not '" + o.getMelPreset() + "'");
    }
    if (o.getSampleRate() != null) {
      int rate = o.getSampleRate();
      mel = mel.withSampleRate(rate, Math.min(mel.fmax(), rate / 2.0));
    }
    if (o.getFmax() != null) {
      mel = mel.withFmax(o.getFmax());
      fmaxAtNyquist = false;
    }
    if (o.getnFft() != null) {
      // The window follows the FFT size unless given (librosa's win_length defaults to n_fft).
      int window = o.getWinLength() != null ? o.getWinLength() : Math.min(mel.winLength(), o.getnFft());
      mel = mel.withNFft(o.getnFft(), mel.winLength() == mel.nFft() && o.getWinLength() == null ? o.getnFft() : window);
    } else if (o.getWinLength() != null) {
      mel = mel.withWinLength(o.getWinLength());
    }
    if (o.getHopLength() != null) {
      mel = mel.withHopLength(o.getHopLength());
    }
    if (o.getnMels() != null) {
      mel = mel.withNMels(o.getnMels());
    }
    if (o.getFmin() != null) {
      mel = mel.withFmin(o.getFmin());
    }
    if (o.getMelScale() != null) {
      mel = mel.withMelScale(parse(MelScale.class, "--melScale", o.getMelScale()));
    }
    if (o.getMelNorm() != null) {
      mel = mel.withNorm(parse(MelNorm.class, "--melNorm", o.getMelNorm()));
    }
    if (o.getCenter() != null) {
      mel = mel.withCenter(o.getCenter());
    }
    if (o.getPadMode() != null) {
      mel = mel.withPadMode(parse(PadMode.class, "--padMode", o.getPadMode()));
    }
    if (o.getPower() != null) {
      mel = mel.withPower(o.getPower());
    }
    if (o.getMelScaling() != null) {
      mel = mel.withScaling(parse(MelScaling.class, "--melScaling", o.getMelScaling()));
    }
    return new TrackAnalyzer.Settings(
        mel, nativeRate, fmaxAtNyquist, o.getMaxDurationSeconds(), o.getMaxCorruptPackets(),
        FeatureSelection.parse(o.getFeatures()));
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String option, String value) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          option + " must be one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT)
              + ", not '" + value + "'");
    }
  }
}
