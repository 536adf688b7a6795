package io.audioflow.models.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A seeded random-weight model with the layer shapes of musicnn's MSD_musicnn (Pons & Serra 2019; musicnn
 * {@code models.py}: {@code define_model} with {@code num_filt=1.6}) and Essentia's msd-musicnn-1 tensor names, for
 * benchmarks: its cost is that of the real network, its outputs are meaningless.
 *
 * <ul>
 *   <li>front end on [batch, 1, 187, 96]: timbral convolutions 204 x (7, 38) and 204 x (7, 67) (time padded 3+3),
 *       max over frequency; temporal convolutions 51 x (128, 1), 51 x (64, 1), 51 x (32, 1) on the
 *       frequency-averaged input ("same" padding); concatenated: 561 channels x 187 frames;
 *   <li>mid end: three 1-D convolutions 64 x 7 ("same"), ReLU, the second and third residual; concatenated with
 *       the front end: 753 channels;
 *   <li>back end: max and mean over time (1506), dense 200 ({@code model/dense/BiasAdd}, the embedding), ReLU,
 *       dense 50, sigmoid ({@code model/Sigmoid}).
 * </ul>
 *
 * Batch normalisation and dropout are folded away, as inference does. About 787,000 weights (3.1 MB). The layout
 * is ONNX's native NCHW, or with {@code nhwc} the front end's convolutions are wrapped in the NHWC/NCHW Transpose
 * pairs that tf2onnx leaves around a TensorFlow (NHWC) convolution, to measure what they cost.
 */
public final class MusicnnShapedModel {
  private MusicnnShapedModel() {}

  public static final String NAME = "musicnn-shaped";
  public static final String INPUT = "model/Placeholder";
  public static final String TAGS_OUTPUT = "model/Sigmoid";
  public static final String EMBEDDINGS_OUTPUT = "model/dense/BiasAdd";

  public static byte[] onnx(long seed, boolean nhwc) {
    Random random = new Random(seed);
    OnnxGraph g = new OnnxGraph(NAME);
    g.input(INPUT, StandInModels.FRAMES, StandInModels.MELS);
    g.output(TAGS_OUTPUT, StandInModels.TAGS);
    g.output(EMBEDDINGS_OUTPUT, StandInModels.EMBEDDING);
    String x = g.node("Unsqueeze", "x4", new String[] {INPUT, g.longs("axis1", 1)}); // [b,1,187,96]

    String t1 = timbral(g, random, x, 38, "t1", nhwc);
    String t2 = timbral(g, random, x, 67, "t2", nhwc);
    String freqMean = g.node("ReduceMean", "freq_mean", new String[] {x}, "axes", new long[] {3}, "keepdims", 1L);
    String s1 = temporal(g, random, freqMean, 128, "s1", nhwc);
    String s2 = temporal(g, random, freqMean, 64, "s2", nhwc);
    String s3 = temporal(g, random, freqMean, 32, "s3", nhwc);
    String front = g.node("Concat", "front", new String[] {t1, t2, s1, s2, s3}, "axis", 1L); // [b,561,187]

    String m1 = conv1d(g, random, front, 561, "m1");
    String m2 = g.node("Add", "m2", new String[] {conv1d(g, random, m1, 64, "m2c"), m1});
    String m3 = g.node("Add", "m3", new String[] {conv1d(g, random, m2, 64, "m3c"), m2});
    String mid = g.node("Concat", "mid", new String[] {front, m1, m2, m3}, "axis", 1L); // [b,753,187]

    String max = g.node("ReduceMax", "pool_max", new String[] {mid}, "axes", new long[] {2}, "keepdims", 0L);
    String mean = g.node("ReduceMean", "pool_mean", new String[] {mid}, "axes", new long[] {2}, "keepdims", 0L);
    String pooled = g.node("Concat", "pooled", new String[] {max, mean}, "axis", 1L); // [b,1506]
    g.node("Gemm", EMBEDDINGS_OUTPUT, new String[] {
        pooled, g.floats("dense_w", gaussian(random, 1506 * 200, Math.sqrt(2.0 / 1506)), 1506, 200),
        g.floats("dense_b", new float[200], 200)});
    String relu = g.node("Relu", "dense_relu", new String[] {EMBEDDINGS_OUTPUT});
    String logits = g.node("Gemm", "model/dense_1/BiasAdd", new String[] {
        relu, g.floats("dense1_w", gaussian(random, 200 * 50, Math.sqrt(1.0 / 200)), 200, 50),
        g.floats("dense1_b", new float[50], 50)});
    g.node("Sigmoid", TAGS_OUTPUT, new String[] {logits});
    return g.toBytes();
  }

  /** 204 filters of (7, width) on [b,1,187,96], time padded 3+3, ReLU, max over frequency: [b,204,187]. */
  private static String timbral(OnnxGraph g, Random random, String x, int width, String name, boolean nhwc) {
    String w = g.floats(name + "_w", gaussian(random, 204 * 7 * width, Math.sqrt(2.0 / (7 * width))),
        204, 1, 7, width);
    String conv = conv2d(g, name, x, w, g.floats(name + "_b", new float[204], 204), new long[] {3, 0, 3, 0}, nhwc);
    String relu = g.node("Relu", name + "_relu", new String[] {conv});
    if (!nhwc) {
      return g.node("ReduceMax", name, new String[] {relu}, "axes", new long[] {3}, "keepdims", 0L);
    }
    String max = g.node("ReduceMax", name + "_max", new String[] {relu}, "axes", new long[] {2}, "keepdims", 0L);
    return g.node("Transpose", name, new String[] {max}, "perm", new long[] {0, 2, 1});
  }

  /** 51 filters of (length, 1) on the frequency mean [b,1,187,1], "same" padding, ReLU: [b,51,187]. */
  private static String temporal(OnnxGraph g, Random random, String x, int length, String name, boolean nhwc) {
    String w = g.floats(name + "_w", gaussian(random, 51 * length, Math.sqrt(2.0 / length)), 51, 1, length, 1);
    String conv = conv2d(g, name, x, w, g.floats(name + "_b", new float[51], 51),
        new long[] {(length - 1) / 2, 0, length / 2, 0}, nhwc);
    String relu = g.node("Relu", name + "_relu", new String[] {conv});
    if (!nhwc) {
      return g.node("Squeeze", name, new String[] {relu, g.longs(name + "_axis", 3)});
    }
    String squeezed = g.node("Squeeze", name + "_sq", new String[] {relu, g.longs(name + "_axis", 2)});
    return g.node("Transpose", name, new String[] {squeezed}, "perm", new long[] {0, 2, 1});
  }

  /**
   * A 2-D convolution of NCHW {@code x}: NCHW out; with {@code nhwc} as tf2onnx converts a TensorFlow (NHWC) one,
   * the input taken to NHWC and back to NCHW around the Conv and the output left in NHWC for the ops after it.
   */
  private static String conv2d(OnnxGraph g, String name, String x, String w, String b, long[] pads, boolean nhwc) {
    if (!nhwc) {
      return g.node("Conv", name + "_conv", new String[] {x, w, b}, "pads", pads);
    }
    String inNhwc = g.node("Transpose", name + "_in_nhwc", new String[] {x}, "perm", new long[] {0, 2, 3, 1});
    String inNchw = g.node("Transpose", name + "_in_nchw", new String[] {inNhwc}, "perm", new long[] {0, 3, 1, 2});
    String conv = g.node("Conv", name + "_conv", new String[] {inNchw, w, b}, "pads", pads);
    return g.node("Transpose", name + "_out_nhwc", new String[] {conv}, "perm", new long[] {0, 2, 3, 1});
  }

  /** 64 filters of 7 over {@code channels} channels, "same" padding, ReLU: [b,64,187]. */
  private static String conv1d(OnnxGraph g, Random random, String x, int channels, String name) {
    String w = g.floats(name + "_w", gaussian(random, 64 * channels * 7, Math.sqrt(2.0 / (7 * channels))),
        64, channels, 7);
    String conv = g.node("Conv", name + "_conv", new String[] {x, w, g.floats(name + "_b", new float[64], 64)},
        "pads", new long[] {3, 3});
    return g.node("Relu", name + "_relu", new String[] {conv});
  }

  private static float[] gaussian(Random random, int n, double scale) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) (random.nextGaussian() * scale);
    }
    return values;
  }

  /**
   * Writes {@code <dir>/musicnn-shaped.onnx} and the project's manifest for it, front end {@code essentia-musicnn};
   * returns the manifest.
   */
  public static Path write(Path dir, long seed) throws IOException {
    Files.createDirectories(dir);
    Path model = Files.write(dir.resolve(NAME + ".onnx"), onnx(seed, false));
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("format", "audioflow-model/1");
    root.put("name", NAME);
    root.put("model", model.getFileName().toString());
    root.put("sha256", StandInModels.sha256(model));
    ObjectNode input = root.putObject("input");
    input.put("name", INPUT);
    input.putArray("shape").add(StandInModels.FRAMES).add(StandInModels.MELS);
    ObjectNode outputs = root.putObject("outputs");
    outputs.putObject("predictions").put("name", TAGS_OUTPUT);
    outputs.putObject("embeddings").put("name", EMBEDDINGS_OUTPUT);
    StandInModels.tagLabels().forEach(root.putArray("labels")::add);
    root.put("sample_rate", 16000);
    root.put("front_end", "essentia-musicnn");
    Path manifest = dir.resolve(NAME + ".audioflow.json");
    json.writerWithDefaultPrettyPrinter().writeValue(manifest.toFile(), root);
    return manifest;
  }
}
