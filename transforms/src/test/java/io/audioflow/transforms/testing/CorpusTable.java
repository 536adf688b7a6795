package io.audioflow.transforms.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The table of {@code ../shared/corpus/README.md}: each synthetic file with its expected decode. */
public final class CorpusTable {
  private CorpusTable() {}

  public record Entry(
      String file, String container, String codec, int sampleRate, int channels, long frames, double seconds) {}

  public static List<Entry> synthetic() {
    Path readme = SharedTestData.resolve("corpus/README.md");
    List<Entry> entries = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(readme)) {
        String[] cells = line.split("\\|");
        if (cells.length < 7 || !cells[1].trim().matches("[\\w.]+\\.\\w+")) {
          continue;
        }
        String[] containerCodec = cells[2].trim().split(" / ");
        entries.add(
            new Entry(
                cells[1].trim(),
                containerCodec[0],
                containerCodec[1],
                Integer.parseInt(cells[3].trim()),
                Integer.parseInt(cells[4].trim()),
                Long.parseLong(cells[5].trim()),
                Double.parseDouble(cells[6].trim())));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    if (entries.isEmpty()) {
      throw new IllegalStateException("no synthetic entries parsed from " + readme);
    }
    return entries;
  }
}
