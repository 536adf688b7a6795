package io.audioflow.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * librosa timed on request by {@code tools/librosa-speed/run.sh --serve} (one Python process, one thread, the
 * anchors' inputs and calls, and {@code melspectrogram} on the signals the benchmark's own mel stage takes), so the
 * benchmark can time it between its own runs. Each request's figure is timed in Python around the call alone.
 */
final class LibrosaServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final BufferedReader replies;
  private final Writer requests;
  private final JsonNode ready;

  /**
   * Starts the server.
   *
   * @param melInputs signals for the key {@code melspectrogram_inputs} (bench.py's format), with {@code melPreset}
   * @param pythonPathInput if not null, the file the anchors' Python path is timed on
   */
  LibrosaServer(String script, Path melInputs, String melPreset, Path pythonPathInput) throws IOException {
    List<String> command =
        new ArrayList<>(List.of(script, "--serve", "--melInputs=" + melInputs, "--melPreset=" + melPreset));
    if (pythonPathInput != null) {
      command.add("--pythonPath=" + pythonPathInput);
    }
    process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    ready = reply();
  }

  /** What the server said on start: librosa's and numpy's versions, the Python path's seconds of audio. */
  JsonNode ready() {
    return ready;
  }

  /** Seconds of one run of {@code key} (a key of bench.py's output, or {@code features} for all of them). */
  double seconds(String key) throws IOException {
    requests.write(key + " 1\n");
    requests.flush();
    return number(reply(), "ms") / 1e3;
  }

  private JsonNode reply() throws IOException {
    String line = replies.readLine();
    if (line == null) {
      throw new IOException("the librosa benchmark exited (see its messages above)");
    }
    return JSON.readTree(line);
  }

  private static double number(JsonNode json, String key) {
    if (!json.path(key).isNumber()) {
      throw new IllegalStateException("no " + key + " in the librosa benchmark's output: " + json);
    }
    return json.get(key).asDouble();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    requests.close();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
