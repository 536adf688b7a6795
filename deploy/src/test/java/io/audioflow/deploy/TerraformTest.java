package io.audioflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every .tf file parses as HCL2; every variable has a description and a type and no secret-looking default; the
 * Flink Kubernetes Operator's chart and image, the providers and the registry modules are pinned.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TerraformTest {
  private static final String OPERATOR = "1.10.0";
  /** Names of values that are secrets themselves (a Secret's name, e.g. *_secret_name, is not). */
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(password|passwd|secret|token|access_key|secret_key|private_key|api_key|credentials)$");
  /** Values that look like keys whatever the variable is called: AWS access key ids, PEM blocks, long base64. */
  private static final Pattern SECRET_VALUE =
      Pattern.compile("(AKIA|ASIA|A3T[A-Z0-9])[A-Z0-9]{16}|-----BEGIN|[A-Za-z0-9+/]{40,}={0,2}");
  private static final Pattern EXACT_VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");

  private List<Path> files;
  private JsonNode parsed;

  @BeforeAll
  void parse() throws Exception {
    files = Terraform.files();
    parsed = Terraform.parse(files);
  }

  @Test
  void everyTfFileParses() {
    assertTrue(files.size() >= 14, files.toString());
    for (Path f : files) {
      assertTrue(parsed.has(f.toString()), "parsed: " + f);
    }
  }

  @Test
  void everyVariableHasADescriptionATypeAndNoSecretDefault() {
    int variables = 0;
    for (Map.Entry<String, JsonNode> file : fields(parsed)) {
      for (Map.Entry<String, JsonNode> variable : fields(file.getValue().path("variable"))) {
        String where = variable.getKey() + " in " + file.getKey();
        JsonNode v = variable.getValue().get(0);
        variables++;
        assertFalse(v.path("description").asText().isBlank(), "description of " + where);
        assertTrue(v.hasNonNull("type"), "type of " + where);
        JsonNode dflt = v.get("default");
        if (dflt != null && !dflt.isNull()) {
          assertFalse(SECRET_NAME.matcher(variable.getKey()).matches() && !dflt.asText().isEmpty(),
              "a secret's variable with a default: " + where);
          assertFalse(SECRET_VALUE.matcher(dflt.toString()).find(), "secret-looking default of " + where);
        }
      }
    }
    assertTrue(variables > 40, "variables found: " + variables);
  }

  @Test
  void operatorChartAndImageArePinnedToOneVersion() {
    JsonNode module = parsed.get(Terraform.TREE.resolve("modules/flink-job/main.tf").toString());
    JsonNode release = module.path("resource").path("helm_release").path("flink_operator").get(0);
    assertEquals("flink-kubernetes-operator", release.path("chart").asText());
    assertEquals(OPERATOR, release.path("version").asText());
    assertTrue(release.path("repository").asText().contains("flink-kubernetes-operator-" + OPERATOR + "/"),
        release.path("repository").asText());
    JsonNode manifest = parsed.get(Terraform.TREE.resolve("modules/flink-job/manifest.tf").toString());
    assertEquals(OPERATOR, manifest.path("locals").get(0).path("operator_version").asText());
    assertTrue(release.path("values").toString().contains("tag = local.operator_version"), release.toString());
  }

  @Test
  void everyHelmChartRegistryModuleAndProviderIsPinned() {
    List<String> unpinned = new ArrayList<>();
    for (Map.Entry<String, JsonNode> file : fields(parsed)) {
      for (Map.Entry<String, JsonNode> r : fields(file.getValue().path("resource").path("helm_release"))) {
        if (!EXACT_VERSION.matcher(r.getValue().get(0).path("version").asText()).matches()) {
          unpinned.add("helm_release." + r.getKey() + " in " + file.getKey());
        }
      }
      for (Map.Entry<String, JsonNode> m : fields(file.getValue().path("module"))) {
        JsonNode module = m.getValue().get(0);
        boolean local = module.path("source").asText().startsWith("../");
        if (!local && !EXACT_VERSION.matcher(module.path("version").asText()).matches()) {
          unpinned.add("module." + m.getKey() + " in " + file.getKey());
        }
      }
      for (JsonNode terraform : file.getValue().path("terraform")) {
        for (JsonNode providers : terraform.path("required_providers")) {
          for (Map.Entry<String, JsonNode> p : fields(providers)) {
            if (!p.getValue().path("version").asText().matches("~> \\d+\\.\\d+")) {
              unpinned.add("provider " + p.getKey() + " in " + file.getKey());
            }
          }
        }
      }
    }
    assertEquals(List.of(), unpinned);
  }

  @Test
  void readmeNamesEveryVariableOutputAndResource() throws Exception {
    String readme = Files.readString(Terraform.TREE.resolve("README.md"));
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, JsonNode> file : fields(parsed)) {
      JsonNode f = file.getValue();
      List<String> names = new ArrayList<>();
      fields(f.path("variable")).forEach(v -> names.add(v.getKey()));
      fields(f.path("output")).forEach(o -> names.add(o.getKey()));
      fields(f.path("module")).forEach(m -> names.add("module." + m.getKey()));
      for (Map.Entry<String, JsonNode> type : fields(f.path("resource"))) {
        fields(type.getValue()).forEach(r -> names.add(type.getKey() + "." + r.getKey()));
      }
      for (String name : names) {
        if (!readme.contains("`" + name + "`")) {
          missing.add(name + " (" + file.getKey() + ")");
        }
      }
    }
    assertEquals(List.of(), missing, "terraform/README.md");
  }

  private static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    node.fields().forEachRemaining(out::add);
    return out;
  }
}
