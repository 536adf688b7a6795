package io.audioflow.transforms.analysis;

/** A file that cannot produce a {@code tracks} row: carries the outcome class and the stage that failed. */
public final class AnalysisException extends Exception {
  private final ErrorClass errorClass;
  private final String stage;

  public AnalysisException(ErrorClass errorClass, String stage, String message) {
    this(errorClass, stage, message, null);
  }

  public AnalysisException(ErrorClass errorClass, String stage, String message, Throwable cause) {
    super(message, cause);
    this.errorClass = errorClass;
    this.stage = stage;
  }

  public ErrorClass errorClass() {
    return errorClass;
  }

  public String stage() {
    return stage;
  }
}
