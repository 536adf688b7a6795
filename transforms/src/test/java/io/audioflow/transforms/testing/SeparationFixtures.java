package io.audioflow.transforms.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The committed separation test models beyond the small one (tools/demucs/export-htdemucs, seeded; commands in
 * docs/separation.md) and their PyTorch references: {@code <name>-reference/mix.wav} (16-bit PCM, what the job
 * reads), {@code mix.npy} (the same samples as floats) and {@code stems.npy} [sources][channels][samples], Demucs's
 * {@code apply_model} on the {@code BagOfModels} with shifts 0 and overlap 0.25. Paths are in the source tree, so
 * every module's tests reach them.
 */
public final class SeparationFixtures {
  public static final Path DIR =
      Path.of("..", "transforms", "src", "test", "resources", "separation").toAbsolutePath().normalize();
  /** Two small HTDemucs (segments 0.5 s and 0.4 s) with weights [[1, .25, .6, 0], [.5, 1, .4, 2]]. */
  public static final Path BAG = DIR.resolve("htdemucs-bag.json");
  /** One small HTDemucs with htdemucs_6s's sources: drums, bass, other, vocals, guitar, piano. */
  public static final Path SIX_SOURCES = DIR.resolve("htdemucs-6s-small.json");

  private SeparationFixtures() {}

  /** A file of the manifest's references. */
  public static Path reference(Path manifest, String file) {
    String name = manifest.getFileName().toString().replaceFirst("\\.json$", "");
    return manifest.resolveSibling(name + "-reference").resolve(file);
  }

  /** The reference mix, [channel][sample]. */
  public static float[][] mix(Path manifest) throws IOException {
    Npy npy = Npy.read(reference(manifest, "mix.npy"));
    int n = npy.shape()[1];
    float[] flat = npy.floats();
    float[][] mix = new float[npy.shape()[0]][];
    Arrays.setAll(mix, c -> Arrays.copyOfRange(flat, c * n, (c + 1) * n));
    return mix;
  }

  /**
   * Signal-to-noise ratio in dB of each source of {@code stems} [source][channel][sample] against the reference
   * stems; a shape that differs from the reference's fails.
   */
  public static double[] snrPerSource(Path manifest, float[][][] stems) throws IOException {
    Npy expected = Npy.read(reference(manifest, "stems.npy"));
    int[] shape = expected.shape();
    int[] actual = {stems.length, stems[0].length, stems[0][0].length};
    if (!Arrays.equals(shape, actual)) {
      throw new AssertionError("stems shape " + Arrays.toString(actual) + ", reference " + Arrays.toString(shape));
    }
    float[] flat = expected.floats();
    int channels = shape[1];
    int n = shape[2];
    double[] snr = new double[shape[0]];
    for (int s = 0; s < shape[0]; s++) {
      double signal = 0;
      double noise = 0;
      for (int c = 0; c < channels; c++) {
        for (int i = 0; i < n; i++) {
          double ref = flat[(s * channels + c) * n + i];
          signal += ref * ref;
          noise += (ref - stems[s][c][i]) * (ref - stems[s][c][i]);
        }
      }
      snr[s] = 10 * Math.log10(signal / noise);
    }
    return snr;
  }
}
