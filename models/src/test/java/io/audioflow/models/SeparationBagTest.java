package io.audioflow.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bag manifest as {@code tools/demucs/export_htdemucs.py} writes it, and a core manifest read as a bag of one. */
class SeparationBagTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @BeforeAll
  static void fileSystems() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  /** Two members, each the tool's core manifest of its own ONNX file, and a non-uniform weight matrix. */
  private static ObjectNode bag() {
    ObjectNode root = JSON.createObjectNode().put("format", SeparationBag.FORMAT).put("name", "htdemucs-bag");
    root.putArray("sources").add("drums").add("bass").add("other").add("vocals");
    ArrayNode weights = root.putArray("weights");
    weights.addArray().add(1.0).add(0.25).add(0.6).add(0.0);
    weights.addArray().add(0.5).add(1.0).add(0.4).add(2.0);
    ArrayNode models = root.putArray("models");
    for (int m = 0; m < 2; m++) {
      models.add(SeparationManifestTest.small().put("name", "htdemucs-bag-" + m).put("onnx", "htdemucs-bag-" + m
          + ".onnx").put("sha256", String.valueOf(m).repeat(64)));
    }
    return root;
  }

  private static ObjectNode member(ObjectNode bag, int m) {
    return (ObjectNode) bag.get("models").get(m);
  }

  private Path write(ObjectNode manifest) throws Exception {
    Path file = dir.resolve("bag.json");
    JSON.writeValue(file.toFile(), manifest);
    return file;
  }

  @Test
  void readsTheMembersAndTheWeightsResolvingEachOnnxFileBesideTheBag() throws Exception {
    Path file = write(bag());
    SeparationBag bag = SeparationBag.read(file.toString());
    assertEquals("htdemucs-bag", bag.name());
    assertEquals(List.of("drums", "bass", "other", "vocals"), bag.sources());
    assertEquals(44100, bag.sampleRate());
    assertEquals(2, bag.channels());
    assertEquals(List.of(List.of(1.0, 0.25, 0.6, 0.0), List.of(0.5, 1.0, 0.4, 2.0)), bag.weights());
    assertEquals(2.0, bag.total(3));
    assertEquals(dir.resolve("htdemucs-bag-1.onnx").toString(), bag.models().get(1).onnxUri());
    assertEquals("1".repeat(64), bag.models().get(1).sha256());
    assertEquals(64, bag.sha256().length());

    ObjectNode reweighted = bag();
    ((ArrayNode) reweighted.get("weights").get(1)).set(3, JSON.getNodeFactory().numberNode(1.0));
    assertNotEquals(bag.sha256(), SeparationBag.read(write(reweighted).toString()).sha256(),
        "a bag's sha256 follows its weights");
  }

  @Test
  void aCoreManifestIsABagOfOneWithWeightOne() throws Exception {
    Path file = write(SeparationManifestTest.small());
    SeparationBag bag = SeparationBag.read(file.toString());
    assertEquals("htdemucs-small", bag.name());
    assertEquals(1, bag.models().size());
    assertEquals(List.of(List.of(1.0, 1.0, 1.0, 1.0)), bag.weights());
    assertEquals("ab12", bag.sha256(), "a single model's stems name its ONNX file's sha256");
  }

  @Test
  void absentWeightsAreAllOnesAsInBagOfModels() throws Exception {
    ObjectNode noWeights = bag();
    noWeights.remove("weights");
    assertEquals(List.of(List.of(1.0, 1.0, 1.0, 1.0), List.of(1.0, 1.0, 1.0, 1.0)),
        SeparationBag.read(write(noWeights).toString()).weights());
  }

  @Test
  void badBagsFailNamingTheFileAndWhatIsWrong() throws Exception {
    assertRefused(b -> member(b, 1).put("architecture", "hdemucs"), "models[1]: architecture hdemucs is not"
        + " supported: only HTDemucs cores run (Demucs's htdemucs, htdemucs_ft, htdemucs_6s and bags of HTDemucs);"
        + " HDemucs and Demucs models (hdemucs_mmi, mdx, mdx_extra, mdx_q, mdx_extra_q) are refused");
    assertRefused(b -> member(b, 1).put("sample_rate", 48000), "models[1]");
    assertRefused(b -> member(b, 1).remove("sha256"), "models[1]: no onnx file or sha256");
    assertRefused(b -> ((ArrayNode) member(b, 1).get("sources")).add("piano"), "must agree");
    assertRefused(b -> ((ArrayNode) b.get("sources")).remove(3), "the bag's sources");
    assertRefused(b -> ((ArrayNode) b.get("weights")).remove(1), "weights has 1 rows for 2 models");
    assertRefused(b -> ((ArrayNode) b.get("weights").get(0)).remove(0), "weights[0] has 3 values for 4 sources");
    assertRefused(b -> ((ArrayNode) b.get("weights").get(0)).set(1, JSON.getNodeFactory().numberNode(-1.0)),
        "weights must be finite and >= 0");
    assertRefused(b -> ((ArrayNode) b.get("weights").get(1)).set(3, JSON.getNodeFactory().numberNode(0.0)),
        "the weights of source vocals sum to 0");
    assertRefused(b -> b.put("weights", "heavy"), "weights must be a list of lists of numbers");
    assertRefused(b -> b.putArray("models"), "no models");
    assertRefused(b -> b.put("format", "demucs-yaml"), "format is demucs-yaml, expected audioflow-separation/1 (one"
        + " model) or audioflow-separation-bag/1");
    assertRefused(b -> ((ArrayNode) b.get("models")).add(bag()), "a bag cannot be a member of a bag");
  }

  private void assertRefused(Consumer<ObjectNode> change, String expected) throws Exception {
    ObjectNode manifest = bag();
    change.accept(manifest);
    Path file = write(manifest);
    ModelException e = assertThrows(ModelException.class, () -> SeparationBag.read(file.toString()), expected);
    assertEquals(file.toString(), e.file());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
