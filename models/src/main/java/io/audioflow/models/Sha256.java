package io.audioflow.models;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** SHA-256 as models are pinned by it: lowercase hex, whatever case a manifest, sidecar or caller writes. */
final class Sha256 {
  private Sha256() {}

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JVM has SHA-256
    }
  }

  /** The hash of what {@code digest} was fed, as hex. */
  static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The hash of {@code text}'s UTF-8 bytes, as hex. */
  static String ofText(String text) {
    return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** {@code hex} in lowercase, as hashes are compared and written; null stays null (no hash given). */
  static String normalized(String hex) {
    return hex == null ? null : hex.toLowerCase(Locale.ROOT);
  }
}
