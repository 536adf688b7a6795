package io.audioflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.transforms.beam.Tables;
import io.audioflow.transforms.features.Feature;
import io.audioflow.transforms.testing.CorpusTable;
import io.audioflow.transforms.testing.Npy;
import io.audioflow.transforms.testing.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the job on the whole shared corpus (synthetic and bad files) with the Direct runner under the test JVM's
 * -Xmx1g, then checks the tables as a user reads them, through DuckDB.
 */
class CorpusJobTest {
  @TempDir static Path output;
  static Map<String, Map<String, Object>> tracks;
  static Map<String, Map<String, Object>> errors;

  @BeforeAll
  static void runJob() {
    JobRunner.run(output, "--input=" + SharedTestData.resolve("corpus") + "/*/*");
    tracks = byFileName(OutputTables.read(output, "tracks", "*"));
    errors = byFileName(OutputTables.read(output, "errors", "*"));
  }

  static Map<String, Map<String, Object>> byFileName(List<Map<String, Object>> rows) {
    Map<String, Map<String, Object>> map = new HashMap<>();
    for (Map<String, Object> row : rows) {
      String uri = (String) row.get("uri");
      assertNull(map.put(Path.of(uri).getFileName().toString(), row), "duplicate row for " + uri);
    }
    return map;
  }

  static Set<String> inputs() throws IOException {
    Set<String> uris = new HashSet<>();
    for (String dir : List.of("corpus/synthetic", "corpus/bad")) {
      try (Stream<Path> files = Files.list(SharedTestData.resolve(dir))) {
        files.filter(Files::isRegularFile).forEach(f -> uris.add(f.toAbsolutePath().normalize().toString()));
      }
    }
    return uris;
  }

  @Test
  void everyInputEndsInExactlyOneTable() throws IOException {
    List<String> all =
        Stream.concat(tracks.values().stream(), errors.values().stream())
            .map(r -> (String) r.get("uri"))
            .collect(Collectors.toList());
    assertEquals(all.size(), new HashSet<>(all).size(), "no uri twice");
    Set<String> outputs = new HashSet<>(all);
    // The directory named like audio is either not matched or an error row; every regular file is accounted for.
    outputs.removeIf(uri -> uri.contains("not_a_file.wav"));
    assertEquals(inputs(), outputs);
    Map<String, Object> dir = errors.get("not_a_file.wav");
    if (dir != null) {
      assertEquals("NOT_A_FILE", dir.get("error_class"));
    }
  }

  @Test
  void badFilesGetTheirDocumentedOutcomes() {
    Map<String, String> expectedErrors =
        Map.of(
            "empty.wav", "EMPTY",
            "zero_data_bytes.wav", "EMPTY",
            "random_bytes.mp3", "UNREADABLE",
            "text_named.flac", "UNREADABLE",
            "nan_inf_f32.wav", "NON_FINITE",
            "corrupt_middle.flac", "DECODE_ERRORS");
    expectedErrors.forEach(
        (file, errorClass) -> {
          Map<String, Object> row = errors.get(file);
          assertNotNull(row, file + " must be an error row");
          assertEquals(errorClass, row.get("error_class"), file + ": " + row.get("message"));
          assertFalse(((String) row.get("message")).isBlank());
        });
    assertTrue(((String) errors.get("text_named.flac").get("message")).contains("no audio stream"));

    assertTrack("truncated_mid_data.wav", 40_000L, "TRUNCATED");
    assertTrack("header_claims_6h_silence.wav", 8_000L, "TRUNCATED");
    Map<String, Object> silence = assertTrack("silence_3h_8000_mono.flac", 86_400_000L, null);
    assertNull(silence.get("integrated_lufs"), "no block passes the gates");
    Map<String, Object> tiny = assertTrack("tiny_0.05s.mp3", null, "TOO_SHORT_FOR_LOUDNESS");
    assertNull(tiny.get("integrated_lufs"));
    assertEquals(musicnnFrames((Long) tiny.get("decoded_samples"), 44100), tiny.get("mel_frames"));
  }

  private Map<String, Object> assertTrack(String file, Long samples, String warning) {
    Map<String, Object> row = tracks.get(file);
    assertNotNull(row, file + " must be a tracks row, errors has: " + errors.get(file));
    if (samples != null) {
      assertEquals(samples, row.get("decoded_samples"), file);
    }
    if (warning != null) {
      @SuppressWarnings("unchecked")
      List<Object> warnings = (List<Object>) row.get("warnings");
      assertTrue(warnings.stream().anyMatch(w -> w.toString().startsWith(warning)), file + ": " + warnings);
    }
    return row;
  }

  /** librosa's frame count (center=True, hop 256) for n samples resampled to 16 kHz as librosa sizes it. */
  static long musicnnFrames(long samples, int rate) {
    long resampled = rate == 16000 ? samples : Math.floorDiv(samples * 16000 + rate - 1, rate);
    return 1 + resampled / 256;
  }

  @Test
  void syntheticFilesDecodeExactlyWithLibrosaFrameCounts() {
    for (CorpusTable.Entry e : CorpusTable.synthetic()) {
      Map<String, Object> row = tracks.get(e.file());
      assertNotNull(row, e.file() + " errors: " + errors.get(e.file()));
      assertEquals(e.frames(), row.get("decoded_samples"), e.file());
      assertEquals(e.sampleRate(), row.get("sample_rate"), e.file());
      assertEquals(e.channels(), row.get("channels"), e.file());
      assertEquals(e.codec(), row.get("codec"), e.file());
      assertEquals(musicnnFrames(e.frames(), e.sampleRate()), row.get("mel_frames"), e.file());
      assertEquals(96, ((List<?>) row.get("mel_mean_db")).size());
      assertEquals(64, ((String) row.get("track_id")).length());
    }
  }

  /**
   * The classic features reach {@code tracks} through Parquet: on the mix whose mono downmix has librosa
   * references, each feature's mean and std over frames match those of librosa's frames.
   */
  @Test
  void classicFeatureSummariesMatchLibrosaThroughTheTable() throws IOException {
    Map<String, Object> row = tracks.get("mix_flac16_44100_stereo_20s.flac");
    Path reference = SharedTestData.resolve("reference/features");
    for (Feature f : Feature.values()) {
      Npy npy = Npy.read(reference.resolve("mix_flac16_44100_mono_20s__" + f.id() + ".npy"));
      if (f == Feature.TEMPO) {
        assertEquals(npy.data()[0], (Double) row.get("tempo_bpm"), 0.5, "tempo");
        continue;
      }
      double[][] frames = npy.matrix(); // features x frames
      for (int d = 0; d < f.dimension(); d++) {
        double mean = Arrays.stream(frames[d]).average().orElseThrow();
        double std = Math.sqrt(Arrays.stream(frames[d]).map(v -> (v - mean) * (v - mean)).average().orElseThrow());
        double tolerance = f == Feature.MFCC ? 1e-3 : 1e-4 * Math.max(Math.abs(mean), 1e-3);
        assertEquals(mean, value(row.get(Tables.meanColumn(f)), d), tolerance, f.id() + "[" + d + "] mean");
        assertEquals(std, value(row.get(Tables.stdColumn(f)), d), Math.max(tolerance, 1e-4 * std),
            f.id() + "[" + d + "] std");
      }
    }
    for (Map<String, Object> track : tracks.values()) {
      assertEquals(20, ((List<?>) track.get("mfcc_mean")).size(), (String) track.get("uri"));
      assertNotNull(track.get("spectral_centroid_mean"), (String) track.get("uri"));
    }
  }

  private static double value(Object column, int index) {
    return column instanceof List<?> list ? ((Number) list.get(index)).doubleValue() : ((Number) column).doubleValue();
  }

  @Test
  void loudnessMatchesFfmpegEbur128() throws IOException {
    List<String> lines = Files.readAllLines(SharedTestData.resolve("corpus/loudness.tsv"));
    int checked = 0;
    StringBuilder report = new StringBuilder();
    for (String line : lines) {
      if (line.startsWith("#") || line.startsWith("file\t")) {
        continue;
      }
      String[] f = line.split("\t");
      String name = Path.of(f[0]).getFileName().toString();
      Map<String, Object> row = tracks.get(name);
      assertNotNull(row, name);
      boolean lossy = Set.of("mp3", "aac", "opus", "vorbis").contains(row.get("codec"));
      double integrated = (Double) row.get("integrated_lufs");
      double truePeak = (Double) row.get("true_peak_dbtp");
      double samplePeak = (Double) row.get("sample_peak_dbfs");
      report.append(String.format("%s I %.2f/%s TP %.2f/%s SP %.4f/%s LRA %s/%s%n", name, integrated, f[1],
          truePeak, f[3], samplePeak, f[4], row.get("loudness_range_lu"), f[2]));
      assertEquals(Double.parseDouble(f[1]), integrated, lossy ? 0.2 : 0.1, name + " integrated");
      if (!f[2].equals("NA")) {
        assertEquals(Double.parseDouble(f[2]), (Double) row.get("loudness_range_lu"), 0.5, name + " LRA");
      }
      assertEquals(Double.parseDouble(f[3]), truePeak, 0.3, name + " true peak");
      assertEquals(Double.parseDouble(f[4]), samplePeak, 0.05, name + " sample peak");
      checked++;
    }
    System.out.print(report);
    assertTrue(checked >= 20, "checked " + checked);
  }
}
