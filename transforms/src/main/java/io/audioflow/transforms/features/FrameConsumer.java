package io.audioflow.transforms.features;

/** Receives the frames of an {@link Stft}, in order; the frame and its arrays are reused for the next one. */
@FunctionalInterface
public interface FrameConsumer {
  void onFrame(StftFrame frame);
}
