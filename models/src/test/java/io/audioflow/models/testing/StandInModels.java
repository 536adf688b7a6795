package io.audioflow.models.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Small seeded-weight ONNX models published exactly as Essentia's model zoo publishes {@code msd-musicnn-1} and two
 * heads on its 200-d embedding, so tests can compute their outputs independently (see docs/models.md, "The zoo's
 * files").
 *
 * <ul>
 *   <li>Extractor {@code msd-musicnn-1}: {@code model/Placeholder:0} [batch,187,96] → mean over the 187 frames →
 *       Gemm(96→200) = {@code model/dense/BiasAdd:0} [batch,200] → Gemm(200→50) = {@code model/dense_1/BiasAdd:0}
 *       (the logits, listed by the zoo with an empty {@code output_purpose}) → Sigmoid = {@code model/Sigmoid:0}
 *       [batch,50].
 *   <li>TF1-era head {@code danceability-msd-musicnn-1}: {@code model/Placeholder:0} [batch,200] → Gemm(200→100) =
 *       {@code model/dense/BiasAdd:0} → ReLU → Gemm(100→2) → Softmax = {@code model/Softmax:0} [batch,2].
 *   <li>TF2-era head {@code moods_mirex-msd-musicnn-1} (a SavedModel signature, frozen):
 *       {@code serving_default_model_Placeholder:0} [batch,200] → Gemm(200→5) → Softmax =
 *       {@code PartitionedCall:0} [batch,5].
 * </ul>
 *
 * <p>As tf2onnx converts them, the ONNX tensors keep TensorFlow's output index ({@code :0}); the metadata JSONs name
 * them without it, with the zoo's shapes ({@code [187, 96]}, {@code [1, 200]}, {@code [200]}: batch absent or 1).
 * The extractor's JSON is titled "MSD MusiCNN"; the heads name it by file name in {@code inference.embedding_model}.
 *
 * <p>{@link #write} lays the files side by side as {@code tools/models/download-essentia-models.sh} leaves them:
 * {@code <name>.onnx}, {@code <name>.json} and a {@code <name>.onnx.sha256} sidecar, except that the TF2 head has
 * no sidecar (as when downloaded by hand). It also writes the project's own manifests ({@code <name>.audioflow.json})
 * for the extractor and the TF1 head.
 */
public final class StandInModels {
  public static final String EXTRACTOR = "msd-musicnn-1";
  public static final String EXTRACTOR_TITLE = "MSD MusiCNN";
  public static final String HEAD = "danceability-msd-musicnn-1";
  public static final String TF2_HEAD = "moods_mirex-msd-musicnn-1";
  public static final int FRAMES = 187;
  public static final int MELS = 96;
  public static final int EMBEDDING = 200;
  public static final int TAGS = 50;
  public static final int HIDDEN = 100;
  public static final List<String> HEAD_LABELS = List.of("danceable", "not_danceable");
  public static final List<String> TF2_HEAD_LABELS = List.of(
      "passionate, rousing, confident, boisterous, rowdy",
      "rollicking, cheerful, fun, sweet, amiable/good natured",
      "literate, poignant, wistful, bittersweet, autumnal, brooding",
      "humorous, silly, campy, quirky, whimsical, witty, wry",
      "aggressive, fiery, tense/anxious, intense, volatile, visceral");

  /** msd-musicnn-1.json's classes, in the published order. */
  private static final List<String> MSD_TAGS = List.of(
      "rock", "pop", "alternative", "indie", "electronic", "female vocalists", "dance", "00s", "alternative rock",
      "jazz", "beautiful", "metal", "chillout", "male vocalists", "classic rock", "soul", "indie rock", "Mellow",
      "electronica", "80s", "folk", "90s", "chill", "instrumental", "punk", "oldies", "blues", "hard rock", "ambient",
      "acoustic", "experimental", "female vocalist", "guitar", "Hip-Hop", "70s", "party", "country", "easy listening",
      "sexy", "catchy", "funk", "electro", "heavy metal", "Progressive rock", "60s", "rnb", "indie pop", "sad",
      "House", "happy");

  private static final String ZOO = "https://essentia.upf.edu/models/";
  private static final String EXTRACTOR_LINK = ZOO + "feature-extractors/musicnn/" + EXTRACTOR + ".pb";
  private static final ObjectMapper JSON = new ObjectMapper();

  // Row-major weights: w[in][out] as Gemm's B.
  private final float[] w1 = weights(11, MELS * EMBEDDING, 0.1);
  private final float[] b1 = weights(12, EMBEDDING, 0.1);
  private final float[] w2 = weights(13, EMBEDDING * TAGS, 0.05);
  private final float[] b2 = weights(14, TAGS, 0.1);
  private final float[] wh1 = weights(15, EMBEDDING * HIDDEN, 0.1);
  private final float[] bh1 = weights(16, HIDDEN, 0.1);
  private final float[] wh2 = weights(17, HIDDEN * 2, 0.1);
  private final float[] bh2 = weights(18, 2, 0.1);
  private final float[] wm = weights(19, EMBEDDING * 5, 0.05);
  private final float[] bm = weights(20, 5, 0.1);

  /** The extractor's 50 tag labels. */
  public static List<String> tagLabels() {
    return MSD_TAGS;
  }

  /** Paths of the written files. */
  public record Written(
      Path extractorOnnx, Path extractorEssentiaJson, Path extractorOwnJson,
      Path headOnnx, Path headEssentiaJson, Path headOwnJson,
      Path tf2HeadOnnx, Path tf2HeadEssentiaJson) {}

  /** Writes the three models, their zoo metadata and the project's manifests into {@code dir}. */
  public Written write(Path dir) {
    try {
      Files.createDirectories(dir);
      Path extractor = Files.write(dir.resolve(EXTRACTOR + ".onnx"), extractorOnnx());
      Path head = Files.write(dir.resolve(HEAD + ".onnx"), headOnnx());
      Path tf2Head = Files.write(dir.resolve(TF2_HEAD + ".onnx"), tf2HeadOnnx());
      for (Path model : List.of(extractor, head)) {
        // As the download script writes it: "<hash>  <name>.onnx".
        Files.writeString(model.resolveSibling(model.getFileName() + ".sha256"),
            sha256(model) + "  " + model.getFileName() + "\n");
      }
      Path extractorJson = writeJson(dir.resolve(EXTRACTOR + ".json"), extractorJson());
      Path headJson = writeJson(dir.resolve(HEAD + ".json"), headJson());
      Path tf2HeadJson = writeJson(dir.resolve(TF2_HEAD + ".json"), tf2HeadJson());
      Path extractorOwn = writeJson(dir.resolve(EXTRACTOR + ".audioflow.json"), ownJson(
          EXTRACTOR, extractor, "model/Placeholder", List.of(-1, FRAMES, MELS), "model/Sigmoid",
          "model/dense/BiasAdd", tagLabels(), null));
      Path headOwn = writeJson(dir.resolve(HEAD + ".audioflow.json"), ownJson(
          HEAD, head, "model/Placeholder", List.of(-1, EMBEDDING), "model/Softmax", null, HEAD_LABELS, EXTRACTOR));
      return new Written(extractor, extractorJson, extractorOwn, head, headJson, headOwn, tf2Head, tf2HeadJson);
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
    for (int m = 0; m < MELS; m++) {
      mean[m] /= FRAMES;
    }
    return dense(mean, w1, b1, EMBEDDING);
  }

  /** The extractor's sigmoid tag probabilities for an embedding. */
  public double[] tags(double[] embedding) {
    double[] logits = dense(embedding, w2, b2, TAGS);
    double[] out = new double[TAGS];
    for (int k = 0; k < TAGS; k++) {
      out[k] = 1.0 / (1.0 + Math.exp(-logits[k]));
    }
    return out;
  }

  /** The TF1-era head's softmax probabilities for an embedding. */
  public double[] head(double[] embedding) {
    double[] hidden = dense(embedding, wh1, bh1, HIDDEN);
    for (int j = 0; j < HIDDEN; j++) {
      hidden[j] = Math.max(0, hidden[j]);
    }
    return softmax(dense(hidden, wh2, bh2, 2));
  }

  /** The TF2-era head's softmax probabilities for an embedding. */
  public double[] tf2Head(double[] embedding) {
    return softmax(dense(embedding, wm, bm, TF2_HEAD_LABELS.size()));
  }

  private static double[] dense(double[] x, float[] w, float[] b, int outputs) {
    double[] out = new double[outputs];
    for (int k = 0; k < outputs; k++) {
      double sum = b[k];
      for (int j = 0; j < x.length; j++) {
        sum += x[j] * w[j * outputs + k];
      }
      out[k] = sum;
    }
    return out;
  }

  private static double[] softmax(double[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (double l : logits) {
      max = Math.max(max, l);
    }
    double sum = 0;
    double[] out = new double[logits.length];
    for (int k = 0; k < logits.length; k++) {
      out[k] = Math.exp(logits[k] - max);
      sum += out[k];
    }
    for (int k = 0; k < logits.length; k++) {
      out[k] /= sum;
    }
    return out;
  }

  public byte[] extractorOnnx() {
    OnnxGraph g = new OnnxGraph(EXTRACTOR);
    g.input("model/Placeholder:0", FRAMES, MELS);
    g.output("model/Sigmoid:0", TAGS);
    g.output("model/dense_1/BiasAdd:0", TAGS);
    g.output("model/dense/BiasAdd:0", EMBEDDING);
    String mean = g.node("ReduceMean", "mean", new String[] {"model/Placeholder:0"},
        "axes", new long[] {1}, "keepdims", 0L);
    g.node("Gemm", "model/dense/BiasAdd:0",
        new String[] {mean, g.floats("w1", w1, MELS, EMBEDDING), g.floats("b1", b1, EMBEDDING)});
    g.node("Gemm", "model/dense_1/BiasAdd:0",
        new String[] {"model/dense/BiasAdd:0", g.floats("w2", w2, EMBEDDING, TAGS), g.floats("b2", b2, TAGS)});
    g.node("Sigmoid", "model/Sigmoid:0", new String[] {"model/dense_1/BiasAdd:0"});
    return g.toBytes();
  }

  public byte[] headOnnx() {
    OnnxGraph g = new OnnxGraph(HEAD);
    g.input("model/Placeholder:0", EMBEDDING);
    g.output("model/Softmax:0", 2);
    g.output("model/dense/BiasAdd:0", HIDDEN);
    g.node("Gemm", "model/dense/BiasAdd:0", new String[] {
        "model/Placeholder:0", g.floats("wh1", wh1, EMBEDDING, HIDDEN), g.floats("bh1", bh1, HIDDEN)});
    String relu = g.node("Relu", "model/dense/Relu:0", new String[] {"model/dense/BiasAdd:0"});
    String logits = g.node("Gemm", "model/dense_1/BiasAdd:0",
        new String[] {relu, g.floats("wh2", wh2, HIDDEN, 2), g.floats("bh2", bh2, 2)});
    g.node("Softmax", "model/Softmax:0", new String[] {logits}, "axis", 1L);
    return g.toBytes();
  }

  public byte[] tf2HeadOnnx() {
    int classes = TF2_HEAD_LABELS.size();
    OnnxGraph g = new OnnxGraph(TF2_HEAD);
    g.input("serving_default_model_Placeholder:0", EMBEDDING);
    g.output("PartitionedCall:0", classes);
    String logits = g.node("Gemm", "StatefulPartitionedCall/model/dense/BiasAdd:0", new String[] {
        "serving_default_model_Placeholder:0", g.floats("wm", wm, EMBEDDING, classes), g.floats("bm", bm, classes)});
    g.node("Softmax", "PartitionedCall:0", new String[] {logits}, "axis", 1L);
    return g.toBytes();
  }

  private static float[] weights(long seed, int n, double scale) {
    Random random = new Random(seed);
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) (random.nextGaussian() * scale);
    }
    return w;
  }

  /** msd-musicnn-1.json as the zoo publishes it (feature-extractors/musicnn/), every field in its order. */
  private static ObjectNode extractorJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("name", EXTRACTOR_TITLE);
    root.put("type", "auto-tagging");
    root.put("link", EXTRACTOR_LINK);
    root.put("version", "1");
    root.put("description", "prediction of the top-50 tags in the dataset");
    root.put("author", "Pablo Alonso");
    root.put("email", "pablo.alonso@upf.edu");
    root.put("release_date", "2020-03-31");
    root.put("framework", "tensorflow");
    root.put("framework_version", "1.15.0");
    tagLabels().forEach(root.putArray("classes")::add);
    root.putArray("model_types").add("frozen_model");
    ObjectNode dataset = root.putObject("dataset");
    dataset.put("name", "The Millon Song Dataset");
    dataset.put("citation", "http://millionsongdataset.com/");
    dataset.put("size", "200k up to two minutes audio previews");
    ObjectNode metrics = dataset.putObject("metrics");
    metrics.put("ROC-AUC", 0.88);
    metrics.put("PR-AUC", 0.29);
    ObjectNode schema = root.putObject("schema");
    schema.putArray("inputs").add(tensor("model/Placeholder", List.of(FRAMES, MELS)));
    ArrayNode outputs = schema.putArray("outputs");
    outputs.add(tensor("model/Sigmoid", List.of(1, TAGS)).put("op", "Sigmoid").put("output_purpose", "predictions"));
    outputs.add(tensor("model/dense_1/BiasAdd", List.of(1, TAGS)).put("op", "fully connected")
        .put("description", "logits").put("output_purpose", ""));
    outputs.add(tensor("model/dense/BiasAdd", List.of(1, EMBEDDING)).put("op", "fully connected")
        .put("output_purpose", "embeddings"));
    root.put("citation", "@inproceedings{alonso2020tensorflow, title={Tensorflow Audio Models in Essentia}}");
    ObjectNode inference = root.putObject("inference");
    inference.put("sample_rate", 16000);
    inference.put("algorithm", "TensorflowPredictMusiCNN");
    return root;
  }

  /**
   * danceability-msd-musicnn-1.json in the layout of the zoo's TF1-era heads (classification-heads/, e.g.
   * engagement_3c-discogs-effnet-1.json): a title-like {@code name}, {@code model/Placeholder} →
   * {@code model/Softmax}, the hidden layer listed with an empty {@code output_purpose}, and
   * {@code inference.embedding_model} naming the extractor by file name.
   */
  private static ObjectNode headJson() {
    ObjectNode root = headHeader("danceability", "danceability/" + HEAD, "classification of music by danceability",
        "2022-08-25", "2.4.0", HEAD_LABELS);
    ObjectNode schema = root.putObject("schema");
    schema.putArray("inputs").add(tensor("model/Placeholder", List.of(EMBEDDING)));
    ArrayNode outputs = schema.putArray("outputs");
    outputs.add(tensor("model/Softmax", List.of(2)).put("op", "Softmax").put("description", "output layer")
        .put("output_purpose", "predictions"));
    outputs.add(tensor("model/dense/BiasAdd", List.of(HIDDEN)).put("op", "fully connected")
        .put("description", "penultimate layer").put("output_purpose", ""));
    headInference(root);
    return root;
  }

  /**
   * moods_mirex-msd-musicnn-1.json as the zoo publishes its TF2-era heads: a SavedModel signature frozen, so the
   * tensors are {@code serving_default_model_Placeholder} → {@code PartitionedCall}.
   */
  private static ObjectNode tf2HeadJson() {
    ObjectNode root = headHeader("moods mirex", "moods_mirex/" + TF2_HEAD,
        "classification of music into 5 mood clusters", "2023-04-27", "2.8.0", TF2_HEAD_LABELS);
    ObjectNode schema = root.putObject("schema");
    schema.putArray("inputs").add(tensor("serving_default_model_Placeholder", List.of(EMBEDDING)));
    schema.putArray("outputs").add(tensor("PartitionedCall", List.of(TF2_HEAD_LABELS.size())).put("op", "Softmax")
        .put("description", "output layer").put("output_purpose", "predictions"));
    headInference(root);
    return root;
  }

  private static ObjectNode headHeader(
      String title, String path, String description, String date, String tfVersion, List<String> classes) {
    ObjectNode root = JSON.createObjectNode();
    root.put("name", title);
    root.put("type", "multi-class classifier");
    root.put("link", ZOO + "classification-heads/" + path + ".pb");
    root.put("version", "1");
    root.put("description", description);
    root.put("author", "Pablo Alonso");
    root.put("email", "pablo.alonso@upf.edu");
    root.put("release_date", date);
    root.put("framework", "tensorflow");
    root.put("framework_version", tfVersion);
    classes.forEach(root.putArray("classes")::add);
    root.putArray("model_types").add("frozen_model");
    ObjectNode dataset = root.putObject("dataset");
    dataset.put("name", "in-house MTG collection");
    dataset.putObject("metrics").put("5-fold_cross_validation_normalized_accuracy", 0.9);
    return root;
  }

  /** A head's {@code inference}: TensorflowPredict2D on the embeddings of msd-musicnn-1, named by file name. */
  private static void headInference(ObjectNode root) {
    root.put("citation", "@inproceedings{alonso2020tensorflow, title={Tensorflow Audio Models in Essentia}}");
    ObjectNode inference = root.putObject("inference");
    inference.put("sample_rate", 16000);
    inference.put("algorithm", "TensorflowPredict2D");
    ObjectNode embedding = inference.putObject("embedding_model");
    embedding.put("algorithm", "TensorflowPredictMusiCNN");
    embedding.put("model_name", EXTRACTOR);
    embedding.put("link", EXTRACTOR_LINK);
  }

  private static ObjectNode tensor(String name, List<Integer> shape) {
    ObjectNode t = JSON.createObjectNode();
    t.put("name", name);
    t.put("type", "float");
    shape.forEach(t.putArray("shape")::add);
    return t;
  }

  private static ObjectNode ownJson(
      String name, Path model, String input, List<Integer> shape, String predictions, String embeddings,
      List<String> labels, String embeddingModel) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", "audioflow-model/1");
    root.put("name", name);
    root.put("model", model.getFileName().toString());
    root.put("sha256", sha256(model));
    ObjectNode in = root.putObject("input");
    in.put("name", input);
    shape.forEach(in.putArray("shape")::add);
    ObjectNode outputs = root.putObject("outputs");
    outputs.putObject("predictions").put("name", predictions);
    if (embeddings != null) {
      outputs.putObject("embeddings").put("name", embeddings);
    }
    labels.forEach(root.putArray("labels")::add);
    root.put("sample_rate", 16000);
    if (embeddingModel != null) {
      root.put("embedding_model", embeddingModel);
    } else {
      root.put("front_end", "musicnn");
    }
    return root;
  }

  private static Path writeJson(Path file, ObjectNode json) throws IOException {
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json);
    return file;
  }

  public static String sha256(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
