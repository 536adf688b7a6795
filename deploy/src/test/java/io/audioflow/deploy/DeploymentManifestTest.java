package io.audioflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkVersion;
import org.apache.flink.kubernetes.operator.api.spec.JobSpec;
import org.apache.flink.kubernetes.operator.api.spec.KubernetesDeploymentMode;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FlinkDeployment the flink-job module renders (its template with the example values in terraform/test, each
 * JSON-encoded as manifest.tf does) read into the Flink Kubernetes Operator 1.10.0's own classes, strictly: a field the
 * operator does not know fails, even where its classes or the fabric8 model would ignore or collect it.
 */
class DeploymentManifestTest {
  private static final Path MODULE = Terraform.TREE.resolve("modules/flink-job");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+)}");
  /** An argument of manifest.tf's templatefile() call: JSON-encoded there or in a local named *_json. */
  private static final Pattern TEMPLATE_KEY =
      Pattern.compile("(?m)^\\s*(\\w+)\\s*=\\s*(jsonencode\\(|local\\.\\w+_json$)");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Unknown properties fail everywhere: the operator's spec classes say ignoreUnknown and the fabric8 model keeps
   * unknown fields in additionalProperties, which would let a misspelt field through silently.
   */
  private static final ObjectMapper STRICT =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .setAnnotationIntrospector(
              new JacksonAnnotationIntrospector() {
                @Override
                public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated a) {
                  return JsonIgnoreProperties.Value.empty();
                }

                @Override
                public Boolean hasAnySetter(Annotated a) {
                  return false;
                }
              });

  @Test
  void renderedManifestIsAnOperatorFlinkDeployment() throws Exception {
    FlinkDeployment d = STRICT.readValue(render(template()), FlinkDeployment.class);

    assertEquals("flink.apache.org/v1beta1", d.getApiVersion());
    assertEquals("audioflow", d.getMetadata().getName());
    assertEquals(FlinkVersion.v1_19, d.getSpec().getFlinkVersion());
    assertEquals(KubernetesDeploymentMode.NATIVE, d.getSpec().getMode());
    assertEquals("flink", d.getSpec().getServiceAccount());
    assertEquals("registry.example.com/audioflow:0.1.0-gpu", d.getSpec().getImage());
    assertEquals("2", d.getSpec().getFlinkConfiguration().get("taskmanager.numberOfTaskSlots"));
    assertEquals("org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
        d.getSpec().getFlinkConfiguration().get("metrics.reporter.prom.factory.class"));
    assertEquals(3, d.getSpec().getTaskManager().getReplicas());
    assertEquals(2.0, d.getSpec().getTaskManager().getResource().getCpu());
    assertEquals("4g", d.getSpec().getTaskManager().getResource().getMemory());

    JobSpec job = d.getSpec().getJob();
    assertEquals("local:///opt/flink/usrlib/audioflow-job.jar", job.getJarURI());
    assertEquals("io.audioflow.pipeline.AudioflowMain", job.getEntryClass());
    assertEquals(6, job.getParallelism());
    assertEquals(UpgradeMode.STATELESS, job.getUpgradeMode());
    assertEquals("--runner=FlinkRunner", job.getArgs()[0]);
    assertTrue(List.of(job.getArgs()).contains("--inferenceDevice=cuda"));

    var tmPod = d.getSpec().getTaskManager().getPodTemplate().getSpec();
    assertEquals(Map.of("nvidia.com/gpu.present", "true"), tmPod.getNodeSelector());
    assertEquals("nvidia.com/gpu", tmPod.getTolerations().get(0).getKey());
    var main = tmPod.getContainers().get(0);
    assertEquals("flink-main-container", main.getName());
    assertEquals("1", main.getResources().getLimits().get("nvidia.com/gpu").toString());
    assertEquals("audioflow-s3", main.getEnvFrom().get(0).getSecretRef().getName());
  }

  @Test
  void templatePlaceholdersAreWhatMainTfPassesAndTheExampleGives() throws Exception {
    Set<String> placeholders = new TreeSet<>();
    Matcher p = PLACEHOLDER.matcher(template());
    while (p.find()) {
      placeholders.add(p.group(1));
    }
    String main = Files.readString(MODULE.resolve("manifest.tf"));
    String call = main.substring(main.indexOf("templatefile(\"${path.module}/flinkdeployment.yaml.tftpl\""));
    call = call.substring(0, call.indexOf("}))"));
    Set<String> passed = new TreeSet<>();
    Matcher k = TEMPLATE_KEY.matcher(call);
    while (k.find()) {
      passed.add(k.group(1));
    }
    Set<String> example = new TreeSet<>();
    example().fieldNames().forEachRemaining(example::add);
    assertEquals(placeholders, passed, "manifest.tf's templatefile() arguments");
    assertEquals(placeholders, example, "terraform/test/flinkdeployment-example.json");
  }

  @Test
  void aFieldTheOperatorDoesNotKnowFails() throws Exception {
    String misspelt = render(template().replace("  taskManager:\n    replicas:", "  taskManager:\n    replica:"));
    assertThrows(UnrecognizedPropertyException.class, () -> STRICT.readValue(misspelt, FlinkDeployment.class));
    String podField = render(template()).replace("\"nodeSelector\"", "\"nodeSelectr\"");
    assertThrows(UnrecognizedPropertyException.class, () -> STRICT.readValue(podField, FlinkDeployment.class));
  }

  /**
   * The manifest as Terraform itself renders it: manifest.tf, variables.tf and the template in a directory of their
   * own (no provider to install), `terraform console` with GPU, S3 API and credentials-Secret inputs. Terraform is not
   * in a registry this project can install from, so this runs only where it is on the PATH.
   */
  @Test
  void terraformsOwnRenderingIsAnOperatorFlinkDeployment(@TempDir Path dir) throws Exception {
    assumeTrue(onPath("terraform"), "terraform not installed");
    for (String f : List.of("manifest.tf", "variables.tf", "flinkdeployment.yaml.tftpl")) {
      Files.copy(MODULE.resolve(f), dir.resolve(f));
    }
    Files.writeString(dir.resolve("terraform.tfvars"), String.join("\n",
        "image = \"registry.example.com/audioflow:0.1.0-gpu\"", "input = \"s3://audio/in/**\"",
        "output = \"s3://audio/out/\"", "taskmanagers = 3", "s3_endpoint = \"https://minio.example.com:9000\"",
        "s3_credentials_secret_name = \"audioflow-s3\"", "gpu = true",
        "job_options = [\"--separate\", \"--inferenceDevice=cuda\"]", ""));
    Process console =
        new ProcessBuilder("terraform", "console").directory(dir.toFile()).redirectErrorStream(true).start();
    console.getOutputStream().write("jsonencode(local.flink_deployment)\n".getBytes(StandardCharsets.UTF_8));
    console.getOutputStream().close();
    String out = new String(console.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, console.waitFor(), out);
    // The console prints the expression's value, a JSON string, as an HCL string literal (a JSON string too).
    String quoted = out.lines().filter(l -> l.startsWith("\"{")).findFirst().orElseThrow(() -> new AssertionError(out));
    FlinkDeployment d = STRICT.readValue(JSON.readValue(quoted, String.class), FlinkDeployment.class);

    assertEquals(3, d.getSpec().getTaskManager().getReplicas());
    assertEquals(6, d.getSpec().getJob().getParallelism());
    assertEquals(List.of("--runner=FlinkRunner", "--input=s3://audio/in/**", "--output=s3://audio/out/",
        "--parallelism=6", "--endpoint=https://minio.example.com:9000", "--s3PathStyleAccess=true", "--separate",
        "--inferenceDevice=cuda"), List.of(d.getSpec().getJob().getArgs()));
    var tmPod = d.getSpec().getTaskManager().getPodTemplate().getSpec();
    assertEquals(Map.of("nvidia.com/gpu.present", "true"), tmPod.getNodeSelector());
    assertEquals("Exists", tmPod.getTolerations().get(0).getOperator());
    assertEquals("1", tmPod.getContainers().get(0).getResources().getLimits().get("nvidia.com/gpu").toString());
    assertEquals("audioflow-s3",
        d.getSpec().getJobManager().getPodTemplate().getSpec().getContainers().get(0).getEnvFrom().get(0)
            .getSecretRef().getName());
    assertEquals("9249", d.getSpec().getFlinkConfiguration().get("metrics.reporter.prom.port"));
  }

  private static boolean onPath(String command) {
    return Stream.of(System.getenv("PATH").split(":")).anyMatch(p -> Files.isExecutable(Path.of(p, command)));
  }

  private static String template() throws Exception {
    return Files.readString(MODULE.resolve("flinkdeployment.yaml.tftpl"));
  }

  private static JsonNode example() throws Exception {
    return JSON.readTree(Terraform.TREE.resolve("test/flinkdeployment-example.json").toFile());
  }

  /** templatefile() with every value jsonencode()d, as manifest.tf calls it. */
  private static String render(String template) throws Exception {
    JsonNode values = example();
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      JsonNode value = values.get(m.group(1));
      assertTrue(value != null, "no example value for " + m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(JSON.writeValueAsString(value)));
    }
    m.appendTail(out);
    return out.toString();
  }
}
