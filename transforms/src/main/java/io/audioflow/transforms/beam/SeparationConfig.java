package io.audioflow.transforms.beam;

import io.audioflow.models.InferenceDevice;
import io.audioflow.models.SeparationBag;
import io.audioflow.transforms.separation.TrackSeparator;
import java.io.Serializable;

/**
 * What every separating DoFn is built with.
 *
 * @param bag the separation model, read and checked when the job was built
 * @param device where the sessions run ({@code --inferenceDevice}); an unusable one falls back to the CPU unless
 *     {@code requireDevice}
 * @param intraOpThreads ONNX Runtime intra-op threads of each shared session (0: one per core)
 * @param batchWaitMillis how long a chunk waits for other tracks' chunks to fill a batch
 * @param maxSecondsPerFile the fixed part of a file's time budget (0: no budget)
 * @param secondsPerAudioSecond the budget's growth per second of audio decoded
 */
public record SeparationConfig(SeparationBag bag, TrackSeparator.Settings settings, InferenceDevice device,
    boolean requireDevice, int intraOpThreads,
    long batchWaitMillis, double maxSecondsPerFile, double secondsPerAudioSecond) implements Serializable {}
