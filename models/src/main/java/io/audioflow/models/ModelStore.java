package io.audioflow.models;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies models from any Beam filesystem URI into a local cache directory and verifies them before use.
 *
 * <p>The expected SHA-256 comes from the manifest, else from a {@code <model>.sha256} sidecar (sha256sum format)
 * beside the model; with neither, the launcher pins the hash of what it read ({@link #verify}) so every worker loads
 * the same bytes. Cached files are content-addressed ({@code <sha256>-<name>}) and moved in atomically, so
 * concurrent workers on one machine never see a half-written model.
 */
public final class ModelStore {
  private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);

  private final Path cacheDir;

  public ModelStore(Path cacheDir) {
    this.cacheDir = cacheDir;
  }

  /** {@code <java.io.tmpdir>/audioflow-models}. */
  public static ModelStore defaultStore() {
    return new ModelStore(Path.of(System.getProperty("java.io.tmpdir"), "audioflow-models"));
  }

  /**
   * What the launcher calls for each model before the job starts: {@link #fetch}, then open the model once with
   * ONNX Runtime and match the manifest's tensor names to the model's ({@link TensorNames}).
   *
   * @return the local file, with the manifest pinned to its SHA-256 and naming the model's own tensor names
   * @throws ModelException naming the file when the model is missing, unreadable, mismatched or not valid ONNX, or
   *     when a tensor the manifest names cannot be matched
   */
  public LocalModel verify(ModelManifest manifest) {
    LocalModel local = fetch(manifest);
    ModelManifest m = local.manifest();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(local.file().toString(), options)) {
      return new LocalModel(TensorNames.resolve(m, session), local.file());
    } catch (OrtException e) {
      throw new ModelException(m.modelUri(), "not a loadable ONNX model: " + e.getMessage(), e);
    }
  }

  /**
   * Copies the model into the cache (unless a verified copy is there) and checks its SHA-256.
   *
   * @return the local file, with the manifest pinned to the file's SHA-256
   */
  public LocalModel fetch(ModelManifest manifest) {
    String uri = manifest.modelUri();
    String expected = manifest.sha256() != null ? manifest.sha256() : sidecarSha256(uri);
    Path local = fetch(uri, expected);
    String actual = local.getFileName().toString().substring(0, 64);
    return new LocalModel(manifest.withSha256(actual), local);
  }

  /**
   * Copies the file at {@code uri} into the cache (unless a verified copy is there) and checks its SHA-256 against
   * {@code expectedHex} (hex, either case; null: pinned to what was read, with a warning).
   *
   * @return the cached file, named {@code <sha256>-<name>}
   * @throws ModelException naming the file when it is missing, unreadable or mismatched
   */
  public Path fetch(String uri, String expectedHex) {
    String expected = Sha256.normalized(expectedHex);
    String baseName = FileSystems.matchNewResource(uri, false).getFilename();
    if (expected != null) {
      Path cached = cacheDir.resolve(expected + "-" + baseName);
      if (Files.isRegularFile(cached)) {
        return cached;
      }
    }
    try {
      Files.createDirectories(cacheDir);
      Path temp = Files.createTempFile(cacheDir, baseName, ".part");
      try {
        String actual = copy(uri, temp);
        if (expected != null && !expected.equals(actual)) {
          throw new ModelException(uri, "SHA-256 mismatch: expected " + expected + ", file has " + actual);
        }
        Path target = cacheDir.resolve(actual + "-" + baseName);
        try {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (expected == null) {
          LOG.warn("{}: no SHA-256 in the manifest nor a .sha256 sidecar; pinned to what was read: {}", uri, actual);
        }
        return target;
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new ModelException(uri, "cannot copy model into " + cacheDir + ": " + describe(e), e);
    }
  }

  private static String copy(String uri, Path target) {
    ResourceId id = FileSystems.matchNewResource(uri, false);
    MessageDigest sha = Sha256.digest();
    try (InputStream in = Channels.newInputStream(FileSystems.open(id));
        OutputStream out = new DigestOutputStream(Files.newOutputStream(target), sha)) {
      in.transferTo(out);
    } catch (IOException e) {
      throw new ModelException(uri, "cannot read model: " + describe(e), e);
    }
    return Sha256.hex(sha);
  }

  /** The hash in {@code <uri>.sha256} (first token, as sha256sum writes it), or null when there is none. */
  private static String sidecarSha256(String uri) {
    ResourceId id = FileSystems.matchNewResource(uri + ".sha256", false);
    try (InputStream in = Channels.newInputStream(FileSystems.open(id))) {
      String text = new String(in.readNBytes(4096), StandardCharsets.US_ASCII).trim();
      String hash = Sha256.normalized(text.split("\\s+")[0]);
      if (!hash.matches("[0-9a-f]{64}")) {
        throw new ModelException(uri + ".sha256", "not a SHA-256 sidecar (expected 64 hex digits first)");
      }
      return hash;
    } catch (FileNotFoundException | NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new ModelException(uri + ".sha256", "cannot read checksum sidecar: " + describe(e), e);
    }
  }

  private static String describe(IOException e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
