package io.audioflow.transforms.analysis;

/** Why a file ended in the {@code errors} table. Documented in docs/schema.md. */
public enum ErrorClass {
  /** The bytes could not be read, or FFmpeg found no decodable audio stream in them. */
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
  /** An unexpected failure inside the job; the message carries the exception. */
  INTERNAL
}
