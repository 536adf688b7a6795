package io.audioflow.transforms.audio;

import io.audioflow.transforms.analysis.AnalysisException;

/**
 * Receives decoded audio as planar float blocks ({@code planar[channel][0..frames)}), in [-1, 1] full scale.
 * The arrays are reused by the producer: a listener copies what it keeps beyond the call. A listener that finds
 * the audio unusable (non-finite samples) stops the decode by throwing.
 */
@FunctionalInterface
public interface PcmBlockListener {
  void onBlock(float[][] planar, int frames) throws AnalysisException;
}
