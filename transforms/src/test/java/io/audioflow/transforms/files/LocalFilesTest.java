package io.audioflow.transforms.files;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFilesTest {
  @Test
  void deletesATreeAndNothingBesideIt(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("work");
    Files.createDirectories(root.resolve("a/b"));
    Files.writeString(root.resolve("a/b/stem.wav"), "x");
    Files.writeString(root.resolve("top.parquet"), "y");
    Path beside = Files.writeString(dir.resolve("keep.txt"), "z");

    LocalFiles.deleteTree(root);

    assertFalse(Files.exists(root));
    assertTrue(Files.exists(beside));
  }

  @Test
  void aMissingTreeIsAlreadyDeleted(@TempDir Path dir) throws Exception {
    LocalFiles.deleteTree(dir.resolve("never-made"));
    assertTrue(Files.isDirectory(dir));
  }
}
