package io.audioflow.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * A manifest's JSON on any Beam filesystem and the model file it names, read and resolved the same way for every
 * kind of manifest.
 */
final class ManifestFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestFile() {}

  /** The JSON at {@code manifestUri}; an unreadable file or malformed JSON is a {@link ModelException} naming it. */
  static JsonNode read(String manifestUri, String kind) {
    ResourceId id = FileSystems.matchNewResource(manifestUri, false);
    try (InputStream in = Channels.newInputStream(FileSystems.open(id))) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new ModelException(manifestUri, "cannot read " + kind + ": " + e.getClass().getSimpleName() + ": "
          + e.getMessage(), e);
    }
  }

  /** {@code path} as the manifest names it: absolute URIs and paths as they are, others beside the manifest. */
  static String resolve(String manifestUri, String path) {
    if (path.contains("://") || path.startsWith("/")) {
      return path;
    }
    return FileSystems.matchNewResource(manifestUri, false)
        .getCurrentDirectory()
        .resolve(path, StandardResolveOptions.RESOLVE_FILE)
        .toString();
  }
}
