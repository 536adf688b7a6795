package io.audioflow.models;

/** A model that cannot be used: unreadable, corrupt, checksum mismatch, bad manifest. Names the file. */
public class ModelException extends IllegalStateException {
  private final String file;

  public ModelException(String file, String message) {
    this(file, message, null);
  }

  public ModelException(String file, String message, Throwable cause) {
    super(file + ": " + message, cause);
    this.file = file;
  }

  /** The manifest or model file at fault. */
  public String file() {
    return file;
  }
}
