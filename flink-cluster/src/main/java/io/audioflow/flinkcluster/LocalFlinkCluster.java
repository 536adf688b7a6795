package io.audioflow.flinkcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Flink standalone session cluster on this machine: one JobManager and N TaskManagers, each its own JVM started
 * from Flink's jars (the classpath this module's build resolves), on loopback ports chosen free. {@link #close()}
 * stops exactly the processes it started. For tests and for trying the cluster path: {@code bin/local-flink}. Every
 * process serves its metrics (the job's Beam counters among the TaskManagers') through Flink's Prometheus reporter on
 * a port of its own: {@link #prometheusEndpoints()}.
 */
public final class LocalFlinkCluster implements AutoCloseable {
  private static final String JOB_MANAGER = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  private static final String TASK_MANAGER = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  private static final Pattern TASK_MANAGER_ENTRY = Pattern.compile("\"dataPort\""); // one per registered TaskManager
  /** The reporter's name in the configuration keys {@code metrics.reporter.prom.*}. */
  static final String PROMETHEUS_REPORTER = "prom";

  /**
   * @param taskManagers TaskManager processes to start
   * @param slotsPerTaskManager task slots each; with 2 and parallelism 2, one TaskManager can carry the job alone
   *     after the other is lost
   * @param workDir configuration, logs and Flink's temporary files
   * @param classpath Flink's jars (flink-cluster/target/flink-classpath.txt)
   * @param jvmOptionsFile Flink's Java 17 module openings (runners/src/main/jvm/flink-java17.args)
   * @param environment extra environment for the TaskManagers (e.g. AWS credentials for the default chain)
   */
  public record Settings(
      int taskManagers,
      int slotsPerTaskManager,
      Path workDir,
      String classpath,
      Path jvmOptionsFile,
      Map<String, String> environment) {}

  private final Settings settings;
  private final int restPort;
  private final Process jobManager;
  private final int jobManagerPrometheusPort;
  private final List<Process> taskManagers = new ArrayList<>();
  private final List<Integer> taskManagerPrometheusPorts = new ArrayList<>();

  private LocalFlinkCluster(Settings settings, int restPort, Process jobManager, int jobManagerPrometheusPort) {
    this.settings = settings;
    this.restPort = restPort;
    this.jobManager = jobManager;
    this.jobManagerPrometheusPort = jobManagerPrometheusPort;
  }

  /**
   * Starts the cluster and returns once the REST API reports every TaskManager registered. The JobManager's ports
   * are chosen free here but bound by its own process a moment later, so another process can take one in between:
   * when the JobManager exits because a port was taken, the start is tried again on new ports (three tries).
   */
  public static LocalFlinkCluster start(Settings settings, Duration timeout) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(settings, timeout);
      } catch (IOException e) {
        if (attempt == 3 || !jobManagerLostAPort(settings)) {
          throw e;
        }
      }
    }
  }

  private static boolean jobManagerLostAPort(Settings settings) throws IOException {
    Path log = settings.workDir().resolve("log").resolve("jobmanager.log");
    return Files.exists(log)
        && new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1).contains("java.net.BindException");
  }

  private static LocalFlinkCluster startOnce(Settings settings, Duration timeout)
      throws IOException, InterruptedException {
    Path conf = settings.workDir().resolve("conf");
    Files.createDirectories(conf);
    Files.createDirectories(settings.workDir().resolve("log"));
    int restPort = freePort();
    Files.write(conf.resolve("flink-conf.yaml"), configuration(settings, restPort, freePort()));
    int prometheusPort = freePort();
    LocalFlinkCluster cluster =
        new LocalFlinkCluster(
            settings,
            restPort,
            launch(settings, JOB_MANAGER, "jobmanager", List.of("-Xmx512m", "-XX:MaxMetaspaceSize=256m"), Map.of(),
                prometheusPort),
            prometheusPort);
    try {
      for (int i = 0; i < settings.taskManagers(); i++) {
        cluster.startTaskManager();
      }
      cluster.awaitTaskManagers(settings.taskManagers(), timeout);
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * The configuration: memory sized for a small machine (JobManager ~1 GB, each TaskManager ~1.8 GB), a fixed-delay
   * restart strategy so a job survives a lost TaskManager, fast heartbeats so a loss is noticed within seconds, the
   * Prometheus reporter (each process's port is given on its command line).
   */
  static List<String> configuration(Settings settings, int restPort, int rpcPort) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("jobmanager.rpc.address", "localhost");
    c.put("jobmanager.rpc.port", String.valueOf(rpcPort));
    c.put("jobmanager.bind-host", "localhost");
    c.put("taskmanager.host", "localhost");
    c.put("taskmanager.bind-host", "localhost");
    c.put("rest.address", "localhost");
    c.put("rest.bind-address", "localhost");
    c.put("rest.port", String.valueOf(restPort));
    c.put("jobmanager.memory.heap.size", "512m");
    c.put("jobmanager.memory.off-heap.size", "128m");
    c.put("jobmanager.memory.jvm-metaspace.size", "256m");
    c.put("taskmanager.numberOfTaskSlots", String.valueOf(settings.slotsPerTaskManager()));
    c.put("taskmanager.cpu.cores", String.valueOf(settings.slotsPerTaskManager()));
    c.put("taskmanager.memory.framework.heap.size", "128m");
    c.put("taskmanager.memory.task.heap.size", "640m");
    c.put("taskmanager.memory.managed.size", "128m");
    c.put("taskmanager.memory.framework.off-heap.size", "128m");
    c.put("taskmanager.memory.task.off-heap.size", "0m");
    c.put("taskmanager.memory.network.min", "256m");
    c.put("taskmanager.memory.network.max", "256m");
    c.put("taskmanager.memory.jvm-metaspace.size", "256m");
    c.put("taskmanager.memory.jvm-overhead.min", "192m");
    c.put("taskmanager.memory.jvm-overhead.max", "192m");
    c.put("parallelism.default", String.valueOf(settings.taskManagers()));
    c.put("cluster.evenly-spread-out-slots", "true");
    c.put("restart-strategy.type", "fixed-delay");
    c.put("restart-strategy.fixed-delay.attempts", "3");
    c.put("restart-strategy.fixed-delay.delay", "2 s");
    c.put("metrics.fetcher.update-interval", "1000");
    c.put("metrics.reporter." + PROMETHEUS_REPORTER + ".factory.class",
        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    c.put("heartbeat.interval", "2000");
    c.put("heartbeat.timeout", "10000");
    Path tmp = settings.workDir().resolve("tmp");
    c.put("io.tmp.dirs", tmp.toString());
    c.put("web.tmpdir", tmp.resolve("web").toString());
    c.put("blob.storage.directory", tmp.resolve("blobs").toString());
    List<String> lines = new ArrayList<>();
    c.forEach((k, v) -> lines.add(k + ": " + v));
    return lines;
  }

  /** Starts one more TaskManager (e.g. to replace a lost one); returns its index. */
  public synchronized int startTaskManager() throws IOException {
    int index = taskManagers.size();
    int prometheusPort = freePort();
    // -Xmx = framework + task heap; direct = framework + task off-heap + network; as Flink's own scripts derive.
    taskManagers.add(
        launch(
            settings,
            TASK_MANAGER,
            "taskmanager-" + index,
            List.of("-Xmx768m", "-Xms768m", "-XX:MaxDirectMemorySize=384m", "-XX:MaxMetaspaceSize=256m"),
            settings.environment(),
            prometheusPort));
    taskManagerPrometheusPorts.add(prometheusPort);
    return index;
  }

  private static Process launch(
      Settings settings,
      String mainClass,
      String name,
      List<String> memory,
      Map<String, String> environment,
      int prometheusPort)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(memory);
    command.add("@" + settings.jvmOptionsFile());
    command.add("-Dlog.file=" + settings.workDir().resolve("log").resolve(name + ".log"));
    command.add("-cp");
    command.add(settings.classpath());
    command.add(mainClass);
    command.add("--configDir");
    command.add(settings.workDir().resolve("conf").toString());
    // A dynamic property: one configuration file, a reporter port per process.
    command.add("-Dmetrics.reporter." + PROMETHEUS_REPORTER + ".port=" + prometheusPort);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(settings.workDir().resolve("log").resolve(name + ".log").toFile());
    builder.environment().putAll(environment);
    return builder.start();
  }

  /** host:port of the REST endpoint, as {@code --flinkMaster} and {@code flink run -m} take it. */
  public String master() {
    return "localhost:" + restPort;
  }

  public URI webUi() {
    return URI.create("http://localhost:" + restPort + "/");
  }

  /** The Prometheus endpoints, JobManager first, then the TaskManagers in the order they were started. */
  public synchronized List<URI> prometheusEndpoints() {
    List<URI> endpoints = new ArrayList<>();
    endpoints.add(URI.create("http://localhost:" + jobManagerPrometheusPort + "/metrics"));
    taskManagerPrometheusPorts.forEach(p -> endpoints.add(URI.create("http://localhost:" + p + "/metrics")));
    return endpoints;
  }

  public Path logDir() {
    return settings.workDir().resolve("log");
  }

  public long jobManagerPid() {
    return jobManager.pid();
  }

  public synchronized List<Long> taskManagerPids() {
    return taskManagers.stream().map(Process::pid).toList();
  }

  /** Kills one TaskManager process at once (SIGKILL), as a lost machine would vanish. */
  public synchronized void killTaskManager(int index) throws InterruptedException {
    Process p = taskManagers.get(index);
    p.destroyForcibly();
    p.waitFor();
  }

  /** GET on the REST API, e.g. {@code jobs/overview}; the JSON text. */
  public String rest(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(webUi().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
    }
    return response.body();
  }

  private void awaitTaskManagers(int count, Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    int registered = 0;
    while (Instant.now().isBefore(deadline)) {
      if (!jobManager.isAlive()) {
        throw new IOException("the JobManager exited (code " + jobManager.exitValue() + "); see " + logDir());
      }
      for (Process tm : taskManagerProcesses()) {
        if (!tm.isAlive()) {
          throw new IOException("a TaskManager exited (code " + tm.exitValue() + "); see " + logDir());
        }
      }
      try {
        Matcher m = TASK_MANAGER_ENTRY.matcher(rest("taskmanagers"));
        registered = 0;
        while (m.find()) {
          registered++;
        }
        if (registered >= count) {
          return;
        }
      } catch (IOException e) {
        // REST endpoint not up yet.
      }
      Thread.sleep(500);
    }
    throw new IOException(
        registered + " of " + count + " TaskManagers registered within " + timeout + "; see " + logDir());
  }

  private synchronized List<Process> taskManagerProcesses() {
    return List.copyOf(taskManagers);
  }

  /** Stops the processes this cluster started (TaskManagers first), by their handles; no other process. */
  @Override
  public void close() {
    List<Process> all = new ArrayList<>(taskManagerProcesses());
    all.add(jobManager);
    for (Process p : all) {
      p.destroy();
    }
    for (Process p : all) {
      try {
        if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code bin/local-flink [--taskmanagers=N] [--slots=S] [--dir=DIR] [--jvmOptions=FILE]}: starts the cluster,
   * prints its address and waits; Ctrl-C stops what it started.
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (String arg : args) {
      String[] kv = arg.replaceFirst("^--", "").split("=", 2);
      a.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    Path dir = Path.of(a.getOrDefault("dir", "target/local-flink")).toAbsolutePath();
    Settings settings =
        new Settings(
            Integer.parseInt(a.getOrDefault("taskmanagers", "2")),
            Integer.parseInt(a.getOrDefault("slots", "2")),
            dir,
            Files.readString(Path.of(a.getOrDefault("classpath", "flink-cluster/target/flink-classpath.txt"))).trim(),
            Path.of(a.getOrDefault("jvmOptions", "runners/src/main/jvm/flink-java17.args")).toAbsolutePath(),
            Map.of());
    LocalFlinkCluster cluster = start(settings, Duration.ofMinutes(2));
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
    System.out.println("Flink session cluster up: " + settings.taskManagers() + " TaskManagers x "
        + settings.slotsPerTaskManager() + " slots; web UI and REST " + cluster.webUi() + "; submit with"
        + " --runner=FlinkRunner --flinkMaster=" + cluster.master() + "; logs in " + cluster.logDir()
        + "; Prometheus metrics (JobManager, then each TaskManager): " + cluster.prometheusEndpoints()
        + "; Ctrl-C stops it");
    cluster.jobManager.waitFor();
  }
}
