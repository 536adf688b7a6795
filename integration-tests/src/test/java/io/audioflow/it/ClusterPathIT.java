package io.audioflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.flinkcluster.LocalFlinkCluster;
import io.audioflow.pipeline.OutputTables;
import io.audioflow.transforms.testing.SharedTestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The cluster path end to end: an S3 API server (S3Mock), a local Flink session cluster (1 JobManager + 2
 * TaskManagers, separate JVMs), the shaded job jar submitted with --runner=FlinkRunner --flinkMaster; output read back
 * with DuckDB and Spark; resume; a TaskManager killed mid-job; no secret in any log or output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterPathIT {
  private static final String BUCKET = "audio";
  /** Short files of every format family, and every kind of bad file but the slow 3-hour one. */
  private static final List<String> INITIAL =
      List.of(
          "synthetic/chirp_u8_8000_mono_3s.wav", "synthetic/dc_offset_s16_32000_mono_4s.wav",
          "synthetic/mix_aac_44100_stereo_10s.m4a", "synthetic/mix_flac24_96000_stereo_5s.flac",
          "synthetic/mix_mp3vbr_22050_mono_10s.mp3", "synthetic/mix_opus_48000_stereo_10s.opus",
          "synthetic/mix_vorbis_44100_stereo_10s.ogg", "synthetic/noise_s24_48000_stereo_4s.wav",
          "synthetic/sine440_s16_44100_mono_5s.wav", "synthetic/surround51_s16_48000_extensible_4s.wav",
          "synthetic/tones_f64_16000_mono_4s.wav", "synthetic/square_fullscale_s16_11025_mono_4s.wav",
          "bad/corrupt_middle.flac", "bad/empty.wav", "bad/header_claims_6h_silence.wav", "bad/nan_inf_f32.wav",
          "bad/random_bytes.mp3", "bad/text_named.flac", "bad/tiny_0.05s.mp3", "bad/truncated_mid_data.wav",
          "bad/zero_data_bytes.wav");
  private static final List<String> ADDED =
      List.of("synthetic/silence_s16_16000_mono_5s.wav", "synthetic/tones_f32_22050_mono_5s.wav",
          "synthetic/tones_s32_96000_stereo_3s.wav");
  /** Every tracks column but processed_at (differs by construction). */
  private static final String TRACK_COLUMNS =
      "track_id, uri, size_bytes, container, codec, sample_rate, channels, duration_seconds, decoded_samples,"
          + " integrated_lufs, loudness_range_lu, true_peak_dbtp, sample_peak_dbfs, mel_config, mel_frames,"
          + " mel_mean_db, mel_std_db, code_version, warnings";
  private static final Pattern COUNTS = Pattern.compile("files_processed (\\d+), files_skipped (\\d+)");

  private final String optionSecret = "optSecret" + UUID.randomUUID().toString().replace("-", "");
  private final String envSecret = "envSecret" + UUID.randomUUID().toString().replace("-", "");
  private Path work;
  private Path corpus;
  private S3MockServer s3;
  private LocalFlinkCluster cluster;
  private SparkSession spark;
  private int submissions;
  private final List<Process> drivers = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    corpus = SharedTestData.resolve("corpus");
    work = Files.createTempDirectory(Path.of("target"), "cluster-path-").toAbsolutePath();
    s3 = S3MockServer.start(Path.of(System.getProperty("audioflow.s3mockJar")), work, BUCKET);
    cluster =
        LocalFlinkCluster.start(
            new LocalFlinkCluster.Settings(
                2, 2, work.resolve("flink"),
                Files.readString(Path.of(System.getProperty("audioflow.flinkClasspath"))).trim(),
                Path.of(System.getProperty("audioflow.flinkJvmOptions")),
                awsEnvironment()),
            Duration.ofMinutes(2));
    for (String file : INITIAL) {
      upload(file);
    }
  }

  @AfterAll
  void stop() {
    drivers.forEach(Process::destroyForcibly); // only a failed test leaves one running
    if (spark != null) {
      spark.stop();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  @Order(1)
  void flinkClusterOutputHasEveryInputOnceAndMatchesTheDirectRunner() throws Exception {
    submit("out", flink());
    Path out = download("out");
    assertEquals(inputUris(INITIAL), doneUris(out), "every input in exactly one of tracks/errors");
    assertTrue(count(out, "tracks") >= 12 && count(out, "errors") >= 6, "tracks and errors both hold rows");

    submit("direct", List.of("--runner=DirectRunner"));
    Path direct = download("direct");
    assertRowsClose(rows(direct, "tracks"), rows(out, "tracks"));

    // Spark reads the same table as DuckDB (hidden .temp-beam folders and all).
    List<Row> sparkRows =
        spark().read().parquet(out.resolve("tracks").toString()).select("uri", "track_id").collectAsList();
    assertEquals(
        OutputTables.query("SELECT uri, track_id FROM " + table(out, "tracks")).stream()
            .map(r -> r.get("uri") + " " + r.get("track_id")).collect(Collectors.toSet()),
        sparkRows.stream().map(r -> r.getString(0) + " " + r.getString(1)).collect(Collectors.toSet()));
  }

  @Test
  @Order(2)
  void resumeProcessesOnlyNewAndChangedFiles() throws Exception {
    long tracks = count(download("out"), "tracks");
    long errors = count(download("out"), "errors");
    assertEquals(List.of(0L, (long) INITIAL.size()), counts(submit("out", flink())));
    Path out = download("out");
    assertEquals(tracks, count(out, "tracks"), "a resumed run over the same input adds no rows");
    assertEquals(errors, count(out, "errors"));

    for (String file : ADDED) {
      upload(file);
    }
    // Changed in place: other audio under an existing key.
    s3.put(BUCKET, "in/" + Path.of(INITIAL.get(0)).getFileName(), corpus.resolve("synthetic/mix_mp3vbr_22050_mono_10s.mp3"));
    assertEquals(List.of(4L, (long) INITIAL.size() - 1), counts(submit("out", flink())));
    out = download("out");
    Set<String> all = inputUris(Stream.concat(INITIAL.stream(), ADDED.stream()).toList());
    Set<String> found = new TreeSet<>();
    for (String t : List.of("tracks", "errors")) {
      OutputTables.query("SELECT DISTINCT uri FROM " + table(out, t)).forEach(r -> found.add((String) r.get("uri")));
    }
    assertEquals(all, found);
    String latestSql = "SELECT uri, count(*) AS n FROM (" + latestTracksDuckDb(out) + ") GROUP BY uri HAVING n > 1";
    assertTrue(OutputTables.query(latestSql).isEmpty(), "latest: one row per uri");
    assertEquals(tracks + 4, count(out, "tracks"), "3 added + 1 changed appended, nothing else");

    // The documented Spark form of the view.
    spark().read().parquet(out.resolve("tracks").toString()).createOrReplaceTempView("tracks");
    List<Row> latest =
        spark()
            .sql("SELECT uri, count(*) FROM (SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY uri ORDER BY"
                + " processed_at DESC) AS rn FROM tracks) WHERE rn = 1) GROUP BY uri")
            .collectAsList();
    assertEquals(tracks + 3, latest.size());
    assertTrue(latest.stream().allMatch(r -> r.getLong(1) == 1));
  }

  @Test
  @Order(3)
  void losingATaskManagerMidJobStillGivesCompleteDuplicateFreeOutput() throws Exception {
    // Enough work that the kill lands mid-analysis: the inputs plus 24 copies of a 30 s file.
    for (String file : Stream.concat(INITIAL.stream(), ADDED.stream()).toList()) {
      s3.put(BUCKET, "fault-in/" + Path.of(file).getFileName(), corpus.resolve(file));
    }
    for (int i = 0; i < 24; i++) {
      s3.put(BUCKET, "fault-in/copy" + i + ".flac", corpus.resolve("synthetic/dynamics_flac16_44100_stereo_30s.flac"));
    }
    Driver driver = startDriver("fault-in", "fault", flink());
    String job = awaitRunningJob(Duration.ofMinutes(2));
    awaitFilesAnalysed(job, Duration.ofMinutes(2));
    cluster.killTaskManager(0);
    assertTrue(driver.process().waitFor(5, TimeUnit.MINUTES), "job finished");
    assertEquals(0, driver.process().exitValue(), "job succeeded after the restart: " + Files.readString(driver.log()));

    Path out = download("fault");
    List<String> uris = new ArrayList<>();
    for (String t : List.of("tracks", "errors")) {
      OutputTables.query("SELECT uri FROM " + table(out, t)).forEach(r -> uris.add((String) r.get("uri")));
    }
    Set<String> expected =
        s3.list(BUCKET, "fault-in/").stream()
            .map(o -> "s3://" + BUCKET + "/" + o.key())
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expected.size(), uris.size(), "no duplicates: " + uris);
    assertEquals(expected, new TreeSet<>(uris));
    assertTrue(Files.readString(cluster.logDir().resolve("jobmanager.log")).contains("RESTARTING"),
        "the job restarted after the TaskManager loss");
  }

  @Test
  @Order(4)
  void noSecretInAnyLogOrOutput() throws Exception {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> all = Files.walk(work)) {
      all.filter(Files::isRegularFile).forEach(files::add);
    }
    assertTrue(files.stream().anyMatch(p -> p.toString().endsWith("taskmanager-1.log")));
    assertTrue(files.stream().anyMatch(p -> p.toString().endsWith(".parquet")));
    for (Path file : files) {
      String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      assertFalse(text.contains(optionSecret), "option secret in " + file);
      assertFalse(text.contains(envSecret), "env secret in " + file);
    }
    Matcher jobs = Pattern.compile("\"jid\":\"([0-9a-f]+)\"").matcher(cluster.rest("jobs/overview"));
    while (jobs.find()) {
      String job = jobs.group(1);
      String config = cluster.rest("jobs/" + job + "/config");
      assertFalse(config.contains(optionSecret) || config.contains(envSecret), "secret in the job's config (web UI)");
    }
  }

  // ---- submission

  private List<String> flink() {
    return List.of("--runner=FlinkRunner", "--flinkMaster=" + cluster.master(),
        "--filesToStage=" + System.getProperty("audioflow.jobJar"), "--parallelism=2");
  }

  /** Runs the job jar as a user would (java -cp job.jar:flink/lib/*), waits, asserts success; the driver's log. */
  private String submit(String output, List<String> runnerArgs) throws Exception {
    Driver driver = startDriver("in", output, runnerArgs);
    assertTrue(driver.process().waitFor(5, TimeUnit.MINUTES), "job finished");
    String log = Files.readString(driver.log());
    assertEquals(0, driver.process().exitValue(), log);
    return log;
  }

  /** A job's driver process and the file its output goes to. */
  private record Driver(Process process, Path log) {}

  private Driver startDriver(String input, String output, List<String> runnerArgs) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "@" + System.getProperty("audioflow.flinkJvmOptions"), "-cp",
                System.getProperty("audioflow.jobJar") + ":"
                    + Files.readString(Path.of(System.getProperty("audioflow.flinkClasspath"))).trim(),
                "io.audioflow.pipeline.AudioflowMain", "--input=s3://" + BUCKET + "/" + input + "/*",
                "--output=s3://" + BUCKET + "/" + output + "/", "--endpoint=" + s3.endpoint(),
                "--awsRegion=us-east-1", "--s3PathStyleAccess=true", "--progressIntervalSeconds=0",
                "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"test\","
                    + "\"secretAccessKey\":\"" + optionSecret + "\"}"));
    command.addAll(runnerArgs);
    Path log = work.resolve("driver-" + output + "-" + ++submissions + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(awsEnvironment());
    Process process = builder.start();
    drivers.add(process);
    return new Driver(process, log);
  }

  private Map<String, String> awsEnvironment() {
    return Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", envSecret, "AWS_REGION", "us-east-1");
  }

  private static List<Long> counts(String driverLog) {
    Matcher m = COUNTS.matcher(driverLog);
    assertTrue(m.find(), driverLog);
    return List.of(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
  }

  private String awaitRunningJob(Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    Pattern running = Pattern.compile("\"jid\":\"([0-9a-f]+)\",\"name\":\"[^\"]*\",\"start-time\":[0-9]+,"
        + "\"end-time\":-1");
    while (Instant.now().isBefore(deadline)) {
      Matcher m = running.matcher(cluster.rest("jobs/overview"));
      if (m.find()) {
        return m.group(1);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no running job within " + timeout);
  }

  /**
   * Waits until the analysing task is running and has taken in 4 files: with 2 parallel subtasks, each analysing
   * one file at a time, at least 2 are done and most are still to come.
   */
  /** The vertex that runs AnalyzeFileFn: its name holds the step's full name (inside the AnalyzeAudio transform). */
  private static final Pattern ANALYZE_VERTEX = Pattern.compile("\"name\":\"[^\"]*AnalyzeFiles[^\"]*\"");

  private void awaitFilesAnalysed(String job, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    Pattern readRecords = Pattern.compile("\"read-records\":([0-9]+)");
    while (Instant.now().isBefore(deadline)) {
      // One chunk per vertex of the job's JSON.
      for (String vertex : cluster.rest("jobs/" + job).split("\\{\"id\":")) {
        Matcher m = readRecords.matcher(vertex);
        if (ANALYZE_VERTEX.matcher(vertex).find() && vertex.contains("\"status\":\"RUNNING\"")
            && m.find() && Long.parseLong(m.group(1)) >= 4) {
          return;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("AnalyzeFiles never started within " + timeout + ": " + cluster.rest("jobs/" + job));
  }

  // ---- data

  private void upload(String corpusFile) {
    s3.put(BUCKET, "in/" + Path.of(corpusFile).getFileName(), corpus.resolve(corpusFile));
  }

  private static Set<String> inputUris(List<String> files) {
    return files.stream()
        .map(f -> "s3://" + BUCKET + "/in/" + Path.of(f).getFileName())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private Path download(String output) throws IOException {
    Path target = work.resolve("download").resolve(output);
    if (Files.exists(target)) {
      try (Stream<Path> old = Files.walk(target)) {
        old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return s3.download(BUCKET, output + "/", target);
  }

  private static String table(Path out, String name) {
    return "read_parquet('" + out.resolve(name) + "/*.parquet')";
  }

  private static long count(Path out, String name) {
    return (Long) OutputTables.query("SELECT count(*) AS n FROM " + table(out, name)).get(0).get("n");
  }

  /** uris over tracks and errors; fails on a uri found twice. */
  private static Set<String> doneUris(Path out) {
    List<String> uris = new ArrayList<>();
    for (String t : List.of("tracks", "errors")) {
      OutputTables.query("SELECT uri FROM " + table(out, t)).forEach(r -> uris.add((String) r.get("uri")));
    }
    Set<String> unique = new TreeSet<>(uris);
    assertEquals(unique.size(), uris.size(), "a uri in more than one row: " + uris);
    return unique;
  }

  /** docs/operations.md's DuckDB latest view over tracks. */
  private static String latestTracksDuckDb(Path out) {
    return "SELECT * FROM " + table(out, "tracks")
        + " QUALIFY row_number() OVER (PARTITION BY uri ORDER BY processed_at DESC) = 1";
  }

  private static List<Map<String, Object>> rows(Path out, String name) {
    return OutputTables.query("SELECT " + TRACK_COLUMNS + " FROM " + table(out, name) + " ORDER BY uri");
  }

  /** Same rows, numbers within a relative 1e-6 (lists element by element). */
  private static void assertRowsClose(List<Map<String, Object>> expected, List<Map<String, Object>> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      for (String column : expected.get(i).keySet()) {
        assertClose(expected.get(i).get(column), actual.get(i).get(column), expected.get(i).get("uri") + " " + column);
      }
    }
  }

  private static void assertClose(Object e, Object a, String what) {
    if (e instanceof List<?> el && a instanceof List<?> al) {
      assertEquals(el.size(), al.size(), what);
      for (int i = 0; i < el.size(); i++) {
        assertClose(el.get(i), al.get(i), what + "[" + i + "]");
      }
    } else if (e instanceof Number en && a instanceof Number an && !(e instanceof Long || e instanceof Integer)) {
      double x = en.doubleValue();
      double y = an.doubleValue();
      assertTrue(Double.compare(x, y) == 0 || Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(x)),
          what + ": " + x + " vs " + y);
    } else {
      assertEquals(e, a, what);
    }
  }

  private SparkSession spark() {
    if (spark == null) {
      spark =
          SparkSession.builder()
              .master("local[1]")
              .appName("audioflow-it")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.local.dir", work.resolve("spark").toString())
              .getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
    }
    return spark;
  }

}
