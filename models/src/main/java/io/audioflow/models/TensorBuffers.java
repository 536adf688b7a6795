package io.audioflow.models;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Buffers that ONNX Runtime tensors use in place; a tensor made from a heap buffer copies it every time. */
public final class TensorBuffers {
  private TensorBuffers() {}

  /** A zeroed native-order direct buffer of {@code floats} floats. */
  public static FloatBuffer directFloats(int floats) {
    return ByteBuffer.allocateDirect(Math.multiplyExact(floats, Float.BYTES)).order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }
}
