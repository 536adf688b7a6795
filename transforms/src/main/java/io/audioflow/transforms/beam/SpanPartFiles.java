package io.audioflow.transforms.beam;

import io.audioflow.transforms.separation.StemParts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a split track's span parts live between its spans and its assembly:
 * {@code <stemsOutput>/.parts/<file key>/<span>.<source>.f32}, the key a name-based UUID of the input URI. The track
 * is known by its URI until a span has hashed the file, and two files with the same content must not share parts;
 * a re-run after a crash writes (and then deletes) the same names.
 */
public final class SpanPartFiles {
  private static final Logger LOG = LoggerFactory.getLogger(SpanPartFiles.class);

  private SpanPartFiles() {}

  /** The directory of {@code uri}'s parts. */
  public static ResourceId directory(String stemsOutput, String uri) {
    return FileSystems.matchNewResource(stemsOutput, true)
        .resolve(".parts", StandardResolveOptions.RESOLVE_DIRECTORY)
        .resolve(UUID.nameUUIDFromBytes(uri.getBytes(StandardCharsets.UTF_8)).toString(),
            StandardResolveOptions.RESOLVE_DIRECTORY);
  }

  /** The part of {@code source} of span {@code span}. */
  public static ResourceId part(ResourceId directory, int span, String source) {
    return directory.resolve(span + "." + source + "." + StemParts.EXTENSION, StandardResolveOptions.RESOLVE_FILE);
  }

  /**
   * Deletes every file in {@code directory} (this run's parts and any a crashed run left) and, where the filesystem
   * has directories, the directory itself (best effort: an empty directory holds no part).
   */
  static void delete(ResourceId directory) throws IOException {
    MatchResult match = FileSystems.match(directory + "*");
    List<ResourceId> files = new ArrayList<>();
    if (match.status() == MatchResult.Status.OK) {
      match.metadata().forEach(m -> files.add(m.resourceId()));
    }
    FileSystems.delete(files, StandardMoveOptions.IGNORE_MISSING_FILES);
    try {
      FileSystems.delete(List.of(directory), StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException e) {
      LOG.debug("could not delete the parts directory {}: {}", directory, e.getMessage());
    }
  }
}
