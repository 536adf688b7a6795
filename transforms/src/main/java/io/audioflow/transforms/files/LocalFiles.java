package io.audioflow.transforms.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Local scratch files: the work directories that separation and the benchmarks make and must leave behind empty. */
public final class LocalFiles {
  private LocalFiles() {}

  /**
   * Deletes {@code root} and everything below it, deepest first; best effort (what cannot be listed or deleted is
   * left), as it runs in {@code finally} blocks where an exception would hide the one that got there. A missing
   * {@code root} is already deleted.
   */
  public static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // Left for the system's temp cleaning; the caller's own outcome matters more.
    }
  }
}
