package io.audioflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's run command path: generated samples in, both tables out; and the job's guard rails. */
class AudioflowMainTest {

  @Test
  void sampleAudioRunProducesTracksAndErrors(@TempDir Path samples, @TempDir Path out) throws Exception {
    SampleAudio.main(new String[] {samples.toString()});
    PipelineResult result = JobRunner.run(out, "--input=" + samples + "/*", "--melOutput=segments");

    List<Map<String, Object>> tracks = OutputTables.read(out, "tracks", "uri, sample_rate, channels, mel_frames");
    assertEquals(4, tracks.size(), tracks.toString());
    List<Map<String, Object>> errors = OutputTables.read(out, "errors", "uri, error_class");
    assertEquals(1, errors.size());
    assertEquals("UNREADABLE", errors.get(0).get("error_class"));
    assertTrue(((String) errors.get(0).get("uri")).endsWith("not_audio.wav"));
    // 5 s at 44.1 kHz resampled to 16 kHz: 80 000 samples, 1 + 80000/256 frames; 3 s segments of 188 frames.
    Map<String, Object> a440 =
        tracks.stream().filter(r -> r.get("uri").toString().contains("a440")).findFirst().orElseThrow();
    assertEquals(313L, a440.get("mel_frames"));
    List<Map<String, Object>> segments = OutputTables.query(
        "SELECT segment_index, frames, len(values) AS n FROM read_parquet('" + out.resolve("mel")
            + "/*.parquet') WHERE uri LIKE '%a440%' ORDER BY segment_index");
    assertEquals(List.of(Map.of("segment_index", 0, "frames", 188, "n", 188L * 96),
        Map.of("segment_index", 1, "frames", 125, "n", 125L * 96)), segments);
    // The classic features at 44.1 kHz, hop 512: 1 + 220500/512 = 431 frames in 3 s segments of 258 frames.
    List<Map<String, Object>> frames = OutputTables.query(
        "SELECT segment_index, frames, sample_rate, hop_length, len(rms) AS rms, len(chroma_stft) AS chroma,"
            + " len(mfcc) AS mfcc FROM read_parquet('" + out.resolve("frames")
            + "/*.parquet') WHERE uri LIKE '%a440%' ORDER BY segment_index");
    assertEquals(List.of(
        Map.of("segment_index", 0, "frames", 258, "sample_rate", 44100, "hop_length", 512, "rms", 258L,
            "chroma", 258L * 12, "mfcc", 258L * 20),
        Map.of("segment_index", 1, "frames", 173, "sample_rate", 44100, "hop_length", 512, "rms", 173L,
            "chroma", 173L * 12, "mfcc", 173L * 20)), frames);
    // Each stage's time: a distribution over the 4 tracks, and a counter of its sum (what Prometheus exports).
    for (String stage : List.of("decode", "resample", "mel", "loudness", "features")) {
      var perFile = FileCounters.distribution(result, "stage_" + stage + "_ms");
      assertEquals(4, perFile.getCount(), stage);
      assertEquals(perFile.getSum(), FileCounters.counter(result, "stage_" + stage + "_ms_total"), stage);
    }
  }

  @Test
  void anEmptyMatchIsAClearError(@TempDir Path empty, @TempDir Path out) {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> JobRunner.run(out, "--input=" + empty + "/*.wav"));
    assertTrue(e.getMessage().startsWith("no input files"), e.getMessage());
  }

  @Test
  void aSecondRunResumesAndOverwriteStartsAfresh(@TempDir Path samples, @TempDir Path out) throws Exception {
    SampleAudio.main(new String[] {samples.toString()});
    String input = "--input=" + samples + "/*";
    JobRunner.run(out, input);
    List<Map<String, Object>> first = OutputTables.read(out, "tracks", "uri, processed_at");
    assertEquals(4, first.size());

    PipelineResult again = JobRunner.run(out, input);
    assertEquals(Map.of("files_skipped", 5L, "files_processed", 0L), FileCounters.of(again));
    assertEquals(first, OutputTables.read(out, "tracks", "uri, processed_at"));
    assertEquals(1, OutputTables.read(out, "errors", "uri").size());

    try (Stream<Path> files = Files.list(samples)) {
      Path changed = files.filter(p -> p.toString().contains("a440")).findFirst().orElseThrow();
      Files.setLastModifiedTime(changed, FileTime.fromMillis(Files.getLastModifiedTime(changed).toMillis() + 60_000));
      Files.copy(changed, samples.resolve("copy.wav"));
    }
    PipelineResult changes = JobRunner.run(out, input);
    assertEquals(Map.of("files_skipped", 4L, "files_processed", 2L), FileCounters.of(changes));
    assertEquals(6, OutputTables.read(out, "tracks", "uri").size());
    assertEquals(5, OutputTables.query(latestTracks(out)).size(), "latest: one row per uri");

    PipelineResult all = JobRunner.run(out, input, "--reprocess");
    assertEquals(Map.of("files_skipped", 0L, "files_processed", 6L), FileCounters.of(all));
    assertEquals(11, OutputTables.read(out, "tracks", "uri").size());

    JobRunner.run(out, input, "--overwrite");
    assertEquals(5, OutputTables.read(out, "tracks", "uri").size());
    assertEquals(1, OutputTables.read(out, "errors", "uri").size());
  }

  /** docs/operations.md's latest view over tracks, for DuckDB. */
  private static String latestTracks(Path out) {
    return "SELECT * FROM read_parquet('" + out.resolve("tracks") + "/*.parquet')"
        + " QUALIFY row_number() OVER (PARTITION BY uri ORDER BY processed_at DESC) = 1";
  }

  @Test
  void aCommandLineSkipsTheDirectRunnersChecksUnlessItSetsThemAndTestsKeepThem() {
    String[] plain = {"--input=x", "--output=y"};
    AudioflowOptions command = AudioflowMain.commandLine(plain);
    assertFalse(command.as(DirectOptions.class).isEnforceImmutability());
    assertFalse(command.as(DirectOptions.class).isEnforceEncodability());

    String[] explicit = {"--input=x", "--output=y", "--enforceImmutability=true"};
    AudioflowOptions told = AudioflowMain.commandLine(explicit);
    assertTrue(told.as(DirectOptions.class).isEnforceImmutability());
    assertFalse(told.as(DirectOptions.class).isEnforceEncodability());

    // JobRunner (every job test) builds options without the command-line step: both checks stay on.
    AudioflowOptions test = PipelineOptionsFactory.fromArgs(plain).as(AudioflowOptions.class);
    assertTrue(test.as(DirectOptions.class).isEnforceImmutability());
    assertTrue(test.as(DirectOptions.class).isEnforceEncodability());
  }
}
