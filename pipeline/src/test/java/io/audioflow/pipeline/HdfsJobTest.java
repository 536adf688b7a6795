package io.audioflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hdfs://} in and out through Beam's Hadoop filesystem, against an in-process HDFS (a NameNode and one
 * DataNode from hadoop-minicluster): the tables land in HDFS, and a second run resumes from them.
 */
class HdfsJobTest {
  @Test
  void readsWritesAndResumesOnHdfs(@TempDir Path samples, @TempDir Path dfs, @TempDir Path local) throws Exception {
    SampleAudio.main(new String[] {samples.toString()});
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dfs.toString());
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    try {
      cluster.waitActive();
      FileSystem fs = cluster.getFileSystem();
      String hdfs = fs.getUri().toString();
      try (Stream<Path> files = Files.list(samples)) {
        for (Path file : files.toList()) {
          fs.copyFromLocalFile(hadoopPath(file.toString()), hadoopPath("/in/" + file.getFileName()));
        }
      }
      String[] args = {"--input=" + hdfs + "/in/*", "--hdfsConfiguration=[{\"fs.defaultFS\":\"" + hdfs + "\"}]"};

      assertEquals(Map.of("files_skipped", 0L, "files_processed", 5L),
          FileCounters.of(JobRunner.run(hdfs + "/out", args)));
      assertEquals(Map.of("files_skipped", 5L, "files_processed", 0L),
          FileCounters.of(JobRunner.run(hdfs + "/out", args)), "the second run reads the done set from HDFS");

      fs.copyToLocalFile(hadoopPath("/out"), hadoopPath(local.toString()));
      Path out = local.resolve("out");
      List<Map<String, Object>> tracks = OutputTables.read(out, "tracks", "uri");
      assertEquals(4, tracks.size(), tracks.toString());
      tracks.forEach(row -> assertTrue(row.get("uri").toString().startsWith(hdfs + "/in/"), row.toString()));
      List<Map<String, Object>> errors = OutputTables.read(out, "errors", "uri, error_class");
      assertEquals(List.of(Map.of("uri", hdfs + "/in/not_audio.wav", "error_class", "UNREADABLE")), errors);
    } finally {
      cluster.shutdown();
    }
  }

  private static org.apache.hadoop.fs.Path hadoopPath(String path) {
    return new org.apache.hadoop.fs.Path(path);
  }
}
