package io.audioflow.models.testing;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Small ONNX models with exactly the tensor names and shapes of Essentia's {@code msd-musicnn-1} extractor and of a
 * two-class head on its 200-d embedding, with seeded weights, so tests can compute their outputs independently.
 *
 * <p>Extractor: {@code model/Placeholder} [batch,187,96] → mean over the 187 frames → Gemm(96→200) =
 * {@code model/dense/BiasAdd} [batch,200] → Gemm(200→50) → Sigmoid = {@code model/Sigmoid} [batch,50]. Head:
 * {@code model/Placeholder} [batch,200] → Gemm(200→2) → Softmax = {@code model/Softmax} [batch,2].
 *
 * <p>{@link #write} lays the files out as the Essentia zoo does ({@code <name>.onnx} beside {@code <name>.json},
 * plus a {@code .onnx.sha256} sidecar) and also writes the project's own manifests ({@code <name>.audioflow.json}).
 */
public final class StandInModels {
  public static final String EXTRACTOR = "msd-musicnn-1";
  public static final String HEAD = "danceability-msd-musicnn-1";
  public static final int FRAMES = 187;
  public static final int MELS = 96;
  public static final int EMBEDDING = 200;
  public static final int TAGS = 50;
  public static final List<String> HEAD_LABELS = List.of("danceable", "not_danceable");

  private static final ObjectMapper JSON = new ObjectMapper();

  // Row-major weights: w1[in][out] as Gemm's B.
  private final float[] w1 = weights(11, MELS * EMBEDDING, 0.1);
  private final float[] b1 = weights(12, EMBEDDING, 0.1);
  private final float[] w2 = weights(13, EMBEDDING * TAGS, 0.05);
  private final float[] b2 = weights(14, TAGS, 0.1);
  private final float[] wh = weights(15, EMBEDDING * 2, 0.05);
  private final float[] bh = weights(16, 2, 0.1);

  /** The extractor's 50 tag labels. */
  public static List<String> tagLabels() {
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < TAGS; i++) {
      labels.add(String.format("tag_%02d", i));
    }
    return labels;
  }

  /** Paths of the written files. */
  public record Written(
      Path extractorOnnx, Path extractorEssentiaJson, Path extractorOwnJson,
      Path headOnnx, Path headEssentiaJson, Path headOwnJson) {}

  /** Writes both models and their manifests in both formats into {@code dir}. */
  public Written write(Path dir) {
    try {
      Files.createDirectories(dir);
      Path extractor = dir.resolve(EXTRACTOR + ".onnx");
      Path head = dir.resolve(HEAD + ".onnx");
      Files.write(extractor, extractorModel().toByteArray());
      Files.write(head, headModel().toByteArray());
      String extractorSha = sha256(extractor);
      String headSha = sha256(head);
      Files.writeString(dir.resolve(EXTRACTOR + ".onnx.sha256"), extractorSha + "  " + EXTRACTOR + ".onnx\n");
      Files.writeString(dir.resolve(HEAD + ".onnx.sha256"), headSha + "  " + HEAD + ".onnx\n");
      Path extractorEssentia = dir.resolve(EXTRACTOR + ".json");
      Path headEssentia = dir.resolve(HEAD + ".json");
      Path extractorOwn = dir.resolve(EXTRACTOR + ".audioflow.json");
      Path headOwn = dir.resolve(HEAD + ".audioflow.json");
      JSON.writerWithDefaultPrettyPrinter().writeValue(extractorEssentia.toFile(), essentiaExtractorJson());
      JSON.writerWithDefaultPrettyPrinter().writeValue(headEssentia.toFile(), essentiaHeadJson());
      JSON.writerWithDefaultPrettyPrinter().writeValue(extractorOwn.toFile(), ownJson(
          EXTRACTOR, extractor, extractorSha, "model/Placeholder", List.of(-1, FRAMES, MELS), "model/Sigmoid",
          "model/dense/BiasAdd", tagLabels(), null));
      JSON.writerWithDefaultPrettyPrinter().writeValue(headOwn.toFile(), ownJson(
          HEAD, head, headSha, "model/Placeholder", List.of(-1, EMBEDDING), "model/Softmax", null, HEAD_LABELS,
          EXTRACTOR));
      return new Written(extractor, extractorEssentia, extractorOwn, head, headEssentia, headOwn);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The extractor's embedding of one patch ({@code FRAMES * MELS} values, frame-major), computed in doubles. */
  public double[] embedding(float[] patch, int offset) {
    double[] mean = new double[MELS];
    for (int t = 0; t < FRAMES; t++) {
      for (int m = 0; m < MELS; m++) {
        mean[m] += patch[offset + t * MELS + m];
      }
    }
    double[] out = new double[EMBEDDING];
    for (int j = 0; j < EMBEDDING; j++) {
      double sum = b1[j];
      for (int m = 0; m < MELS; m++) {
        sum += mean[m] / FRAMES * w1[m * EMBEDDING + j];
      }
      out[j] = sum;
    }
    return out;
  }

  /** The extractor's sigmoid tag probabilities for an embedding. */
  public double[] tags(double[] embedding) {
    double[] out = new double[TAGS];
    for (int k = 0; k < TAGS; k++) {
      double sum = b2[k];
      for (int j = 0; j < EMBEDDING; j++) {
        sum += embedding[j] * w2[j * TAGS + k];
      }
      out[k] = 1.0 / (1.0 + Math.exp(-sum));
    }
    return out;
  }

  /** The head's softmax probabilities for an embedding. */
  public double[] head(double[] embedding) {
    double[] logits = new double[2];
    for (int k = 0; k < 2; k++) {
      double sum = bh[k];
      for (int j = 0; j < EMBEDDING; j++) {
        sum += embedding[j] * wh[j * 2 + k];
      }
      logits[k] = sum;
    }
    double max = Math.max(logits[0], logits[1]);
    double e0 = Math.exp(logits[0] - max);
    double e1 = Math.exp(logits[1] - max);
    return new double[] {e0 / (e0 + e1), e1 / (e0 + e1)};
  }

  public OnnxMl.ModelProto extractorModel() {
    OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
        .setName(EXTRACTOR)
        .addInput(tensor("model/Placeholder", "batch", FRAMES, MELS))
        .addOutput(tensor("model/Sigmoid", "batch", TAGS))
        .addOutput(tensor("model/dense/BiasAdd", "batch", EMBEDDING))
        .addInitializer(initializer("w1", w1, MELS, EMBEDDING))
        .addInitializer(initializer("b1", b1, EMBEDDING))
        .addInitializer(initializer("w2", w2, EMBEDDING, TAGS))
        .addInitializer(initializer("b2", b2, TAGS))
        .addNode(node("ReduceMean", List.of("model/Placeholder"), "mean")
            .addAttribute(ints("axes", 1))
            .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("keepdims").setI(0)
                .setType(OnnxMl.AttributeProto.AttributeType.INT)))
        .addNode(node("Gemm", List.of("mean", "w1", "b1"), "model/dense/BiasAdd"))
        .addNode(node("Gemm", List.of("model/dense/BiasAdd", "w2", "b2"), "logits"))
        .addNode(node("Sigmoid", List.of("logits"), "model/Sigmoid"))
        .build();
    return model(graph);
  }

  public OnnxMl.ModelProto headModel() {
    OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
        .setName(HEAD)
        .addInput(tensor("model/Placeholder", "batch", EMBEDDING))
        .addOutput(tensor("model/Softmax", "batch", 2))
        .addInitializer(initializer("wh", wh, EMBEDDING, 2))
        .addInitializer(initializer("bh", bh, 2))
        .addNode(node("Gemm", List.of("model/Placeholder", "wh", "bh"), "logits"))
        .addNode(node("Softmax", List.of("logits"), "model/Softmax")
            .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setI(1)
                .setType(OnnxMl.AttributeProto.AttributeType.INT)))
        .build();
    return model(graph);
  }

  private static OnnxMl.ModelProto model(OnnxMl.GraphProto graph) {
    return OnnxMl.ModelProto.newBuilder()
        .setIrVersion(7)
        .setProducerName("audioflow-tests")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
        .setGraph(graph)
        .build();
  }

  private static OnnxMl.NodeProto.Builder node(String op, List<String> inputs, String output) {
    return OnnxMl.NodeProto.newBuilder().setOpType(op).addAllInput(inputs).addOutput(output).setName(output + "/op");
  }

  private static OnnxMl.AttributeProto.Builder ints(String name, long value) {
    return OnnxMl.AttributeProto.newBuilder().setName(name).addInts(value)
        .setType(OnnxMl.AttributeProto.AttributeType.INTS);
  }

  private static OnnxMl.ValueInfoProto tensor(String name, String batch, int... dims) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder()
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
    for (int d : dims) {
      shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return OnnxMl.ValueInfoProto.newBuilder()
        .setName(name)
        .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
            .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
            .setShape(shape)))
        .build();
  }

  private static OnnxMl.TensorProto initializer(String name, float[] values, long... dims) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder()
        .setName(name)
        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
        .setRawData(ByteString.copyFrom(bytes.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    return t.build();
  }

  private static float[] weights(long seed, int n, double scale) {
    Random random = new Random(seed);
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) (random.nextGaussian() * scale);
    }
    return w;
  }

  private static ObjectNode essentiaExtractorJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("name", EXTRACTOR);
    root.put("type", "auto-tagging");
    root.put("framework", "onnx");
    ArrayNode classes = root.putArray("classes");
    tagLabels().forEach(classes::add);
    ObjectNode schema = root.putObject("schema");
    schema.putArray("inputs").add(essentiaTensor("model/Placeholder", List.of(FRAMES, MELS), null));
    ArrayNode outputs = schema.putArray("outputs");
    outputs.add(essentiaTensor("model/Sigmoid", List.of(1, TAGS), "predictions"));
    outputs.add(essentiaTensor("model/dense/BiasAdd", List.of(1, EMBEDDING), "embeddings"));
    ObjectNode inference = root.putObject("inference");
    inference.put("sample_rate", 16000);
    inference.put("algorithm", "TensorflowPredictMusiCNN");
    return root;
  }

  private static ObjectNode essentiaHeadJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("name", HEAD);
    root.put("type", "multi-class classifier");
    ArrayNode classes = root.putArray("classes");
    HEAD_LABELS.forEach(classes::add);
    ObjectNode schema = root.putObject("schema");
    schema.putArray("inputs").add(essentiaTensor("model/Placeholder", List.of(EMBEDDING), null));
    schema.putArray("outputs").add(essentiaTensor("model/Softmax", List.of(2), "predictions"));
    ObjectNode inference = root.putObject("inference");
    inference.put("sample_rate", 16000);
    inference.put("algorithm", "TensorflowPredict2D");
    ObjectNode embedding = inference.putObject("embedding_model");
    embedding.put("algorithm", "TensorflowPredictMusiCNN");
    embedding.put("model_name", EXTRACTOR);
    return root;
  }

  private static ObjectNode essentiaTensor(String name, List<Integer> shape, String purpose) {
    ObjectNode t = JSON.createObjectNode();
    t.put("name", name);
    t.put("type", "float");
    ArrayNode dims = t.putArray("shape");
    shape.forEach(dims::add);
    if (purpose != null) {
      t.put("output_purpose", purpose);
    }
    return t;
  }

  private static ObjectNode ownJson(
      String name, Path model, String sha, String input, List<Integer> shape, String predictions, String embeddings,
      List<String> labels, String embeddingModel) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", "audioflow-model/1");
    root.put("name", name);
    root.put("model", model.getFileName().toString());
    root.put("sha256", sha);
    ObjectNode in = root.putObject("input");
    in.put("name", input);
    ArrayNode dims = in.putArray("shape");
    shape.forEach(dims::add);
    ObjectNode outputs = root.putObject("outputs");
    outputs.putObject("predictions").put("name", predictions);
    if (embeddings != null) {
      outputs.putObject("embeddings").put("name", embeddings);
    }
    ArrayNode l = root.putArray("labels");
    labels.forEach(l::add);
    root.put("sample_rate", 16000);
    root.put("front_end", "musicnn");
    if (embeddingModel != null) {
      root.put("embedding_model", embeddingModel);
    }
    return root;
  }

  public static String sha256(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
