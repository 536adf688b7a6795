package io.audioflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code --melOutput} writes. A segment longer than every track (one segment per track, natural for short clips) costs what the tracks hold,
 * not what the option says: under the test JVM's -Xmx1g (the launcher's default is 2g), 100 000 s segments give the
 * same rows as 10 s ones.
 */
class MelOutputTest {
  @Test
  void aSegmentLongerThanTheTrackHoldsTheTrack(@TempDir Path in, @TempDir Path huge, @TempDir Path ten)
      throws Exception {
    TestWav.write(in.resolve("short_48k.wav"), 48000, 2, 1.5);
    TestWav.write(in.resolve("short_16k.wav"), 16000, 1, 3.0);
    String input = "--input=" + in + "/*.wav";
    JobRunner.run(huge, input, "--melOutput=segments", "--segmentSeconds=100000");
    JobRunner.run(ten, input, "--melOutput=segments", "--segmentSeconds=10");

    for (String table : List.of("mel", "frames")) {
      List<Map<String, Object>> rows = OutputTables.read(huge, table, "*");
      assertEquals(2, rows.size(), table + ": one segment per track");
      assertEquals(OutputTables.read(ten, table, "*"), rows, table);
    }
  }

  @Test
  void noneLeavesTheMelSummaryOutOfTracks(@TempDir Path in, @TempDir Path none, @TempDir Path summary)
      throws Exception {
    TestWav.write(in.resolve("short_16k.wav"), 16000, 1, 2.0);
    String input = "--input=" + in + "/*.wav";
    JobRunner.run(none, input, "--melOutput=none");
    JobRunner.run(summary, input);
    String columns = "mel_mean_db, mel_std_db, mel_frames, rms_mean";
    Map<String, Object> withNone = OutputTables.read(none, "tracks", columns).get(0);
    Map<String, Object> withSummary = OutputTables.read(summary, "tracks", columns).get(0);
    assertNull(withNone.get("mel_mean_db"));
    assertNull(withNone.get("mel_std_db"));
    assertEquals(96, ((List<?>) withSummary.get("mel_mean_db")).size());
    assertEquals(withSummary.get("mel_frames"), withNone.get("mel_frames"), "the mel spectrogram still runs");
    assertEquals(withSummary.get("rms_mean"), withNone.get("rms_mean"));
  }
}
