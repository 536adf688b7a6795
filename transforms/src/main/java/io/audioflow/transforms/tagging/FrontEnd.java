package io.audioflow.transforms.tagging;

import io.audioflow.models.ModelManifest;
import io.audioflow.transforms.mel.MelConfig;

/**
 * The input recipes of MusiCNN-family patch models: 96 mel bands at 16 kHz, hop 256, compressed with
 * {@code log10(1 + 10000 S)}. They differ in window (symmetric vs periodic Hann), edge padding (zeros vs
 * reflection) and frame count, so a model should get the one it was trained on.
 */
public enum FrontEnd {
  /**
   * Essentia's {@code TensorflowInputMusiCNN}, what the Essentia zoo's MusiCNN models were trained on; computed by
   * {@link EssentiaMusicnnFrames} from the job's 16 kHz stream.
   */
  ESSENTIA_MUSICNN,
  /** The original musicnn package's librosa input: the job's {@code musicnn} mel preset frames. */
  MUSICNN;

  /** Seconds between frames, the same for both: the musicnn preset's hop at its rate (256 at 16 kHz). */
  public static final double FRAME_SECONDS =
      MelConfig.musicnn().hopLength() / (double) MelConfig.musicnn().sampleRate();

  /** The front end a manifest names ({@link ModelManifest#frontEnd()}). */
  public static FrontEnd of(ModelManifest manifest) {
    String id = manifest.frontEnd();
    if (ModelManifest.ESSENTIA_MUSICNN.equals(id)) {
      return ESSENTIA_MUSICNN;
    }
    if (ModelManifest.MUSICNN.equals(id)) {
      return MUSICNN;
    }
    throw new IllegalArgumentException(manifest.manifestUri() + ": no supported front end: " + id);
  }
}
