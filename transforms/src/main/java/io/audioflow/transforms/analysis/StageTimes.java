package io.audioflow.transforms.analysis;

/**
 * Wall time spent per stage for one file, in nanoseconds; decode includes reading, demuxing and the downmix, and
 * features the classic features (with the mel spectrogram when the two share an STFT).
 */
public record StageTimes(long decodeNanos, long resampleNanos, long melNanos, long loudnessNanos, long featuresNanos) {}
