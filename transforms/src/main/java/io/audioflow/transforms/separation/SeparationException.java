package io.audioflow.transforms.separation;

/** The separation model failed to load or to run. */
public final class SeparationException extends Exception {
  public SeparationException(String message, Throwable cause) {
    super(message, cause);
  }

  public SeparationException(String message) {
    super(message);
  }
}
