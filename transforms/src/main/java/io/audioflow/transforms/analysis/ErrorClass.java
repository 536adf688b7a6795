package io.audioflow.transforms.analysis;

/** Why a file ended in the {@code errors} table. Documented in docs/schema.md. */
public enum ErrorClass {
  /** The input does not exist (a listed URI that never existed, or a file gone by the time it is opened). */
  NOT_FOUND,
  /** The bytes could not be read (permissions, I/O), or FFmpeg found no decodable audio stream in them. */
  UNREADABLE,
  /** Zero bytes, or a valid container holding zero samples. */
  EMPTY,
  /** The stream ended where its structure says it cannot (reserved for containers that report it). */
  TRUNCATED,
  /** The codec reported corrupt data (CRC mismatches, undecodable packets). */
  DECODE_ERRORS,
  /** Decoded samples contain NaN or infinity. */
  NON_FINITE,
  /** Longer than the configured maximum duration. */
  TOO_LONG,
  /** The input is a directory or another non-regular file. */
  NOT_A_FILE,
  /** The file's analysis or separation ran past its time budget ({@code --maxSecondsPerFile}) and was abandoned. */
  TIMEOUT,
  /** An unexpected failure inside the job; the message carries the exception. */
  INTERNAL
}
