package io.audioflow.transforms.beam;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The project version the build stamped into the jar, recorded in every row. */
public final class CodeVersion {
  private CodeVersion() {}

  public static final String VALUE = load();

  private static String load() {
    try (InputStream in = CodeVersion.class.getResourceAsStream("/io/audioflow/transforms/version.properties")) {
      Properties p = new Properties();
      p.load(in);
      return "audioflow " + p.getProperty("version");
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("version.properties missing from the build", e);
    }
  }
}
