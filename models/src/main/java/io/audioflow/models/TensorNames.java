package io.audioflow.models;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches a manifest's tensor names to the names the ONNX model really has. The zoo's {@code .onnx} files were
 * converted with tf2onnx, which keeps TensorFlow's output index ({@code model/Placeholder:0}), while the metadata
 * names the TensorFlow tensors without it ({@code model/Placeholder}). A name is taken as given, else with
 * {@code :0}, else by a fallback: the model's only input, or the only output whose shape matches the manifest's.
 * Anything else (no match, or several) is refused with the model's real inputs and outputs in the message.
 */
final class TensorNames {
  private static final Logger LOG = LoggerFactory.getLogger(TensorNames.class);

  private TensorNames() {}

  /** How a name was found, for the log. */
  private record Match(ModelManifest.Tensor tensor, String how) {}

  /**
   * The manifest with every tensor under the model's own name; logs the resolution once at INFO.
   *
   * @throws ModelException naming the model and manifest, the wanted name and the model's real tensors
   */
  static ModelManifest resolve(ModelManifest m, OrtSession session) throws OrtException {
    Map<String, NodeInfo> inputs = session.getInputInfo();
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    Match input = find(m, "input", m.input(), true, inputs, outputs);
    Match predictions = find(m, "predictions output", m.predictions(), false, inputs, outputs);
    Match embeddings = m.embeddings() == null ? null
        : find(m, "embeddings output", m.embeddings(), false, inputs, outputs);
    if (embeddings != null && embeddings.tensor().name().equals(predictions.tensor().name())) {
      throw refused(m, "names predictions " + m.predictions() + " and embeddings " + m.embeddings()
          + ", which both resolve to '" + predictions.tensor().name() + "'", inputs, outputs);
    }
    LOG.info("{} ({}): input {}, predictions {}{}", m.name(), m.manifestUri(), describe(m.input(), input),
        describe(m.predictions(), predictions), embeddings == null ? ""
            : ", embeddings " + describe(m.embeddings(), embeddings));
    return m.withTensors(input.tensor(), predictions.tensor(), embeddings == null ? null : embeddings.tensor());
  }

  private static Match find(
      ModelManifest m, String role, ModelManifest.Tensor wanted, boolean input, Map<String, NodeInfo> inputs,
      Map<String, NodeInfo> outputs) {
    Map<String, NodeInfo> candidates = input ? inputs : outputs;
    if (candidates.containsKey(wanted.name())) {
      return new Match(wanted, "as named");
    }
    String indexed = wanted.name() + ":0";
    if (candidates.containsKey(indexed)) {
      return new Match(wanted.named(indexed), "with tf2onnx's :0");
    }
    List<String> fallback = new ArrayList<>();
    if (input) {
      fallback.addAll(candidates.keySet());
    } else {
      candidates.forEach((name, info) -> {
        if (shapeMatches(wanted.shape(), shape(info))) {
          fallback.add(name);
        }
      });
    }
    if (fallback.size() == 1) {
      return new Match(
          wanted.named(fallback.get(0)), input ? "the model's only input" : "the only output of that shape");
    }
    String why = "no tensor has that name nor '" + indexed + "', and "
        + (input ? "the model has " + fallback.size() + " inputs"
            : wanted.shape().isEmpty() ? "the manifest declares no shape to match outputs by"
            : fallback.isEmpty() ? "no output has that shape"
            : fallback.size() + " outputs have that shape " + fallback);
    throw refused(m, "names " + role + " " + wanted + ": " + why, inputs, outputs);
  }

  /**
   * Whether a declared shape fits the model's: the declared batch entry may be absent ({@code [200]} for
   * {@code [batch, 200]}) or present with any value ({@code [1, 200]}); -1 on either side matches any size.
   */
  static boolean shapeMatches(List<Long> declared, long[] actual) {
    if (declared.isEmpty() || actual.length == 0) {
      return false;
    }
    int skip = declared.size() == actual.length ? 1 : declared.size() == actual.length - 1 ? 0 : -1;
    if (skip < 0) {
      return false;
    }
    for (int i = skip; i < declared.size(); i++) {
      long d = declared.get(i);
      long a = actual[i + actual.length - declared.size()];
      if (d >= 0 && a >= 0 && d != a) {
        return false;
      }
    }
    return true;
  }

  private static long[] shape(NodeInfo info) {
    return info.getInfo() instanceof TensorInfo t ? t.getShape() : new long[0];
  }

  private static ModelException refused(
      ModelManifest m, String what, Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs) {
    return new ModelException(m.modelUri(), "manifest " + m.manifestUri() + " " + what + "; the model has inputs "
        + describe(inputs) + " and outputs " + describe(outputs));
  }

  private static String describe(ModelManifest.Tensor wanted, Match match) {
    return wanted + " -> '" + match.tensor().name() + "' (" + match.how() + ")";
  }

  private static String describe(Map<String, NodeInfo> tensors) {
    StringJoiner joiner = new StringJoiner(", ", "[", "]");
    tensors.forEach((name, info) -> joiner.add("'" + name + "' " + Arrays.toString(shape(info))));
    return joiner.toString();
  }
}
