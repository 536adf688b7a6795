package io.audioflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.flinkcluster.LocalFlinkCluster;
import io.audioflow.transforms.testing.SharedTestData;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The job's Beam metrics through Flink's Prometheus reporter: the local cluster (reporter configured as in the
 * image) runs the job jar over 3 five-second files and one text file, and the TaskManager's endpoint, scraped over
 * HTTP, holds {@code files_processed} = 4, the track, error and audio counters, and every stage's milliseconds equal
 * to the sum of that stage's Beam distribution as Flink's REST API reports it.
 *
 * <p>Flink drops a task's metrics when the task finishes, and in batch mode the tasks finish one after another. So the
 * job runs in streaming mode with its sources kept open after their input ({@code --shutdownSourcesAfterIdleMs}):
 * every task stays up with its final values until the test cancels the job. A long job in batch mode is scraped the
 * same way while it runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusMetricsIT {
  private static final List<String> TRACKS =
      List.of("synthetic/sine440_s16_44100_mono_5s.wav", "synthetic/tones_f32_22050_mono_5s.wav",
          "synthetic/silence_s16_16000_mono_5s.wav");
  private static final List<String> STAGES = List.of("decode", "resample", "mel", "loudness", "features");
  private static final String PREFIX = "flink_taskmanager_job_task_operator_audioflow_";
  /** One sample line of the text format: name, labels, value. */
  private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)} (\\S+)$");
  private static final Pattern DISTRIBUTION = Pattern.compile("DistributionResult\\{sum=(\\d+), count=(\\d+)");

  private final HttpClient http = HttpClient.newHttpClient();
  private Path work;
  private LocalFlinkCluster cluster;
  private Process driver;

  @BeforeAll
  void start() throws Exception {
    work = Files.createTempDirectory(Path.of("target"), "prometheus-").toAbsolutePath();
    cluster =
        LocalFlinkCluster.start(
            new LocalFlinkCluster.Settings(
                1, 1, work.resolve("flink"),
                Files.readString(Path.of(System.getProperty("audioflow.flinkClasspath"))).trim(),
                Path.of(System.getProperty("audioflow.flinkJvmOptions")),
                Map.of()),
            Duration.ofMinutes(2));
  }

  @AfterAll
  void stop() {
    if (driver != null) {
      driver.destroyForcibly();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void taskManagerEndpointServesTheJobsCountersAndStageTimes() throws Exception {
    Path notAudio = Files.writeString(work.resolve("notes.txt"), "not audio\n");
    StringBuilder inputs = new StringBuilder();
    for (String track : TRACKS) {
      inputs.append(SharedTestData.resolve("corpus").resolve(track)).append('\n');
    }
    inputs.append(notAudio).append('\n');
    Path inputList = Files.writeString(work.resolve("inputs.txt"), inputs);
    String jobJar = System.getProperty("audioflow.jobJar");
    driver =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "@" + System.getProperty("audioflow.flinkJvmOptions"), "-cp",
                jobJar + ":" + Files.readString(Path.of(System.getProperty("audioflow.flinkClasspath"))).trim(),
                "io.audioflow.pipeline.AudioflowMain", "--runner=FlinkRunner", "--flinkMaster=" + cluster.master(),
                "--filesToStage=" + jobJar, "--parallelism=1", "--inputList=" + inputList,
                "--output=" + work.resolve("out"), "--progressIntervalSeconds=0", "--streaming=true",
                "--shutdownSourcesAfterIdleMs=600000")
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("driver.log").toFile())
            .start();

    URI taskManager = cluster.prometheusEndpoints().get(1);
    Map<String, Double> m = awaitMetrics(taskManager, Duration.ofMinutes(4));
    assertEquals(4.0, m.get("files_processed"), m.toString());
    assertEquals(3.0, m.get("files_tracks"), m.toString());
    assertEquals(1.0, m.get("files_errors"), m.toString());
    assertEquals(1.0, m.get("errors_UNREADABLE"), m.toString());
    assertEquals(15_000.0, m.get("audio_milliseconds"), m.toString());

    String job = runningJob();
    String vertex = analyzeVertex(job);
    for (String stage : STAGES) {
      long[] sumAndCount = distribution(job, vertex, "stage_" + stage + "_ms", Duration.ofSeconds(30));
      assertEquals(3, sumAndCount[1], stage + ": one time per track");
      assertEquals((double) sumAndCount[0], m.get("stage_" + stage + "_ms_total"), stage);
    }
    assertTrue(m.get("stage_decode_ms_total") > 0, m.toString());

    // The JobManager's endpoint serves the cluster's own metrics.
    assertTrue(Pattern.compile("(?m)^flink_jobmanager_numRunningJobs\\{[^}]*} 1\\.0$")
        .matcher(scrape(cluster.prometheusEndpoints().get(0))).find());
    HttpResponse<String> cancel =
        http.send(
            HttpRequest.newBuilder(cluster.webUi().resolve("jobs/" + job + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(202, cancel.statusCode(), cancel.body());
  }

  /** The audioflow metrics of the endpoint (summed over subtasks) once every input has been counted and analysed. */
  private Map<String, Double> awaitMetrics(URI endpoint, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    Map<String, Double> metrics = Map.of();
    while (Instant.now().isBefore(deadline)) {
      metrics = audioflowMetrics(scrape(endpoint));
      // Beam hands each step's counters to Flink when a bundle finishes: wait for both steps' last bundles.
      if (metrics.getOrDefault("files_tracks", 0.0) + metrics.getOrDefault("files_errors", 0.0) == 4
          && metrics.getOrDefault("files_processed", 0.0) == 4) {
        return metrics;
      }
      assertTrue(driver.isAlive(), () -> "driver exited: " + log());
      Thread.sleep(500);
    }
    throw new AssertionError("not all files analysed within " + timeout + ": " + metrics + "\n" + log());
  }

  private static Map<String, Double> audioflowMetrics(String text) {
    Map<String, Double> metrics = new HashMap<>();
    Matcher m = SAMPLE.matcher(text);
    while (m.find()) {
      if (m.group(1).startsWith(PREFIX)) {
        metrics.merge(m.group(1).substring(PREFIX.length()), Double.parseDouble(m.group(3)), Double::sum);
      }
    }
    return metrics;
  }

  private String scrape(URI endpoint) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    return response.body();
  }

  private String runningJob() throws Exception {
    Matcher m = Pattern.compile("\"id\":\"([0-9a-f]{32})\",\"status\":\"RUNNING\"").matcher(cluster.rest("jobs"));
    assertTrue(m.find(), "a running job");
    return m.group(1);
  }

  private String analyzeVertex(String job) throws Exception {
    // One chunk per vertex of the job's JSON, starting with its id.
    for (String vertex : cluster.rest("jobs/" + job).split("\\{\"id\":\"")) {
      if (Pattern.compile("\"name\":\"[^\"]*AnalyzeFiles").matcher(vertex).find()) {
        return vertex.substring(0, 32);
      }
    }
    throw new AssertionError("no AnalyzeFiles vertex in job " + job);
  }

  /**
   * Sum and count of a Beam distribution as Flink's REST API shows it (the gauge's DistributionResult text), once it
   * covers the 3 tracks: the JobManager fetches metrics from the TaskManagers in the background.
   */
  private long[] distribution(String job, String vertex, String name, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    String answer = "";
    while (Instant.now().isBefore(deadline)) {
      // The metric's id is "<subtask>.<step's full name>.audioflow_<name>"; the step sits inside AnalyzeAudio.
      Matcher id = Pattern.compile("\"id\":\"(0\\.[^\"]*AnalyzeFiles[^\"]*\\.audioflow_" + name + ")\"")
          .matcher(cluster.rest("jobs/" + job + "/vertices/" + vertex + "/metrics"));
      answer = id.find() ? cluster.rest("jobs/" + job + "/vertices/" + vertex + "/metrics?get="
          + URLEncoder.encode(id.group(1), StandardCharsets.UTF_8)) : "no metric id for " + name;
      Matcher d = DISTRIBUTION.matcher(answer);
      if (d.find() && Long.parseLong(d.group(2)) == 3) {
        return new long[] {Long.parseLong(d.group(1)), Long.parseLong(d.group(2))};
      }
      Thread.sleep(500);
    }
    throw new AssertionError(name + " not reported by the REST API within " + timeout + ": " + answer);
  }

  private String log() {
    try {
      return Files.readString(work.resolve("driver.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
