package io.audioflow.models;

import java.io.Serializable;
import java.util.Locale;

/**
 * Where ONNX Runtime runs a model: {@code cpu} or {@code cuda[:N]}.
 *
 * @param cuda whether a CUDA device is asked for
 * @param index the CUDA device index (0 for cpu)
 */
public record InferenceDevice(boolean cuda, int index) implements Serializable {
  public static final InferenceDevice CPU = new InferenceDevice(false, 0);

  /** Parses {@code cpu}, {@code cuda} or {@code cuda:N}. */
  public static InferenceDevice parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("cpu")) {
      return CPU;
    }
    if (t.equals("cuda")) {
      return new InferenceDevice(true, 0);
    }
    if (t.matches("cuda:\\d{1,3}")) {
      return new InferenceDevice(true, Integer.parseInt(t.substring(5)));
    }
    throw new IllegalArgumentException("inference device must be cpu, cuda or cuda:N, not '" + text + "'");
  }

  @Override
  public String toString() {
    return cuda ? "cuda:" + index : "cpu";
  }
}
