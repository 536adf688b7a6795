package io.audioflow.models.testing;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;

/**
 * Whether this JVM runs ONNX Runtime sessions on CUDA device 0: the condition of the CUDA tests
 * ({@code @EnabledIf("io.audioflow.models.testing.CudaDevice#present")}, run by {@code tools/gpu-check.sh}). The
 * provider being listed is not enough (the GPU build lists it on any machine): a session must start on the device.
 */
public final class CudaDevice {
  private CudaDevice() {}

  private static final boolean PRESENT = probe();

  public static boolean present() {
    return PRESENT;
  }

  private static boolean probe() {
    if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      return false;
    }
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.addCUDA(0);
      OrtEnvironment.getEnvironment().createSession(MusicnnShapedModel.onnx(1, false), options).close();
      return true;
    } catch (OrtException | RuntimeException e) {
      return false;
    }
  }
}
