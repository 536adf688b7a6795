package io.audioflow.models;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What {@code --separationModel} names: Demucs's {@code BagOfModels}, several HTDemucs cores whose stems are
 * combined per source with a weight matrix (models × sources), divided per source by the sum of its weights. The
 * bag manifest ({@value #FORMAT}, written by {@code tools/demucs/export_htdemucs.py}) holds one core manifest per
 * member under {@code models} (each ONNX file with its own sha256, resolved beside the bag manifest) and
 * {@code weights} (absent: all ones, as in Demucs); a plain core manifest ({@value SeparationManifest#FORMAT}) is
 * read as a bag of one with weight 1. As Demucs asserts, every member has the bag's sources (in the same order), rate and channels; members may
 * differ in segment length.
 *
 * @param weights {@code weights.get(model).get(source)}
 * @param uri where the manifest was read from
 */
public record SeparationBag(String name, List<SeparationManifest> models, List<List<Double>> weights, String uri)
    implements Serializable {

  public static final String FORMAT = "audioflow-separation-bag/1";
  /** Named in every refusal of an architecture; the export tool's SUPPORTED says the same. */
  static final String SUPPORTED = "only HTDemucs cores run (Demucs's htdemucs, htdemucs_ft, htdemucs_6s and bags of"
      + " HTDemucs); HDemucs and Demucs models (hdemucs_mmi, mdx, mdx_extra, mdx_q, mdx_extra_q) are refused";

  public SeparationBag {
    models = List.copyOf(models);
    weights = weights.stream().map(List::copyOf).toList();
  }

  /**
   * Reads a bag manifest, or a core manifest as a bag of one, and checks it.
   *
   * @throws ModelException naming the file when it is unreadable, malformed or inconsistent
   */
  public static SeparationBag read(String manifestUri) {
    JsonNode root = ManifestFile.read(manifestUri, "separation manifest");
    String format = root.path("format").asText(null);
    if (!FORMAT.equals(format) && !SeparationManifest.FORMAT.equals(format)) {
      throw new ModelException(manifestUri, "separation manifest: format is " + format + ", expected "
          + SeparationManifest.FORMAT + " (one model) or " + FORMAT);
    }
    if (SeparationManifest.FORMAT.equals(format)) {
      SeparationManifest single = SeparationManifest.parse(root, manifestUri, "");
      return new SeparationBag(single.name(), List.of(single),
          List.of(Collections.nCopies(single.sources().size(), 1.0)), manifestUri);
    }
    String name = root.path("name").asText("");
    JsonNode members = root.path("models");
    require(!name.isBlank(), manifestUri, "no name");
    require(members.isArray() && !members.isEmpty(), manifestUri, "no models");
    List<SeparationManifest> models = new ArrayList<>();
    for (int m = 0; m < members.size(); m++) {
      models.add(SeparationManifest.parse(members.get(m), manifestUri, "models[" + m + "]: "));
    }
    List<List<Double>> weights =
        field(root.path("weights"), new TypeReference<>() {}, manifestUri, "weights", "a list of lists of numbers");
    List<String> sources = field(root.path("sources"), new TypeReference<>() {}, manifestUri, "sources",
        "a list of names");
    if (weights == null) { // as BagOfModels: no weights, all ones
      weights = Collections.nCopies(models.size(), Collections.nCopies(models.get(0).sources().size(), 1.0));
    }
    check(models, weights, sources, manifestUri);
    return new SeparationBag(name, models, weights, manifestUri);
  }

  /** {@code node} as {@code type}; null when absent, a {@link ModelException} naming {@code field} when malformed. */
  private static <T> T field(JsonNode node, TypeReference<T> type, String uri, String field, String expected) {
    try {
      return ManifestFile.JSON.convertValue(node, type);
    } catch (IllegalArgumentException e) {
      throw new ModelException(uri, "separation manifest: " + field + " must be " + expected + ": "
          + e.getMessage(), e);
    }
  }

  private static void check(List<SeparationManifest> models, List<List<Double>> weights,
      List<String> declaredSources, String uri) {
    SeparationManifest first = models.get(0);
    require(declaredSources == null || first.sources().equals(declaredSources), uri,
        "the bag's sources " + declaredSources + " differ from its first model's " + first.sources());
    for (int m = 0; m < models.size(); m++) {
      SeparationManifest member = models.get(m);
      require(member.sources().equals(first.sources()) && member.sampleRate() == first.sampleRate()
              && member.channels() == first.channels(), uri,
          "models[" + m + "] (" + member.name() + ") has sources " + member.sources() + ", " + member.sampleRate()
              + " Hz, " + member.channels() + " channels; models[0] has " + first.sources() + ", "
              + first.sampleRate() + " Hz, " + first.channels() + " channels (a bag's models must agree)");
    }
    require(weights.size() == models.size(), uri,
        "weights has " + weights.size() + " rows for " + models.size() + " models");
    for (int m = 0; m < weights.size(); m++) {
      List<Double> row = weights.get(m);
      require(row != null && row.size() == first.sources().size(), uri, "weights[" + m + "] has "
          + (row == null ? 0 : row.size()) + " values for " + first.sources().size() + " sources");
      for (Double w : row) {
        require(w != null && Double.isFinite(w) && w >= 0, uri, "weights[" + m + "] holds " + w
            + "; weights must be finite and >= 0");
      }
    }
    for (int s = 0; s < first.sources().size(); s++) {
      require(total(weights, s) > 0, uri, "the weights of source " + first.sources().get(s) + " sum to 0");
    }
  }

  private static void require(boolean ok, String uri, String message) {
    if (!ok) {
      throw new ModelException(uri, "separation manifest: " + message);
    }
  }

  /** The sources in output order (every member's). */
  public List<String> sources() {
    return models.get(0).sources();
  }

  public int sampleRate() {
    return models.get(0).sampleRate();
  }

  public int channels() {
    return models.get(0).channels();
  }

  /** The sum over models of source {@code s}'s weights, which Demucs divides the weighted sum by. */
  public double total(int source) {
    return total(weights, source);
  }

  private static double total(List<List<Double>> weights, int source) {
    double sum = 0;
    for (List<Double> row : weights) {
      sum += row.get(source);
    }
    return sum;
  }

  /**
   * What produced the stems, for the {@code stems} table: a bag of one, its ONNX file's SHA-256; a bag, the
   * SHA-256 of one line per model, {@code <model sha256> <weight> ...} (weights as Java prints doubles), which
   * changes with any member or weight.
   */
  public String sha256() {
    if (models.size() == 1) {
      return models.get(0).sha256();
    }
    StringBuilder lines = new StringBuilder();
    for (int m = 0; m < models.size(); m++) {
      lines.append(models.get(m).sha256());
      for (double w : weights.get(m)) {
        lines.append(' ').append(w);
      }
      lines.append('\n');
    }
    return Sha256.ofText(lines.toString());
  }
}
