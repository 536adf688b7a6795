package io.audioflow.transforms.features;

/** Receives a file's frames in order, each with all its per-frame feature values aligned. */
@FunctionalInterface
public interface FrameListener {
  void onFrame(FrameRow row);
}
