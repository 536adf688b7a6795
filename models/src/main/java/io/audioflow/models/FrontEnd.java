package io.audioflow.models;

import java.util.Arrays;
import java.util.Locale;

/**
 * The input recipes of MusiCNN-family patch models, as a manifest names them: 96 mel bands at 16 kHz, hop 256,
 * compressed with {@code log10(1 + 10000 S)}. They differ in window (symmetric vs periodic Hann), edge padding
 * (zeros vs reflection) and frame count, so a model should get the one it was trained on.
 */
public enum FrontEnd {
  /**
   * Essentia's {@code TensorflowInputMusiCNN}, what the Essentia zoo's MusiCNN models were trained on (the input of
   * its {@code TensorflowPredictMusiCNN} extractors).
   */
  ESSENTIA_MUSICNN,
  /** The original musicnn package's librosa input: the job's {@code musicnn} mel preset frames. */
  MUSICNN;

  /** How manifests spell it: {@code essentia-musicnn}, {@code musicnn}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The front end a manifest's {@code front_end} names; an unknown one is refused with the known ones. */
  public static FrontEnd parse(String id) {
    for (FrontEnd frontEnd : values()) {
      if (frontEnd.id().equals(id)) {
        return frontEnd;
      }
    }
    throw new IllegalArgumentException("unknown front end '" + id + "' (expected one of "
        + Arrays.stream(values()).map(FrontEnd::id).toList() + ")");
  }
}
