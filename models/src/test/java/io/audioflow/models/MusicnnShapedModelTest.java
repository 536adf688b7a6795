package io.audioflow.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.audioflow.models.testing.MusicnnShapedModel;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MusicnnShapedModelTest {
  @TempDir Path dir;

  @Test
  void hasEssentiaMusicnnNamesAndShapesAndRunsABatch() throws Exception {
    ModelManifest manifest = ModelManifest.read(MusicnnShapedModel.write(dir, 1).toString());
    assertEquals(FrontEnd.ESSENTIA_MUSICNN, manifest.frontEnd());
    LocalModel local = new ModelStore(dir.resolve("cache")).verify(manifest);
    long bytes = java.nio.file.Files.size(local.file());
    assertTrue(bytes > 3_000_000 && bytes < 3_400_000, "about 787k float weights, got " + bytes + " bytes");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(local.file().toString(), new OrtSession.SessionOptions())) {
      float[] input = new float[3 * 187 * 96];
      Arrays.fill(input, 0.5f);
      try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {3, 187, 96});
          OrtSession.Result r = session.run(Map.of(manifest.input().name(), x))) {
        float[][] tags = (float[][]) r.get(manifest.predictions().name()).orElseThrow().getValue();
        float[][] embedding = (float[][]) r.get(manifest.embeddings().name()).orElseThrow().getValue();
        assertEquals(3, tags.length);
        assertEquals(50, tags[0].length);
        assertEquals(200, embedding[2].length);
        for (float v : tags[2]) {
          assertTrue(v > 0 && v < 1, "sigmoid output " + v);
        }
        // The tf2onnx-style NHWC variant is the same network: same weights, same outputs.
        try (OrtSession nhwc = env.createSession(MusicnnShapedModel.onnx(1, true), new OrtSession.SessionOptions());
            OrtSession.Result n = nhwc.run(Map.of(manifest.input().name(), x))) {
          float[][] nhwcEmbedding = (float[][]) n.get(manifest.embeddings().name()).orElseThrow().getValue();
          for (int i = 0; i < 200; i++) {
            assertEquals(embedding[1][i], nhwcEmbedding[1][i], 1e-4 * (1 + Math.abs(embedding[1][i])));
          }
        }
      }
    }
  }
}
