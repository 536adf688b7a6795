package io.audioflow.transforms.mel;

/**
 * A window of a long signal, addressed by absolute position, in a ring of equal chunks (a power of two long): a
 * frame whose rows start on chunk boundaries reads whole chunk arrays, with no copy. Position {@code p} is element
 * {@code p & (chunkLength - 1)} of chunk {@code (p >> chunkBits) & mask}; positions a whole ring apart share storage,
 * so the owner decides what is still live.
 */
public final class SampleRing {
  final int chunkBits;
  final int chunkLength;
  final int mask;
  final double[][] chunks;

  /** A ring of chunks of {@code chunkLength} (a power of two) holding at least {@code minCapacity} values. */
  public SampleRing(int chunkLength, int minCapacity) {
    if (Integer.bitCount(chunkLength) != 1) {
      throw new IllegalArgumentException("chunk length must be a power of two, got " + chunkLength);
    }
    this.chunkLength = chunkLength;
    this.chunkBits = Integer.numberOfTrailingZeros(chunkLength);
    int count = Integer.highestOneBit(Math.max(1, (minCapacity + chunkLength - 1) / chunkLength) * 2 - 1);
    this.mask = count - 1;
    this.chunks = new double[count][chunkLength];
  }

  public int capacity() {
    return chunks.length * chunkLength;
  }

  /** The chunk holding positions {@code [index * chunkLength, (index + 1) * chunkLength)}. */
  double[] chunk(long index) {
    return chunks[(int) index & mask];
  }

  public double get(long p) {
    return chunk(p >> chunkBits)[(int) p & (chunkLength - 1)];
  }

  public void set(long p, double v) {
    chunk(p >> chunkBits)[(int) p & (chunkLength - 1)] = v;
  }

  /** Positions {@code [p, p + n)} from {@code src[offset ..]}. */
  public void write(long p, float[] src, int offset, int n) {
    while (n > 0) {
      double[] c = chunk(p >> chunkBits);
      int at = (int) p & (chunkLength - 1);
      int m = Math.min(n, chunkLength - at);
      for (int i = 0; i < m; i++) {
        c[at + i] = src[offset + i];
      }
      p += m;
      offset += m;
      n -= m;
    }
  }

  /** Positions {@code [p, p + n)} from {@code src[offset ..]}. */
  public void write(long p, double[] src, int offset, int n) {
    while (n > 0) {
      int at = (int) p & (chunkLength - 1);
      int m = Math.min(n, chunkLength - at);
      System.arraycopy(src, offset, chunk(p >> chunkBits), at, m);
      p += m;
      offset += m;
      n -= m;
    }
  }

  /** Positions {@code [p, p + n)} into {@code dst[offset ..]}. */
  public void read(long p, double[] dst, int offset, int n) {
    while (n > 0) {
      int at = (int) p & (chunkLength - 1);
      int m = Math.min(n, chunkLength - at);
      System.arraycopy(chunk(p >> chunkBits), at, dst, offset, m);
      p += m;
      offset += m;
      n -= m;
    }
  }
}
