package io.audioflow.transforms.features;

/**
 * {@code librosa.feature.rms(y, frame_length=nFft, hop_length=hop, center=True, pad_mode='constant')} on the STFT's
 * frames (the same zero-padded frames). librosa's {@code dtype=np.float32} squares the samples in float32 and
 * {@code np.mean} sums each frame's squares pairwise in float32; this does the same, in numpy's order, so the result
 * is librosa's float32 value.
 */
final class Rms implements FrameConsumer {
  private final float[] out;
  private final int at;
  private final float[] squares;

  Rms(int nFft, float[] out, int at) {
    this.out = out;
    this.at = at;
    this.squares = new float[nFft];
  }

  @Override
  public void onFrame(StftFrame frame) {
    double[] x = frame.samples();
    float[] sq = squares;
    for (int i = 0; i < sq.length; i++) {
      float s = (float) x[i]; // the samples are float32 to begin with: exact
      sq[i] = s * s;
    }
    float meanSquare = pairwiseSum(sq, 0, sq.length) / sq.length;
    out[at] = (float) Math.sqrt(meanSquare);
  }

  /**
   * numpy's pairwise float32 sum of {@code a[from, from + n)}: under 8 terms a plain loop, up to 128 eight
   * interleaved partial sums, above that the two halves (split at a multiple of 8) summed separately.
   */
  static float pairwiseSum(float[] a, int from, int n) {
    if (n < 8) {
      float sum = 0f;
      for (int i = 0; i < n; i++) {
        sum += a[from + i];
      }
      return sum;
    }
    if (n <= 128) {
      float r0 = a[from];
      float r1 = a[from + 1];
      float r2 = a[from + 2];
      float r3 = a[from + 3];
      float r4 = a[from + 4];
      float r5 = a[from + 5];
      float r6 = a[from + 6];
      float r7 = a[from + 7];
      int i = 8;
      for (int end = n - n % 8; i < end; i += 8) {
        int j = from + i;
        r0 += a[j];
        r1 += a[j + 1];
        r2 += a[j + 2];
        r3 += a[j + 3];
        r4 += a[j + 4];
        r5 += a[j + 5];
        r6 += a[j + 6];
        r7 += a[j + 7];
      }
      float sum = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
      for (; i < n; i++) {
        sum += a[from + i];
      }
      return sum;
    }
    int half = n / 2;
    half -= half % 8;
    return pairwiseSum(a, from, half) + pairwiseSum(a, from + half, n - half);
  }
}
