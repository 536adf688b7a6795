package io.audioflow.transforms.decode;

/**
 * Reads the sample count a WAV or AIFF header declares. FFmpeg clamps a data chunk that claims more than the file
 * holds to the file's size, so the claim itself is read here to report a truncated file; it is only compared with
 * what decodes, never used to size a buffer.
 */
final class HeaderDeclaredLength {
  private HeaderDeclaredLength() {}

  /** Declared frames per channel, or null when {@code head} is not a WAV/AIFF header this understands. */
  static Long declaredFrames(byte[] head, int length) {
    if (length < 12) {
      return null;
    }
    String form = ascii(head, 0);
    String type = ascii(head, 8);
    if (form.equals("RIFF") && type.equals("WAVE")) {
      return wav(head, length);
    }
    if (form.equals("FORM") && (type.equals("AIFF") || type.equals("AIFC"))) {
      return aiff(head, length);
    }
    return null;
  }

  private static Long wav(byte[] h, int length) {
    int blockAlign = 0;
    for (int pos = 12; pos + 8 <= length; ) {
      String id = ascii(h, pos);
      long size = le32(h, pos + 4);
      if (id.equals("fmt ") && pos + 8 + 14 <= length) {
        blockAlign = le16(h, pos + 8 + 12);
      } else if (id.equals("data")) {
        return blockAlign > 0 ? size / blockAlign : null;
      }
      pos += 8 + size + (size & 1);
    }
    return null;
  }

  private static Long aiff(byte[] h, int length) {
    for (int pos = 12; pos + 8 <= length; ) {
      String id = ascii(h, pos);
      long size = be32(h, pos + 4);
      if (id.equals("COMM") && pos + 8 + 6 <= length) {
        return be32(h, pos + 8 + 2);
      }
      pos += 8 + size + (size & 1);
    }
    return null;
  }

  private static String ascii(byte[] h, int pos) {
    return new String(h, pos, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static int le16(byte[] h, int p) {
    return (h[p] & 0xff) | (h[p + 1] & 0xff) << 8;
  }

  private static long le32(byte[] h, int p) {
    return (h[p] & 0xffL) | (h[p + 1] & 0xffL) << 8 | (h[p + 2] & 0xffL) << 16 | (h[p + 3] & 0xffL) << 24;
  }

  private static long be32(byte[] h, int p) {
    return (h[p] & 0xffL) << 24 | (h[p + 1] & 0xffL) << 16 | (h[p + 2] & 0xffL) << 8 | (h[p + 3] & 0xffL);
  }
}
