package io.audioflow.transforms.separation;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Span {@code index} of the {@code count} a track is cut into: its model-rate positions {@code [from, to)}. The last
 * span is open-ended ({@code to} = {@link Long#MAX_VALUE}), so it runs to the track's real end whatever its header
 * declared; a span starting past the end is empty.
 */
public record SeparationSpan(int index, int count, long from, long to) implements Serializable {
  /** The whole track in one piece. */
  public static final SeparationSpan WHOLE = new SeparationSpan(0, 1, 0, Long.MAX_VALUE);

  public SeparationSpan {
    if (index < 0 || index >= count || from < 0 || to <= from) {
      throw new IllegalArgumentException("span " + index + " of " + count + ": [" + from + ", " + to + ")");
    }
  }

  /**
   * The spans of {@code spanFrames} each that cover a track of about {@code frames} frames, the last one open-ended;
   * one span when the track is not longer than one.
   */
  public static List<SeparationSpan> cut(long frames, long spanFrames) {
    int count = (int) Math.max(1, (frames + spanFrames - 1) / spanFrames);
    List<SeparationSpan> spans = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      spans.add(new SeparationSpan(i, count, i * spanFrames, i == count - 1 ? Long.MAX_VALUE : (i + 1) * spanFrames));
    }
    return spans;
  }
}
