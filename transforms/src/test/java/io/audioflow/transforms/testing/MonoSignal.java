package io.audioflow.transforms.testing;

import io.audioflow.transforms.resample.Resampler;
import java.nio.file.Path;
import java.util.Arrays;

/** A corpus file decoded with the project's decoder, downmixed to mono by mean, at its native rate. */
public record MonoSignal(int rate, float[] samples) {

  public static MonoSignal decode(Path file) throws Exception {
    float[][] out = {new float[1 << 16]};
    int[] n = {0};
    DecodedFile.Decoded decoded =
        DecodedFile.stream(
            file,
            info ->
                (planar, frames) -> {
                  if (n[0] + frames > out[0].length) {
                    out[0] = Arrays.copyOf(out[0], Math.max(2 * out[0].length, n[0] + frames));
                  }
                  for (int i = 0; i < frames; i++) {
                    double sum = 0;
                    for (float[] channel : planar) {
                      sum += channel[i];
                    }
                    out[0][n[0] + i] = (float) (sum / planar.length);
                  }
                  n[0] += frames;
                });
    return new MonoSignal(decoded.info().sampleRate(), Arrays.copyOf(out[0], n[0]));
  }

  /** Resampled with the project's resampler, as the job does. */
  public MonoSignal resampled(int target) {
    float[][] out = {new float[(int) ((long) samples.length * target / rate) + 1024]};
    int[] n = {0};
    Resampler.Sink sink =
        (x, offset, length) -> {
          if (n[0] + length > out[0].length) {
            out[0] = Arrays.copyOf(out[0], n[0] + length + 1024);
          }
          System.arraycopy(x, offset, out[0], n[0], length);
          n[0] += length;
        };
    try (Resampler resampler = new Resampler(rate, target)) {
      resampler.accept(samples, 0, samples.length, sink);
      resampler.finish(sink);
    }
    return new MonoSignal(target, Arrays.copyOf(out[0], n[0]));
  }
}
