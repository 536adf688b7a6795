package io.audioflow.transforms.features;

/**
 * The classic librosa 0.11 features that {@link FeatureExtractor} computes, each named as librosa's function (the
 * column and reference file name) with the values it gives per frame.
 */
public enum Feature {
  /** {@code librosa.feature.rms}. */
  RMS("rms", 1),
  /** {@code librosa.feature.zero_crossing_rate}. */
  ZCR("zcr", 1),
  /** {@code librosa.feature.spectral_centroid}, Hz. */
  CENTROID("spectral_centroid", 1),
  /** {@code librosa.feature.spectral_bandwidth} (p = 2, normalised), Hz. */
  BANDWIDTH("spectral_bandwidth", 1),
  /** {@code librosa.feature.spectral_rolloff} (85 %), Hz. */
  ROLLOFF("spectral_rolloff", 1),
  /** {@code librosa.feature.spectral_flatness} (power 2, amin 1e-10). */
  FLATNESS("spectral_flatness", 1),
  /** {@code librosa.feature.chroma_stft} (tuning 0, inf-norm), pitch classes C to B. */
  CHROMA("chroma_stft", 12),
  /** {@code librosa.feature.mfcc}: 20 coefficients of the 128-band Slaney mel spectrogram in dB (top_db 80). */
  MFCC("mfcc", 20),
  /** {@code librosa.onset.onset_strength} with its defaults. */
  ONSET("onset_strength", 1),
  /** {@code librosa.feature.tempo} with its defaults: one value per file, no per-frame values. */
  TEMPO("tempo_bpm", 0);

  private final String id;
  private final int dimension;

  Feature(String id, int dimension) {
    this.id = id;
    this.dimension = dimension;
  }

  /** The feature whose {@link #id()} is {@code id}. */
  public static Feature byId(String id) {
    for (Feature f : values()) {
      if (f.id.equals(id)) {
        return f;
      }
    }
    throw new IllegalArgumentException("no feature named '" + id + "'");
  }

  /** librosa's name for the feature. */
  public String id() {
    return id;
  }

  /** Values per frame (0 for {@link #TEMPO}, which has one value per file). */
  public int dimension() {
    return dimension;
  }
}
