/** Model manifests, loading from any Beam filesystem, and ONNX Runtime sessions shared per worker JVM. */
package io.audioflow.models;
