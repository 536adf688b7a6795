package io.audioflow.transforms.tagging;

import java.util.Arrays;

/**
 * Cuts a stream of frames into patches of {@code frames} frames starting every {@code hop} frames, holding only the
 * last {@code frames} frames. Patch {@code k} covers frames {@code [k * hop, k * hop + frames)}; after the last
 * whole patch, the next one that reaches past the end is zero-padded ({@link LastPatch#PAD}) or dropped; it is
 * only made when it holds frames no whole patch covered.
 */
public final class PatchAssembler {
  /** Receives each patch, frame-major; the array is reused, so copy what you keep. */
  @FunctionalInterface
  public interface PatchSink {
    void onPatch(float[] patch);
  }

  private final int frames;
  private final int width;
  private final int hop;
  private final LastPatch lastPatch;
  private final PatchSink sink;
  private final float[] ring;
  private final float[] patch;
  private long received;
  private long nextStart;
  private int patches;

  public PatchAssembler(int frames, int width, int hop, LastPatch lastPatch, PatchSink sink) {
    if (frames < 1 || width < 1 || hop < 1) {
      throw new IllegalArgumentException(
          "patch frames, width and hop must be >= 1, got " + frames + ", " + width + ", " + hop);
    }
    this.frames = frames;
    this.width = width;
    this.hop = hop;
    this.lastPatch = lastPatch;
    this.sink = sink;
    this.ring = new float[frames * width];
    this.patch = new float[frames * width];
  }

  public void reset() {
    received = 0;
    nextStart = 0;
    patches = 0;
  }

  /** Adds the next frame ({@code width} values from {@code frame}). */
  public void add(float[] frame) {
    System.arraycopy(frame, 0, ring, (int) (received % frames) * width, width);
    received++;
    if (received == nextStart + frames) {
      emit(frames);
      nextStart += hop;
    }
  }

  /**
   * Emits the padded last patch when frames after the last whole patch's end remain; call once after the last
   * frame.
   */
  public void finish() {
    long coveredUntil = patches == 0 ? 0 : nextStart - hop + frames;
    if (lastPatch == LastPatch.PAD && nextStart < received && received > coveredUntil) {
      emit((int) (received - nextStart));
    }
  }

  /** Patches emitted since the last reset. */
  public int patches() {
    return patches;
  }

  /** Emits the patch starting at {@code nextStart} from its first {@code available} frames, zeros after. */
  private void emit(int available) {
    for (int t = 0; t < available; t++) {
      int slot = (int) ((nextStart + t) % frames);
      System.arraycopy(ring, slot * width, patch, t * width, width);
    }
    Arrays.fill(patch, available * width, patch.length, 0f);
    patches++;
    sink.onPatch(patch);
  }
}
