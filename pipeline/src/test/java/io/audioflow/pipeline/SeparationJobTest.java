package io.audioflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.models.ModelException;
import io.audioflow.models.SeparationBag;
import io.audioflow.transforms.testing.DecodedFile;
import io.audioflow.transforms.testing.SeparationFixtures;
import io.audioflow.transforms.testing.SharedTestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acceptance 4 on the Direct runner: the job with --separate and the committed small model on the shared corpus
 * writes four stems and four stems rows for every tracks row and nothing for the error rows. (The 3 h silence file
 * is held to 120 s by --maxDurationSeconds so the test stays short: it becomes a TOO_LONG error row.)
 */
public class SeparationJobTest {
  static final Path MODEL =
      Path.of("..", "transforms", "src", "test", "resources", "separation", "htdemucs-small.json").toAbsolutePath()
          .normalize();

  @TempDir Path output;

  public static String[] args(String input) {
    return new String[] {"--input=" + input, "--separate", "--separationModel=" + MODEL, "--maxDurationSeconds=120",
        "--separationBatchSize=4", "--separationThreads=1", "--melOutput=none"};
  }

  @Test
  void corpusGetsStemsForEveryDecodableTrack() throws Exception {
    JobRunner.run(output, args(SharedTestData.resolve("corpus") + "/*/*"));
    assertStems(output);
  }

  /** Shared with the Flink parity run: checks the tables and files one separation job wrote. */
  public static void assertStems(Path output) throws Exception {
    List<Map<String, Object>> tracks = OutputTables.read(output, "tracks", "uri, track_id, duration_seconds");
    Set<String> errorUris = OutputTables.read(output, "errors", "uri").stream().map(r -> (String) r.get("uri"))
        .collect(Collectors.toSet());
    List<Map<String, Object>> stems = OutputTables.read(output, "stems", "*");
    assertTrue(tracks.size() > 10, "tracks: " + tracks.size());
    assertEquals(4 * tracks.size(), stems.size());
    for (Map<String, Object> stem : stems) {
      assertTrue(!errorUris.contains(stem.get("uri")), "no stems for an error row: " + stem.get("uri"));
      assertNull(stem.get("error"), stem.get("uri") + ": " + stem.get("error"));
      assertEquals("htdemucs-small", stem.get("model_name"));
      Path file = Path.of((String) stem.get("stem_uri"));
      assertTrue(Files.size(file) > 0, file.toString());
      assertEquals(stem.get("track_id") + "/" + stem.get("source") + ".flac",
          file.getParent().getFileName() + "/" + file.getFileName());
    }
    for (Map<String, Object> track : tracks) {
      List<Map<String, Object>> own = stems.stream().filter(s -> s.get("uri").equals(track.get("uri"))).toList();
      assertEquals(Set.of("drums", "bass", "other", "vocals"),
          own.stream().map(s -> s.get("source")).collect(Collectors.toSet()), (String) track.get("uri"));
      for (Map<String, Object> stem : own) {
        assertEquals(track.get("track_id"), stem.get("track_id"));
        // Stems have the input's duration, at the model's rate (ceil of the resampled length).
        assertEquals((Double) track.get("duration_seconds"), (Double) stem.get("duration_seconds"), 1.0 / 8000,
            (String) track.get("uri"));
        assertTrue(Double.isFinite((Double) stem.get("rms")));
      }
    }
    Map<String, Object> stem = stems.stream()
        .filter(s -> ((String) s.get("uri")).endsWith("mix_flac16_44100_stereo_20s.flac")).findFirst().orElseThrow();
    assertEquals(20.0, (Double) stem.get("duration_seconds"), 1e-3);
    assertNotNull(stem.get("integrated_lufs"));
  }

  /** The job's arguments for a committed model's reference mix, with float WAV stems to compare. */
  public static String[] referenceArgs(Path manifest) {
    return new String[] {"--input=" + SeparationFixtures.reference(manifest, "mix.wav"), "--separate",
        "--separationModel=" + manifest, "--stemFormat=wav", "--separationBatchSize=2", "--separationThreads=1",
        "--melOutput=none"};
  }

  /**
   * Issue 21's acceptance 3 on the Direct runner: the bag of two small HTDemucs with non-uniform weights and the
   * six-source model, through the job, against Demucs's apply_model on the BagOfModels.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"htdemucs-bag.json", "htdemucs-6s-small.json"})
  void bagsAndSixSourcesMatchApplyModelThroughTheJob(String name) throws Exception {
    Path manifest = SeparationFixtures.DIR.resolve(name);
    JobRunner.run(output, referenceArgs(manifest));
    assertMatchesReference(output, manifest);
  }

  /**
   * Shared with the Flink run: one {@code stems} row per source of the manifest, named, and each stem file within
   * 60 dB SNR of the PyTorch reference.
   */
  public static void assertMatchesReference(Path output, Path manifest) throws Exception {
    SeparationBag bag = SeparationBag.read(manifest.toString());
    List<Map<String, Object>> rows = OutputTables.read(output, "stems", "*");
    assertEquals(bag.sources().size(), rows.size(), "one row per source: " + rows);
    assertEquals(Set.copyOf(bag.sources()), rows.stream().map(r -> r.get("source")).collect(Collectors.toSet()));
    float[][][] stems = new float[bag.sources().size()][][];
    for (Map<String, Object> row : rows) {
      assertNull(row.get("error"), (String) row.get("error"));
      assertEquals(bag.name(), row.get("model_name"));
      assertEquals(bag.sha256(), row.get("model_sha256"));
      stems[bag.sources().indexOf((String) row.get("source"))] = decode(Path.of((String) row.get("stem_uri")));
    }
    double[] snr = SeparationFixtures.snrPerSource(manifest, stems);
    for (int s = 0; s < snr.length; s++) {
      assertTrue(snr[s] >= 60, manifest.getFileName() + " " + bag.sources().get(s) + ": SNR " + snr[s]);
    }
  }

  /** A float WAV stem as the project's decoder reads it, [channel][sample]. */
  private static float[][] decode(Path stem) throws Exception {
    List<float[]> blocks = new ArrayList<>();
    int[] frames = {0};
    DecodedFile.Decoded decoded = DecodedFile.stream(stem, info -> (planar, n) -> {
      for (int c = 0; c < planar.length; c++) {
        blocks.add(Arrays.copyOf(planar[c], n));
      }
      frames[0] += n;
    });
    int channels = decoded.info().channels();
    float[][] out = new float[channels][frames[0]];
    int at = 0;
    for (int b = 0; b < blocks.size(); b += channels) {
      for (int c = 0; c < channels; c++) {
        System.arraycopy(blocks.get(b + c), 0, out[c], at, blocks.get(b + c).length);
      }
      at += blocks.get(b).length;
    }
    return out;
  }

  /**
   * Issue 22: the separation manifest and every model of the bag are read and checked when the job is built, before
   * any file is matched (the input here matches nothing, which would otherwise be the error): a missing manifest, a
   * model whose bytes are not its SHA-256, one that is not ONNX, and an architecture that is not HTDemucs each fail
   * the job at start naming the file.
   */
  @Test
  void aBadSeparationModelFailsTheJobAtStartNamingTheFile() throws Exception {
    String input = "--input=" + output.resolve("no-input") + "/*.wav";
    Path missing = output.resolve("absent.json");
    ModelException absent = assertThrows(ModelException.class, () -> start(input, missing));
    assertEquals(missing.toString(), absent.file());
    assertTrue(absent.getMessage().contains("cannot read separation manifest"), absent.getMessage());

    // Under a name of its own: the model cache holds verified copies by sha256 and name, and would serve the
    // fixture's bytes for its own name without reading the damaged file.
    Path bag = Files.createDirectories(output.resolve("bag"));
    Files.copy(SeparationFixtures.DIR.resolve("htdemucs-bag-0.onnx"), bag.resolve("htdemucs-bag-0.onnx"));
    Path member = bag.resolve("damaged-1.onnx");
    Files.copy(SeparationFixtures.DIR.resolve("htdemucs-bag-1.onnx"), member);
    Files.write(member, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
    String manifest = Files.readString(SeparationFixtures.BAG).replace("htdemucs-bag-1.onnx", "damaged-1.onnx");
    Path damaged = Files.writeString(bag.resolve("damaged.json"), manifest);
    ModelException corrupt = assertThrows(ModelException.class, () -> start(input, damaged));
    assertEquals(member.toString(), corrupt.file());
    assertTrue(corrupt.getMessage().contains("SHA-256 mismatch"), corrupt.getMessage());

    Files.writeString(member, "not an ONNX model");
    String pinned = SeparationBag.read(SeparationFixtures.BAG.toString()).models().get(1).sha256();
    Path notOnnx = Files.writeString(bag.resolve("not-onnx.json"), manifest.replace(pinned, sha256(member)));
    ModelException unloadable = assertThrows(ModelException.class, () -> start(input, notOnnx));
    assertEquals(member.toString(), unloadable.file());
    assertTrue(unloadable.getMessage().contains("not a loadable ONNX model"), unloadable.getMessage());

    Path hdemucs = Files.writeString(output.resolve("hdemucs_mmi.json"),
        Files.readString(MODEL).replace("\"architecture\": \"htdemucs\"", "\"architecture\": \"hdemucs\""));
    ModelException architecture = assertThrows(ModelException.class, () -> start(input, hdemucs));
    assertEquals(hdemucs.toString(), architecture.file());
    assertTrue(architecture.getMessage().contains("architecture hdemucs is not supported: only HTDemucs cores run"
        + " (Demucs's htdemucs, htdemucs_ft, htdemucs_6s"), architecture.getMessage());
    assertFalse(Files.exists(output.resolve("out").resolve("tracks")));
  }

  private void start(String input, Path manifest) {
    JobRunner.run(output.resolve("out"), input, "--separate", "--separationModel=" + manifest);
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
