package io.audioflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.transforms.analysis.FeatureSelection;
import io.audioflow.transforms.analysis.TrackAnalyzer;
import io.audioflow.transforms.beam.AnalyzeFileFn;
import io.audioflow.transforms.beam.Table;
import io.audioflow.transforms.beam.Tables;
import io.audioflow.transforms.mel.MelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs that are not there end as NOT_FOUND error rows; the job goes on with the others. */
class MissingInputsTest {
  @Test
  void listedFilesThatDoNotExistBecomeNotFoundRows(@TempDir Path in, @TempDir Path out) throws IOException {
    Path a = TestWav.write(in.resolve("a.wav"), 16000, 1, 1.0);
    Path b = TestWav.write(in.resolve("b.wav"), 44100, 2, 0.5);
    Path text = Files.writeString(in.resolve("not_audio.wav"), "not audio");
    Path gone = in.resolve("does_not_exist.wav");
    Path goneToo = in.resolve("sub/also_missing.flac");
    Path list = Files.write(in.resolve("list.txt"),
        List.of(a.toString(), gone.toString(), b.toString(), "", goneToo.toString(), text.toString()));

    PipelineResult result = JobRunner.run(out, "--inputList=" + list);

    assertEquals(2, OutputTables.read(out, "tracks", "uri").size());
    Map<String, Map<String, Object>> errors = OutputTables.read(out, "errors", "*").stream()
        .collect(Collectors.toMap(r -> (String) r.get("uri"), r -> r));
    assertEquals(3, errors.size(), errors.toString());
    assertEquals("UNREADABLE", errors.get(text.toString()).get("error_class"));
    for (Path missing : List.of(gone, goneToo)) {
      Map<String, Object> row = errors.get(missing.toString());
      assertEquals("NOT_FOUND", row.get("error_class"), row.toString());
      assertEquals("open", row.get("stage"));
      assertTrue(((String) row.get("message")).contains(missing.getFileName().toString()), row.toString());
      assertNull(row.get("size_bytes"), "no size for a file that is not there");
    }
    assertEquals(2, FileCounters.counter(result, "errors_NOT_FOUND"));

    // A re-run skips them like any other row; a file that appears since is analysed.
    TestWav.write(gone, 16000, 1, 0.5);
    PipelineResult again = JobRunner.run(out, "--inputList=" + list);
    assertEquals(Map.of("files_skipped", 4L, "files_processed", 1L), FileCounters.of(again));
    assertEquals(3, OutputTables.read(out, "tracks", "uri").size());
  }

  @Test
  void aFileDeletedAfterMatchingBecomesANotFoundRow(@TempDir Path in, @TempDir Path out) throws IOException {
    Path kept = TestWav.write(in.resolve("kept.wav"), 16000, 1, 1.0);
    Path vanished = TestWav.write(in.resolve("vanished.wav"), 16000, 1, 1.0);
    List<MatchResult.Metadata> matched = FileSystems.match(in + "/*.wav").metadata();
    assertEquals(2, matched.size());
    Files.delete(vanished); // after the match, before the analysis opens it

    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    TrackAnalyzer.Settings settings = new TrackAnalyzer.Settings(
        MelConfig.musicnn(), false, false, 86_400, 0, FeatureSelection.parse("mel,loudness"));
    PCollectionTuple rows = p.apply(Create.of(matched).withCoder(MetadataCoderV2.of()))
        .apply(ParDo.of(new AnalyzeFileFn(settings, true, null, 0, null, 60, System.currentTimeMillis()))
            .withOutputTags(Table.TRACKS.tag(), TupleTagList.of(Table.ERRORS.tag())));
    rows.get(Table.TRACKS.tag()).setCoder(AvroCoder.of(Tables.TRACKS))
        .apply(new ParquetTable(out.resolve("tracks") + "/", Tables.TRACKS, "t", 1));
    rows.get(Table.ERRORS.tag()).setCoder(AvroCoder.of(Tables.ERRORS))
        .apply(new ParquetTable(out.resolve("errors") + "/", Tables.ERRORS, "t", 1));
    p.run().waitUntilFinish();

    assertEquals(List.of(Map.of("uri", kept.toString())), OutputTables.read(out, "tracks", "uri"));
    List<Map<String, Object>> errors = OutputTables.read(out, "errors", "uri, error_class, size_bytes");
    assertEquals(1, errors.size());
    assertEquals(vanished.toString(), errors.get(0).get("uri"));
    assertEquals("NOT_FOUND", errors.get(0).get("error_class"));
    assertEquals(Files.size(kept), errors.get(0).get("size_bytes"), "the size it had when matched");
  }
}
