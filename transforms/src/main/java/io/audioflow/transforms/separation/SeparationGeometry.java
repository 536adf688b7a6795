package io.audioflow.transforms.separation;

import io.audioflow.models.SeparationManifest;
import java.util.List;

/**
 * The shapes a separation core works in: {@code sources} in output order, the model's rate and channels, the
 * segment (samples per chunk) and Demucs's FFT size; frames = ceil(segment / hop), bins = nFft / 2.
 */
public record SeparationGeometry(List<String> sources, int sampleRate, int channels, int segment, int nFft) {
  public SeparationGeometry {
    sources = List.copyOf(sources);
  }

  public static SeparationGeometry of(SeparationManifest manifest) {
    return new SeparationGeometry(manifest.sources(), manifest.sampleRate(), manifest.channels(),
        manifest.segmentSamples(), manifest.stft().nFft());
  }

  public int hop() {
    return nFft / 4;
  }

  public int bins() {
    return nFft / 2;
  }

  public int frames() {
    return (segment + hop() - 1) / hop();
  }

  /** Floats per chunk in the core's spectrogram input, [2C][bins][frames]. */
  public int spectrogramSize() {
    return 2 * channels * bins() * frames();
  }

  /** Floats per chunk in the core's frequency-branch output, [S][2C][bins][frames]. */
  public int freqSize() {
    return sources.size() * spectrogramSize();
  }

  /** Floats per chunk in the time-domain tensors: the mix [C][segment]; the time branch has S of these. */
  public int waveSize() {
    return channels * segment;
  }
}
