package io.audioflow.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.audioflow.models.testing.MusicnnShapedModel;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24's CUDA half, enabled where a session starts on CUDA device 0 ({@code tools/gpu-check.sh}): tagging on
 * the GPU against the CPU, and a CUDA device that is absent on a machine that has one. Tolerances allow for ONNX
 * Runtime's CUDA provider running float32 convolutions and GEMMs in TF32 on Ampere and later (its default): tag
 * probabilities within 2e-3, embeddings within 1e-2 of their largest magnitude. The measured differences are printed.
 */
@EnabledIf("io.audioflow.models.testing.CudaDevice#present")
class CudaSessionsTest {
  private static final InferenceDevice CUDA = InferenceDevice.parse("cuda:0");
  /** No machine here has a hundredth GPU. */
  private static final InferenceDevice ABSENT = InferenceDevice.parse("cuda:99");

  @TempDir static Path dir;

  @Test
  void taggingOnCudaMatchesTheCpu() throws Exception {
    Path model = Files.write(dir.resolve("musicnn-shaped.onnx"), MusicnnShapedModel.onnx(1909, false));
    int batch = 8;
    float[] patches = new float[batch * 187 * 96];
    Random random = new Random(7);
    for (int i = 0; i < patches.length; i++) {
      patches[i] = (float) (random.nextDouble() * 3); // the range of log10(1 + 10000 S)
    }
    try (SharedSessions.Lease cpu = SharedSessions.acquire(model, new SessionPolicy(InferenceDevice.CPU, true, 1));
        SharedSessions.Lease cuda = SharedSessions.acquire(model, new SessionPolicy(CUDA, true, 1))) {
      assertEquals(CUDA, cuda.device());
      float[][] cpuOut = run(cpu.session(), patches, batch);
      float[][] cudaOut = run(cuda.session(), patches, batch);
      double tags = maxAbsDifference(cpuOut[0], cudaOut[0]);
      double embeddings = maxAbsDifference(cpuOut[1], cudaOut[1]) / maxAbs(cpuOut[1]);
      System.out.printf(Locale.ROOT, "CUDA vs CPU tagging, batch %d: tags max abs difference %.2e, embeddings %.2e of"
          + " their largest magnitude%n", batch, tags, embeddings);
      assertTrue(tags <= 2e-3, "tags: " + tags);
      assertTrue(embeddings <= 1e-2, "embeddings: " + embeddings);
    }
  }

  @Test
  void anAbsentCudaDeviceFallsBackToTheCpuOrFailsWhenRequired() throws Exception {
    Path model = Files.write(dir.resolve("fallback.onnx"), MusicnnShapedModel.onnx(3, false));
    try (SharedSessions.Lease lease = SharedSessions.acquire(model, new SessionPolicy(ABSENT, false, 1))) {
      assertEquals(InferenceDevice.CPU, lease.device());
    }
    Path other = Files.write(dir.resolve("required.onnx"), MusicnnShapedModel.onnx(4, false));
    DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
        () -> SharedSessions.acquire(other, new SessionPolicy(ABSENT, true, 1)));
    assertTrue(e.getMessage().contains("cuda:99"), e.getMessage());
  }

  /** Tags and embeddings of one call, flattened. */
  private static float[][] run(OrtSession session, float[] patches, int batch) throws Exception {
    try (OnnxTensor x = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(patches),
            new long[] {batch, 187, 96});
        OrtSession.Result result = session.run(Map.of(MusicnnShapedModel.INPUT, x),
            Set.of(MusicnnShapedModel.TAGS_OUTPUT, MusicnnShapedModel.EMBEDDINGS_OUTPUT))) {
      return new float[][] {flat(result, MusicnnShapedModel.TAGS_OUTPUT),
          flat(result, MusicnnShapedModel.EMBEDDINGS_OUTPUT)};
    }
  }

  private static float[] flat(OrtSession.Result result, String name) {
    FloatBuffer buffer = ((OnnxTensor) result.get(name).orElseThrow()).getFloatBuffer();
    float[] values = new float[buffer.remaining()];
    buffer.get(values);
    return values;
  }

  private static double maxAbsDifference(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  private static double maxAbs(float[] a) {
    double max = 0;
    for (float v : a) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }
}
