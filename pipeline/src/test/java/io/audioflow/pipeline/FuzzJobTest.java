package io.audioflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.transforms.testing.SharedTestData;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutations of the shared corpus ({@link CorpusMutations}) through the whole job on the Direct runner, all
 * features on, under the test JVM's -Xmx1g: the job completes, every file is in exactly one of {@code tracks} and
 * {@code errors}, and none runs into the per-file time budget. Prints the case count and the outcome classes.
 */
class FuzzJobTest {
  private static final long SEED = 20261207L;
  private static final List<String> BASES = List.of(
      "chirp_u8_8000_mono_3s.wav",
      "surround51_s16_48000_extensible_4s.wav",
      "mix_s16_44100_stereo_20s.aiff",
      "mix_flac24_96000_stereo_5s.flac",
      "mix_mp3vbr_22050_mono_10s.mp3",
      "mix_aac_44100_stereo_10s.m4a",
      "mix_vorbis_44100_stereo_10s.ogg",
      "mix_opus_48000_stereo_10s.opus");

  @Test
  void mutatedFilesNeverStopTheJob(@TempDir Path in, @TempDir Path out) throws Exception {
    CorpusMutations mutations = new CorpusMutations(SEED, in);
    mutations.mutate(BASES.stream().map(b -> SharedTestData.resolve("corpus/synthetic").resolve(b)).toList(), 8);
    mutations.garbage();
    List<CorpusMutations.Case> cases = mutations.cases();
    assertTrue(cases.size() >= 100, cases.size() + " cases");

    long start = System.nanoTime();
    JobRunner.run(out, "--input=" + in + "/*", "--maxSecondsPerFile=60");
    double seconds = (System.nanoTime() - start) / 1e9;

    List<String> tracks = uris(OutputTables.read(out, "tracks", "uri"));
    List<Map<String, Object>> errors = OutputTables.read(out, "errors", "uri, error_class, message");
    List<String> all = Stream.concat(tracks.stream(), uris(errors).stream()).toList();
    assertEquals(all.size(), new HashSet<>(all).size(), "no file twice");
    Set<String> inputs = cases.stream().map(c -> c.file().toString()).collect(Collectors.toSet());
    assertEquals(inputs, new HashSet<>(all), "every file accounted for");

    Map<String, Long> outcomes = new TreeMap<>();
    outcomes.put("tracks", (long) tracks.size());
    errors.forEach(e -> outcomes.merge("errors " + e.get("error_class"), 1L, Long::sum));
    System.out.printf("FuzzJobTest: %d cases (seed %d) in %.1f s: %s%n", cases.size(), SEED, seconds, outcomes);
    Map<String, String> mutationByUri = cases.stream()
        .collect(Collectors.toMap(c -> c.file().toString(), CorpusMutations.Case::mutation));
    errors.stream()
        .filter(e -> e.get("error_class").equals("TIMEOUT") || e.get("error_class").equals("INTERNAL"))
        .forEach(e -> System.out.println("  " + mutationByUri.get(e.get("uri")) + ": " + e));
    assertEquals(0, outcomes.getOrDefault("errors TIMEOUT", 0L), "no file reaches the budget");
    assertEquals(0, outcomes.getOrDefault("errors INTERNAL", 0L), "no failure the job did not classify");
  }

  private static List<String> uris(List<Map<String, Object>> rows) {
    return rows.stream().map(r -> (String) r.get("uri")).toList();
  }
}
