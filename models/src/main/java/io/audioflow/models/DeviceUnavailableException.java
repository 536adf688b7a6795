package io.audioflow.models;

/** The requested inference device cannot be used and the policy forbids falling back to the CPU. */
public class DeviceUnavailableException extends IllegalStateException {
  public DeviceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
