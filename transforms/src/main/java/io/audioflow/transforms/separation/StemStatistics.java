package io.audioflow.transforms.separation;

import io.audioflow.transforms.loudness.ChannelWeights;
import io.audioflow.transforms.loudness.LoudnessMeter;
import io.audioflow.transforms.loudness.LoudnessResult;
import java.nio.file.Path;

/** Loudness, true peak, RMS and energy of one stem as it streams out, whole or reassembled from spans. */
final class StemStatistics {
  private final LoudnessMeter meter;
  private final int sampleRate;
  private final int channels;
  private double energy;
  private long frames;

  StemStatistics(int sampleRate, int channels) {
    this.meter = new LoudnessMeter(sampleRate, ChannelWeights.forLayout(0, channels));
    this.sampleRate = sampleRate;
    this.channels = channels;
  }

  void accept(float[][] planar, int n) {
    meter.accept(planar, n);
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < n; i++) {
        energy += (double) planar[c][i] * planar[c][i];
      }
    }
    frames += n;
  }

  TrackSeparator.Stem stem(String source, Path file, double mixEnergy) {
    LoudnessResult loudness = meter.finish();
    double rms = frames == 0 ? 0 : Math.sqrt(energy / (frames * (double) channels));
    return new TrackSeparator.Stem(source, file, frames, frames / (double) sampleRate, loudness.integratedLufs(),
        loudness.truePeakDbtp(), rms, mixEnergy > 0 ? energy / mixEnergy : null);
  }
}
