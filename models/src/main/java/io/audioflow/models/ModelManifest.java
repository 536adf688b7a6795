package io.audioflow.models;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the job needs to know about one ONNX model, read from either the project's own JSON ({@code "format":
 * "audioflow-model/1"}) or Essentia's model-zoo metadata JSON as the zoo publishes it. Tensor names come from here,
 * never from code; {@link ModelStore#verify} matches them against the model's real names (see {@link TensorNames}).
 *
 * @param name the model's name, what heads name their extractor by and the {@code predictions} table's
 *     {@code model}: for a zoo JSON its file name without {@code .json} (the JSON's own {@code name} is a title
 *     such as "MSD MusiCNN"), for the project's JSON its {@code name}
 * @param manifestUri where this manifest was read from
 * @param modelUri the {@code .onnx} file (any Beam filesystem URI)
 * @param sha256 expected SHA-256 of the {@code .onnx} file, hex (kept in lowercase), or null when the manifest gives
 *     none
 * @param input the input tensor; its shape ends in [frames, mels] for an extractor, [embedding size] for a head
 * @param predictions the output tensor of class probabilities
 * @param embeddings the output tensor of embeddings, or null (heads)
 * @param labels one label per prediction column
 * @param sampleRate audio sample rate the model expects, Hz
 * @param embeddingModel for a classifier head, the {@code name} of the extractor whose embeddings it reads; else null
 * @param frontEnd for an extractor, the input recipe its patches are computed with; null for a head, which reads its
 *     extractor's embeddings
 */
public record ModelManifest(
    String name,
    String manifestUri,
    String modelUri,
    String sha256,
    Tensor input,
    Tensor predictions,
    Tensor embeddings,
    List<String> labels,
    int sampleRate,
    String embeddingModel,
    FrontEnd frontEnd)
    implements Serializable {

  /** Format id of the project's own manifest. */
  public static final String FORMAT = "audioflow-model/1";

  /** The Essentia inference algorithm of MusiCNN extractors, whose input is {@link FrontEnd#ESSENTIA_MUSICNN}. */
  static final String ESSENTIA_MUSICNN_ALGORITHM = "TensorflowPredictMusiCNN";

  public enum Kind {
    EXTRACTOR,
    HEAD;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A tensor as a manifest names it.
   *
   * @param name the name the manifest gives (after {@link ModelStore#verify}: the model's own name for it)
   * @param shape the shape the manifest declares, as written: a batch entry may be absent ({@code [200]}), 1 or -1
   *     ({@code [1, 200]}); empty when not declared
   */
  public record Tensor(String name, List<Long> shape) implements Serializable {
    public Tensor {
      shape = List.copyOf(shape);
    }

    /** The same tensor under the model's own name. */
    Tensor named(String modelName) {
      return new Tensor(modelName, shape);
    }

    @Override
    public String toString() {
      return "'" + name + "'" + (shape.isEmpty() ? "" : " " + shape);
    }
  }

  public ModelManifest {
    sha256 = Sha256.normalized(sha256);
    labels = List.copyOf(labels);
    if ((embeddingModel == null) != (frontEnd != null)) {
      throw new IllegalArgumentException(embeddingModel == null
          ? "an extractor needs a front end" : "a head reads embeddings and has no front end");
    }
  }

  public Kind kind() {
    return embeddingModel == null ? Kind.EXTRACTOR : Kind.HEAD;
  }

  /** The same manifest pinned to {@code sha256} (what the launcher verified, so workers load the same bytes). */
  public ModelManifest withSha256(String sha256) {
    return new ModelManifest(
        name, manifestUri, modelUri, sha256, input, predictions, embeddings, labels, sampleRate, embeddingModel,
        frontEnd);
  }

  /** The same manifest with its tensors under the names the model gives them. */
  ModelManifest withTensors(Tensor input, Tensor predictions, Tensor embeddings) {
    return new ModelManifest(
        name, manifestUri, modelUri, sha256, input, predictions, embeddings, labels, sampleRate, embeddingModel,
        frontEnd);
  }

  /** Reads a manifest of either format from any Beam filesystem URI. */
  public static ModelManifest read(String manifestUri) {
    return parse(ManifestFile.read(manifestUri, "model manifest"), manifestUri);
  }

  /** Parses a manifest already read; relative model paths resolve against {@code manifestUri}. */
  public static ModelManifest parse(JsonNode root, String manifestUri) {
    if (root == null || !root.isObject()) {
      throw new ModelException(manifestUri, "model manifest is not a JSON object");
    }
    try {
      if (root.has("format")) {
        String format = root.get("format").asText();
        if (!FORMAT.equals(format)) {
          throw new ModelException(manifestUri, "unknown manifest format '" + format + "' (expected " + FORMAT + ")");
        }
        return parseOwn(root, manifestUri);
      }
      if (root.has("schema")) {
        return parseEssentia(root, manifestUri);
      }
      throw new ModelException(
          manifestUri, "neither an audioflow manifest (\"format\") nor Essentia model metadata (\"schema\")");
    } catch (IllegalArgumentException e) {
      throw new ModelException(manifestUri, e.getMessage(), e);
    }
  }

  /**
   * The project's format: {@code name, model, sha256, input {name, shape}, outputs {predictions {name, shape},
   * embeddings {name, shape}}, labels, sample_rate, embedding_model, front_end}} (output shapes optional). An
   * extractor's {@code front_end} defaults to {@link FrontEnd#MUSICNN}, the input every manifest of this format had
   * before the field existed.
   */
  private static ModelManifest parseOwn(JsonNode root, String manifestUri) {
    JsonNode outputs = required(root, "outputs");
    JsonNode embeddings = outputs.get("embeddings");
    String embeddingModel = root.hasNonNull("embedding_model") ? root.get("embedding_model").asText() : null;
    FrontEnd frontEnd = embeddingModel != null ? null
        : root.hasNonNull("front_end") ? FrontEnd.parse(text(root, "front_end")) : FrontEnd.MUSICNN;
    return new ModelManifest(
        text(root, "name"),
        manifestUri,
        ManifestFile.resolve(manifestUri, text(root, "model")),
        root.hasNonNull("sha256") ? root.get("sha256").asText() : null,
        tensor(required(root, "input")),
        tensor(required(outputs, "predictions")),
        embeddings == null ? null : tensor(embeddings),
        strings(required(root, "labels")),
        required(root, "sample_rate").asInt(),
        embeddingModel,
        frontEnd);
  }

  /**
   * Essentia's model metadata as the zoo publishes it beside {@code <name>.onnx}: the model file is the {@code .onnx}
   * of the same base name, and that base name is the model's name (a head's {@code inference.embedding_model
   * .model_name} names its extractor so; the JSON's {@code name} is a title). Outputs whose {@code output_purpose} is
   * neither {@code predictions} nor {@code embeddings} (the zoo lists logits and hidden layers with {@code ""}) are
   * not read. Essentia's JSON carries no checksum; a {@code <base>.onnx.sha256} sidecar (sha256sum format) supplies
   * one, see {@link ModelStore}.
   */
  private static ModelManifest parseEssentia(JsonNode root, String manifestUri) {
    JsonNode schema = root.get("schema");
    JsonNode inputs = required(schema, "inputs");
    if (!inputs.isArray() || inputs.size() != 1) {
      throw new IllegalArgumentException("schema.inputs must list exactly one input");
    }
    Tensor predictions = null;
    Tensor embeddings = null;
    for (JsonNode output : required(schema, "outputs")) {
      String purpose = output.path("output_purpose").asText("");
      if (purpose.equals("predictions") && predictions == null) {
        predictions = tensor(output);
      } else if (purpose.equals("embeddings") && embeddings == null) {
        embeddings = tensor(output);
      }
    }
    if (predictions == null) {
      throw new IllegalArgumentException("schema.outputs has no output with output_purpose \"predictions\"");
    }
    JsonNode inference = required(root, "inference");
    String embeddingModel = embeddingModel(inference.get("embedding_model"));
    FrontEnd frontEnd = null;
    if (embeddingModel == null) {
      String algorithm = text(inference, "algorithm");
      if (!algorithm.equals(ESSENTIA_MUSICNN_ALGORITHM)) {
        throw new IllegalArgumentException("inference.algorithm " + algorithm + ": only " + ESSENTIA_MUSICNN_ALGORITHM
            + " extractors are supported (their front end is Essentia's TensorflowInputMusiCNN)");
      }
      frontEnd = FrontEnd.ESSENTIA_MUSICNN;
    }
    String file = manifestUri.substring(manifestUri.lastIndexOf('/') + 1);
    String name = file.endsWith(".json") ? file.substring(0, file.length() - 5) : file;
    return new ModelManifest(
        name,
        manifestUri,
        ManifestFile.resolve(manifestUri, name + ".onnx"),
        null,
        tensor(inputs.get(0)),
        predictions,
        embeddings,
        strings(required(root, "classes")),
        required(inference, "sample_rate").asInt(),
        embeddingModel,
        frontEnd);
  }

  /**
   * A head's extractor from {@code inference.embedding_model}: the zoo's object {@code {"algorithm", "model_name",
   * "link"}}, whose {@code model_name} is the extractor's file name without extension, or the plain string of older
   * metadata; null when absent (an extractor).
   */
  private static String embeddingModel(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual() && !node.asText().isBlank()) {
      return node.asText();
    }
    if (node.isObject() && node.hasNonNull("model_name") && !node.get("model_name").asText().isBlank()) {
      return node.get("model_name").asText();
    }
    throw new IllegalArgumentException("inference.embedding_model " + node + " names no extractor: expected"
        + " {\"model_name\": \"<extractor file name without .json>\", ...} or that name as a string");
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("missing field \"" + field + "\"");
    }
    return value;
  }

  private static String text(JsonNode node, String field) {
    String value = required(node, field).asText();
    if (value.isBlank()) {
      throw new IllegalArgumentException("field \"" + field + "\" is empty");
    }
    return value;
  }

  /** A tensor's {@code name} and {@code shape} (optional; a symbolic dimension such as "batch_size" reads -1). */
  private static Tensor tensor(JsonNode node) {
    List<Long> shape = new ArrayList<>();
    JsonNode dims = node.get("shape");
    if (dims != null) {
      dims.forEach(d -> shape.add(d.isNumber() ? d.asLong() : -1L));
    }
    return new Tensor(text(node, "name"), shape);
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    if (values.isEmpty()) {
      throw new IllegalArgumentException("the label list is empty");
    }
    return values;
  }
}
