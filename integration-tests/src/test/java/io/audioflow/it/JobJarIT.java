package io.audioflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The shaded job jar: every filesystem registered, Flink left to the cluster, the job as its main class. */
class JobJarIT {
  @Test
  void registersEveryFilesystemAndLeavesFlinkOut() throws IOException {
    try (JarFile jar = new JarFile(System.getProperty("audioflow.jobJar"))) {
      ZipEntry services = jar.getEntry("META-INF/services/org.apache.beam.sdk.io.FileSystemRegistrar");
      List<String> registrars =
          new String(jar.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      for (String expected :
          List.of("org.apache.beam.sdk.io.LocalFileSystemRegistrar", "org.apache.beam.sdk.io.aws2.s3.S3FileSystemRegistrar",
              "org.apache.beam.sdk.io.hdfs.HadoopFileSystemRegistrar")) {
        assertTrue(registrars.contains(expected), expected + " in " + registrars);
      }
      assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("org/apache/flink/")), "Flink classes in the jar");
      assertTrue(jar.stream().anyMatch(e -> e.getName().startsWith("org/apache/beam/runners/flink/")));
      assertEquals("io.audioflow.pipeline.AudioflowMain", jar.getManifest().getMainAttributes().getValue("Main-Class"));
    }
  }
}
