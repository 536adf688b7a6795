package io.audioflow.transforms.features;

/**
 * {@code librosa.feature.zero_crossing_rate(y, frame_length=nFft, hop_length=hop, center=True)} on the STFT's
 * frames. librosa pads this one with {@code mode='edge'}, not zeros: the padding repeats the first and last sample,
 * so it adds no crossing, and only consecutive signal samples within the frame count. {@code zero_crossings}
 * defaults: {@code |x| <= 1e-10} counts as 0 and {@code zero_pos=True} makes 0 positive, so a sample is negative
 * exactly when {@code x < -1e-10}; the frame's first position never counts ({@code pad=False}), and the rate is the
 * count over the frame length.
 *
 * <p>Each sample is classified once, when it first appears in a frame: a running count of crossings, kept for the
 * last {@code nFft} samples, turns a frame's count into one subtraction. The counts are ints that may wrap around;
 * differences over one frame stay exact.
 */
final class ZeroCrossingRate implements FrameConsumer {
  private static final double THRESHOLD = 1e-10;

  private final float[] out;
  private final int at;
  /** Crossings among signal samples [0, p] at {@code [p & mask]}, for the last {@code nFft} samples p. */
  private final int[] running;
  private final int mask;
  private final double[] fresh;
  private long next; // first signal sample not yet classified
  private int lastNegative;
  private int crossings;

  ZeroCrossingRate(int nFft, float[] out, int at) {
    this.out = out;
    this.at = at;
    this.running = new int[Integer.highestOneBit(nFft - 1) << 1];
    this.mask = running.length - 1;
    this.fresh = new double[nFft];
  }

  void reset() {
    next = 0;
    crossings = 0;
  }

  @Override
  public void onFrame(StftFrame frame) {
    long position = frame.position();
    int from = frame.signalFrom();
    int to = frame.signalTo();
    int start = (int) Math.max(from, Math.min(to, next - position));
    double[] x = fresh; // x[i - start] is position i
    frame.read(start, x, to - start);
    if (next == 0 && start < to) {
      lastNegative = negative(x[0]); // the signal's first sample: no crossing before it
    }
    int previous = lastNegative;
    int count = crossings;
    int[] ring = running;
    int base = (int) position; // only the low bits matter for the ring slot
    for (int i = start; i < to; i++) {
      int negative = negative(x[i - start]);
      count += negative ^ previous;
      previous = negative;
      ring[(base + i) & mask] = count;
    }
    lastNegative = previous;
    crossings = count;
    next = Math.max(next, position + to);
    int frameCount = to > from ? ring[(base + to - 1) & mask] - ring[(base + from) & mask] : 0;
    out[at] = (float) (frameCount / (double) frame.length());
  }

  /**
   * 1 when {@code x < -1e-10}, else 0, without a branch (noise would mispredict half of them): {@code x + 1e-10} is
   * negative exactly then, as the sum of two doubles rounds to a value of the same sign, and to +0 when it is 0.
   */
  private static int negative(double x) {
    return (int) (Double.doubleToRawLongBits(x + THRESHOLD) >>> 63);
  }
}
