package io.audioflow.transforms.features;

/**
 * A per-frame feature summarised over a file's frames: per dimension, the mean and the population standard deviation
 * ({@code np.std}, ddof 0). Both are NaN when the file gave no frame.
 *
 * @param name the feature's {@link Feature#id()}
 * @param mean per-dimension mean
 * @param std per-dimension population standard deviation
 */
public record FeatureSummary(String name, float[] mean, float[] std) {}
