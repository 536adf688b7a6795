package io.audioflow.transforms.separation;

import java.util.Arrays;

/**
 * Rows of floats over a window of absolute sample positions {@code [start, end)} that moves forward: writes
 * extend it, {@link #dropBefore} releases the head. Its capacity follows the window's width, not the stream's
 * length.
 */
final class SlidingBuffer {
  private float[][] rows;
  private long start;
  private long end;

  SlidingBuffer(int rowCount, int initialCapacity) {
    rows = new float[rowCount][Math.max(16, initialCapacity)];
  }

  long start() {
    return start;
  }

  long end() {
    return end;
  }

  float[] row(int r) {
    return rows[r];
  }

  /** Index into {@link #row} of absolute position {@code position} (which must lie in the window). */
  int index(long position) {
    return (int) (position - start);
  }

  /** Grows the window to cover {@code [start, newEnd)}; new positions read as 0. */
  void extendTo(long newEnd) {
    if (newEnd <= end) {
      return;
    }
    int width = (int) (newEnd - start);
    if (width > rows[0].length) {
      int capacity = Math.max(width, rows[0].length * 2);
      for (int r = 0; r < rows.length; r++) {
        rows[r] = Arrays.copyOf(rows[r], capacity);
      }
    }
    end = newEnd;
  }

  /** Empties the window and moves it back to position 0, for a new stream; the capacity is kept. */
  void clear() {
    for (float[] row : rows) {
      Arrays.fill(row, 0, (int) (end - start), 0f); // beyond the window rows are already 0
    }
    start = end = 0;
  }

  /** Appends {@code frames} samples of each row of {@code planar} at the window's end. */
  void append(float[][] planar, int frames) {
    long at = end;
    extendTo(end + frames);
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(planar[r], 0, rows[r], index(at), frames);
    }
  }

  /** Releases positions before {@code position}, moving the rest to the front (zeroing what becomes free). */
  void dropBefore(long position) {
    if (position <= start) {
      return;
    }
    int shift = (int) (Math.min(position, end) - start);
    int kept = (int) (end - start) - shift;
    for (float[] row : rows) {
      System.arraycopy(row, shift, row, 0, kept);
      Arrays.fill(row, kept, kept + shift, 0f);
    }
    start += shift;
    if (position > end) {
      start = end = position;
    }
  }
}
