package io.audioflow.transforms.analysis;

/** Wall time spent per stage for one file, in nanoseconds; decode includes reading and demuxing. */
public record StageTimes(long decodeNanos, long resampleNanos, long melNanos, long loudnessNanos) {}
