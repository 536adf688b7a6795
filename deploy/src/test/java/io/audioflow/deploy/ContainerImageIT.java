package io.audioflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What can be checked of the image definitions without a Docker engine: the base image is the official Flink image of
 * the project's Flink version; the jar they copy is the one this build packaged, with its main class, the FFmpeg and
 * ONNX Runtime natives and the AWS STS web identity provider IRSA needs; the reporter configuration they append
 * parses with Flink's own parser into a reporter factory Flink can load, on the port the FlinkDeployment declares.
 * After the package phase (failsafe): the jar exists.
 */
class ContainerImageIT {
  private static final Path DOCKER = Terraform.ROOT.resolve("docker");

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile", "Dockerfile.gpu"})
  void imageIsTheProjectsFlinkWithTheJarThisBuildPackaged(String file) throws Exception {
    String dockerfile = Files.readString(DOCKER.resolve(file));
    assertEquals("flink:" + System.getProperty("audioflow.flinkVersion") + "-java17", arg(dockerfile, "FLINK_IMAGE"));
    assertTrue(dockerfile.contains("FROM ${FLINK_IMAGE}"), file);
    assertEquals(System.getProperty("audioflow.jobJar"), arg(dockerfile, "JOB_JAR"));
    assertTrue(dockerfile.contains("COPY --chown=flink:flink ${JOB_JAR} /opt/flink/usrlib/audioflow-job.jar"), file);
    assertTrue(dockerfile.contains("COPY docker/flink-metrics.yaml "), file);

    try (JarFile jar = new JarFile(Terraform.ROOT.resolve(arg(dockerfile, "JOB_JAR")).toFile())) {
      assertEquals("io.audioflow.pipeline.AudioflowMain", jar.getManifest().getMainAttributes().getValue("Main-Class"));
      assertNotNull(jar.getEntry("org/bytedeco/ffmpeg/linux-x86_64/libavcodec.so.61"), "FFmpeg natives");
      assertTrue(jar.stream().anyMatch(e -> e.getName().matches("ai/onnxruntime/native/linux-x64/libonnxruntime\\.so")),
          "ONNX Runtime natives");
      // IRSA (terraform/examples/aws): the default credentials chain reads the pod's web identity token through STS.
      assertNotNull(
          jar.getEntry("software/amazon/awssdk/services/sts/auth/StsWebIdentityTokenFileCredentialsProvider.class"),
          "AWS STS web identity provider");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"config.yaml", "flink-conf.yaml"})
  void reporterConfigurationParsesIntoALoadableReporter(String name, @TempDir Path conf) throws Exception {
    Files.copy(DOCKER.resolve("flink-metrics.yaml"), conf.resolve(name));
    Configuration c = GlobalConfiguration.loadConfiguration(conf.toString());
    String factory = c.getString("metrics.reporter.prom.factory.class", null);
    assertEquals("org.apache.flink.metrics.prometheus.PrometheusReporterFactory", factory);
    assertTrue(
        ServiceLoader.load(MetricReporterFactory.class).stream().anyMatch(p -> p.type().getName().equals(factory)),
        "registered as a reporter factory");
    String port = c.getString("metrics.reporter.prom.port", null);
    assertEquals("9249", port);
    String module = Files.readString(Terraform.TREE.resolve("modules/flink-job/manifest.tf"));
    assertTrue(module.matches("(?s).*\"metrics.reporter.prom.port\"\\s*=\\s*\"" + port + "\".*"),
        "FlinkDeployment port");
    assertTrue(module.contains("\"metrics.reporter.prom.factory.class\"") && module.contains(factory));
  }

  /** An ARG's default value. */
  private static String arg(String dockerfile, String name) {
    Matcher m = Pattern.compile("(?m)^ARG " + name + "=(\\S+)$").matcher(dockerfile);
    assertTrue(m.find(), "ARG " + name);
    return m.group(1);
  }
}
