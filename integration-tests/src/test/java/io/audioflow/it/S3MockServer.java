package io.audioflow.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Adobe S3Mock's executable jar as its own process on a free loopback port, and an S3 client for it. */
final class S3MockServer implements AutoCloseable {
  private final Process process;
  private final URI endpoint;
  private final S3Client client;
  final Path log;

  private S3MockServer(Process process, URI endpoint, Path log) {
    this.process = process;
    this.endpoint = endpoint;
    this.log = log;
    this.client =
        S3Client.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .build();
  }

  static S3MockServer start(Path jar, Path dir, String bucket) throws IOException, InterruptedException {
    int http = freePort();
    Path log = dir.resolve("s3mock.log");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-jar",
                jar.toString(),
                "--http.port=" + http,
                "--server.port=" + freePort(),
                "--server.address=127.0.0.1",
                "--com.adobe.testing.s3mock.store.initial-buckets=" + bucket,
                "--com.adobe.testing.s3mock.store.root=" + Files.createDirectories(dir.resolve("store")))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    URI endpoint = URI.create("http://127.0.0.1:" + http);
    Instant deadline = Instant.now().plusSeconds(90);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException("S3Mock exited (" + process.exitValue() + "): " + Files.readString(log));
      }
      try {
        HttpResponse<Void> r =
            HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(endpoint.resolve("/" + bucket)).build(),
                    HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return new S3MockServer(process, endpoint, log);
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(300);
    }
    process.destroyForcibly();
    throw new IOException("S3Mock did not start within 90 s; see " + log);
  }

  URI endpoint() {
    return endpoint;
  }

  void put(String bucket, String key, Path file) {
    client.putObject(PutObjectRequest.builder().bucket(bucket).key(key).build(), RequestBody.fromFile(file));
  }

  List<S3Object> list(String bucket, String prefix) {
    List<S3Object> all = new ArrayList<>();
    client
        .listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())
        .contents()
        .forEach(all::add);
    return all;
  }

  /** Copies every object under the prefix into {@code target}, keeping the key's path below the prefix. */
  Path download(String bucket, String prefix, Path target) throws IOException {
    for (S3Object o : list(bucket, prefix)) {
      Path file = target.resolve(o.key().substring(prefix.length()));
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      client.getObject(GetObjectRequest.builder().bucket(bucket).key(o.key()).build(), file);
    }
    return target;
  }

  @Override
  public void close() {
    client.close();
    process.destroy();
    try {
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
