package io.audioflow.transforms.separation;

import java.io.IOException;
import java.nio.file.Path;

/** How stems are encoded: FLAC 24-bit (clipped to full scale) or 32-bit float WAV (unclipped). */
public enum StemFormat {
  FLAC("flac", "audio/flac"),
  WAV("wav", "audio/wav");

  private final String extension;
  private final String mimeType;

  StemFormat(String extension, String mimeType) {
    this.extension = extension;
    this.mimeType = mimeType;
  }

  public String extension() {
    return extension;
  }

  public String mimeType() {
    return mimeType;
  }

  /** Parses {@code flac} or {@code wav} (any case). */
  public static StemFormat parse(String name) {
    for (StemFormat f : values()) {
      if (f.extension.equalsIgnoreCase(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("stem format must be flac or wav, not " + name);
  }

  public StemWriter open(Path file, int sampleRate, int channels) throws IOException {
    return this == FLAC ? new FlacStemWriter(file, sampleRate, channels) : new WavFloatStemWriter(file, sampleRate,
        channels);
  }
}
