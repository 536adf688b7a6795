package io.audioflow.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The separation manifest as {@code tools/demucs/export_htdemucs.py} writes it (snake-case fields). */
class SeparationManifestTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @BeforeAll
  static void fileSystems() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  private static ObjectNode tensor(String name, long... shape) {
    ObjectNode t = JSON.createObjectNode().put("name", name);
    shape(t, shape);
    return t;
  }

  private static void shape(ObjectNode tensor, long... shape) {
    var array = tensor.putArray("shape");
    for (long d : shape) {
      array.add(d);
    }
  }

  /** The committed small model's manifest, as the export tool writes it. */
  static ObjectNode small() {
    ObjectNode root = JSON.createObjectNode()
        .put("format", SeparationManifest.FORMAT).put("name", "htdemucs-small").put("architecture", "htdemucs")
        .put("onnx", "htdemucs-small.onnx").put("sha256", "ab12").put("sample_rate", 44100).put("channels", 2)
        .put("segment_samples", 22050).put("exported_by", "a field this reader does not know");
    root.putArray("sources").add("drums").add("bass").add("other").add("vocals");
    root.putObject("stft").put("n_fft", 4096).put("hop_length", 1024).put("window", "hann").put("normalized", true)
        .put("complex_as_channels", true).put("bins", 2048).put("frames", 22);
    root.putObject("inputs").set("mix", tensor("mix", -1, 2, 22050));
    ((ObjectNode) root.get("inputs")).set("spectrogram", tensor("spectrogram", -1, 4, 2048, 22));
    root.putObject("outputs").set("freq", tensor("freq", -1, 4, 4, 2048, 22));
    ((ObjectNode) root.get("outputs")).set("time", tensor("time", -1, 4, 2, 22050));
    return root;
  }

  private Path write(ObjectNode manifest) throws Exception {
    Path file = dir.resolve("model.json");
    JSON.writeValue(file.toFile(), manifest);
    return file;
  }

  @Test
  void readsEveryFieldAndResolvesTheOnnxFileBesideIt() throws Exception {
    SeparationManifest m = SeparationManifest.read(write(small()).toString());
    assertEquals("htdemucs-small", m.name());
    assertEquals(List.of("drums", "bass", "other", "vocals"), m.sources());
    assertEquals(44100, m.sampleRate());
    assertEquals(22050, m.segmentSamples());
    assertEquals(new SeparationManifest.Stft(4096, 1024, "hann", true, true, 2048, 22), m.stft());
    assertEquals("spectrogram", m.inputs().spectrogram().name());
    assertArrayEquals(new long[] {-1, 4, 4, 2048, 22}, m.outputs().freq().shape());
    assertEquals("time", m.outputs().time().name());
    assertEquals(dir.resolve("htdemucs-small.onnx").toString(), m.onnxUri());
  }

  @Test
  void anAbsoluteOnnxPathIsKept() throws Exception {
    Path elsewhere = dir.resolve("models").resolve("core.onnx");
    SeparationManifest m = SeparationManifest.read(write(small().put("onnx", elsewhere.toString())).toString());
    assertEquals(elsewhere.toString(), m.onnxUri());
  }

  @Test
  void badManifestsFailNamingTheFileAndTheField() throws Exception {
    ObjectNode noRate = small();
    noRate.remove("sample_rate");
    Path file = write(noRate);
    ModelException missing = assertThrows(ModelException.class, () -> SeparationManifest.read(file.toString()));
    assertEquals(file.toString(), missing.file());
    assertTrue(missing.getMessage().contains("sample_rate"), missing.getMessage());

    ObjectNode wrongStft = small();
    ((ObjectNode) wrongStft.get("stft")).put("hop_length", 512);
    ModelException stft =
        assertThrows(ModelException.class, () -> SeparationManifest.read(write(wrongStft).toString()));
    assertTrue(stft.getMessage().contains("hop n_fft/4"), stft.getMessage());

    String absent = dir.resolve("absent.json").toString();
    assertEquals(absent, assertThrows(ModelException.class, () -> SeparationManifest.read(absent)).file());
    Files.writeString(dir.resolve("broken.json"), "{\"format\": ");
    assertThrows(ModelException.class, () -> SeparationManifest.read(dir.resolve("broken.json").toString()));
  }
}
