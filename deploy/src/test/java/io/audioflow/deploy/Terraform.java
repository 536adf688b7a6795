package io.audioflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The repository's {@code terraform/} tree as HashiCorp's HCL2 parser reads it: {@code @cdktf/hcl2json} (the Go
 * parser compiled to WebAssembly, from npm; {@code .ci/run} installs it with {@code npm ci} in terraform/test) run
 * under Node by terraform/test/hcl2json.mjs. Without it the tests are skipped, and fail when {@code CI} is set.
 */
final class Terraform {
  static final Path ROOT = Path.of(System.getProperty("audioflow.root", "..")).toAbsolutePath().normalize();
  static final Path TREE = ROOT.resolve("terraform");
  private static final Path TOOL = TREE.resolve("test");

  private Terraform() {}

  /** Every .tf file of terraform/, sorted. */
  static List<Path> files() throws IOException {
    try (Stream<Path> s = Files.walk(TREE)) {
      return s.filter(p -> p.toString().endsWith(".tf") && !p.startsWith(TOOL)).sorted().toList();
    }
  }

  /** The files parsed, one JSON object keyed by path; a file that does not parse fails with the parser's message. */
  static JsonNode parse(List<Path> files) throws IOException, InterruptedException {
    if (!Files.isDirectory(TOOL.resolve("node_modules/@cdktf/hcl2json"))) {
      if (System.getenv("CI") != null) {
        fail("@cdktf/hcl2json not installed in " + TOOL + " (npm ci there; .ci/run does)");
      }
      assumeTrue(false, "@cdktf/hcl2json not installed in " + TOOL + " (npm ci there)");
    }
    List<String> command = new java.util.ArrayList<>(List.of("node", TOOL.resolve("hcl2json.mjs").toString()));
    files.forEach(f -> command.add(f.toString()));
    Process node = new ProcessBuilder(command).directory(TOOL.toFile()).start();
    byte[] out = node.getInputStream().readAllBytes();
    String err = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, node.waitFor(), "HCL2 parse failed: " + err);
    return new ObjectMapper().readTree(out);
  }
}
