package io.audioflow.models;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * A manifest's JSON on any Beam filesystem and the model file it names, read and resolved the same way for every
 * kind of manifest (the project's, Essentia's metadata, separation cores and bags).
 */
final class ManifestFile {
  /**
   * The one JSON reader of manifests. Formats bound to records ({@link SeparationManifest}) name their fields as the
   * components in snake case; extra fields are ignored, a null where a number belongs is refused.
   */
  static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

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
