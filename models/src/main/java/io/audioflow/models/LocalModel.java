package io.audioflow.models;

import java.nio.file.Path;

/**
 * A model copied into the local cache and verified.
 *
 * @param manifest the manifest, pinned to the verified SHA-256
 * @param file the local {@code .onnx} file
 */
public record LocalModel(ModelManifest manifest, Path file) {}
