package io.audioflow.transforms.features;

/**
 * {@code librosa.feature.rms(y, frame_length=nFft, hop_length=hop, center=True, pad_mode='constant')} on the STFT's
 * frames (the same zero-padded frames). A frame is {@code nFft / hop} whole hops, so each hop's sum of squares is
 * computed once, in double, and a frame's mean square is the sum of its hops' sums: every sample is squared once,
 * not four times. librosa sums float32 squares pairwise in float32; the double sums differ from its values by about
 * its own float32 rounding (1e-7 relative), not more.
 */
final class Rms implements FrameConsumer {
  private final float[] out;
  private final int at;
  private final int hop;
  /** Sums of squares of the last {@code nFft / hop} hops, by hop number modulo their count. */
  private final double[] hopSums;
  private final double[] block;
  /** First hop (of the padded signal) not yet summed. */
  private long nextHop;

  Rms(int nFft, int hop, float[] out, int at) {
    if (nFft % hop != 0) {
      throw new IllegalArgumentException("RMS by hops needs nFft a multiple of hop, got " + nFft + "/" + hop);
    }
    this.out = out;
    this.at = at;
    this.hop = hop;
    this.hopSums = new double[nFft / hop];
    this.block = new double[hop];
  }

  void reset() {
    nextHop = 0;
  }

  @Override
  public void onFrame(StftFrame frame) {
    long first = frame.index(); // frame k starts at padded position k * hop: its first hop is hop k
    long end = first + hopSums.length;
    for (long h = Math.max(nextHop, first); h < end; h++) {
      frame.read((int) (h - first) * hop, block, hop);
      double sum = 0;
      for (double s : block) {
        sum += s * s;
      }
      hopSums[(int) (h % hopSums.length)] = sum;
    }
    nextHop = Math.max(nextHop, end);
    double total = 0;
    for (double s : hopSums) {
      total += s;
    }
    out[at] = (float) Math.sqrt(total / frame.length());
  }
}
