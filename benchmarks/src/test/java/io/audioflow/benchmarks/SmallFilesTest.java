package io.audioflow.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.transforms.analysis.AnalysisException;
import io.audioflow.transforms.audio.StreamInfo;
import io.audioflow.transforms.decode.AudioDecoder;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmallFilesTest {
  @Test
  void writesDecodableFilesOfMixedRatesLayoutsAndFormatsThatDoNotDependOnTheCount(@TempDir Path dir)
      throws IOException, AnalysisException {
    SmallFiles.Written six = SmallFiles.write(dir.resolve("six"), 6);
    SmallFiles.Written three = SmallFiles.write(dir.resolve("three"), 3);
    assertEquals(6, six.files().size());
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(Files.readAllBytes(six.files().get(i)), Files.readAllBytes(three.files().get(i)),
          "file " + i + " is the same whatever the count");
    }
    double decoded = 0;
    Set<String> kinds = new HashSet<>();
    for (Path file : six.files()) {
      try (FileChannel channel = FileChannel.open(file);
          AudioDecoder decoder = AudioDecoder.open(channel, Files.size(file), file.toString())) {
        StreamInfo info = decoder.info();
        long[] frames = {0};
        decoder.decode((block, n) -> frames[0] += n, Long.MAX_VALUE);
        double seconds = frames[0] / (double) info.sampleRate();
        assertTrue(seconds >= 2 && seconds <= 20, file + ": " + seconds + " s");
        assertTrue(Set.of(16000, 22050, 44100, 48000).contains(info.sampleRate()), file.toString());
        String name = file.getFileName().toString();
        assertTrue(name.contains("_" + info.sampleRate() + "_" + (info.channels() == 1 ? "mono" : "stereo") + "_"),
            name + " names its rate and layout");
        kinds.add(info.sampleRate() + "/" + info.channels() + "/" + name.substring(name.lastIndexOf('.')));
        decoded += seconds;
      }
    }
    assertEquals(six.audioSeconds(), decoded, 1e-6);
    assertTrue(kinds.size() >= 3, "a mix of rates, layouts and formats: " + kinds);
  }
}
