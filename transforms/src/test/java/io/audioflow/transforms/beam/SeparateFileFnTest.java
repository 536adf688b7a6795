package io.audioflow.transforms.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeparateFileFnTest {
  @TempDir Path dir;

  private List<Path> stems() throws IOException {
    Path work = Files.createDirectories(dir.resolve("work"));
    List<Path> stems = new ArrayList<>();
    for (String source : List.of("drums", "bass", "vocals")) {
      stems.add(Files.write(work.resolve(source + ".flac"), source.getBytes()));
    }
    return stems;
  }

  private ResourceId trackDir(Path out) {
    return FileSystems.matchNewResource(out.toString(), true);
  }

  @Test
  void copiesEveryStemUnderItsName() throws IOException {
    Path out = dir.resolve("out/track");
    List<String> uris = SeparateFileFn.copyStems(stems(), trackDir(out), "audio/flac");
    assertEquals(3, uris.size());
    for (String source : List.of("drums", "bass", "vocals")) {
      assertArrayEquals(source.getBytes(), Files.readAllBytes(out.resolve(source + ".flac")));
    }
    assertTrue(uris.get(1).endsWith("/out/track/bass.flac"), uris.get(1));
  }

  @Test
  void aCopyFailingOnTheSecondStemDeletesTheFirst() throws IOException {
    Path out = dir.resolve("out/track");
    // A directory where the second stem goes: creating it fails.
    Files.createDirectories(out.resolve("bass.flac"));
    List<Path> stems = stems();
    assertThrows(IOException.class, () -> SeparateFileFn.copyStems(stems, trackDir(out), "audio/flac"));
    assertFalse(Files.exists(out.resolve("drums.flac")), "the stem written before the failure is deleted");
    assertFalse(Files.exists(out.resolve("vocals.flac")), "no stem is written after the failure");
    assertTrue(Files.isDirectory(out.resolve("bass.flac")), "what the copy did not create is left alone");
  }
}
