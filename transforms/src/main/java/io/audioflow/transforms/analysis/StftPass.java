package io.audioflow.transforms.analysis;

/**
 * One STFT configuration computed for a file, and what used it: the evidence that each configuration is transformed
 * once per file whatever the set of features.
 *
 * @param configuration sample rate, FFT size, window and hop
 * @param users the analyses that read its frames (e.g. {@code mel}, {@code features})
 * @param frames frames transformed
 */
public record StftPass(String configuration, String users, long frames) {}
