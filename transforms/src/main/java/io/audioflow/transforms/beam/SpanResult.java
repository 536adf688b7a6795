package io.audioflow.transforms.beam;

import io.audioflow.transforms.separation.SeparationSpan;
import java.io.Serializable;

/**
 * What one span's separation reports to its track's assembly: its parts are written ({@code error} null), or it
 * failed ({@code error}: the class and message the track's rows carry), or the file did not decode
 * ({@code undecodable}: its errors row comes from AnalyzeFileFn, so the track gets no stems rows). The hash, length
 * and mix energy are the whole file's, the same from every span of an unchanged file.
 */
public record SpanResult(SeparationSpan span, String sha256, long frames, double mixEnergy, String error,
    boolean undecodable) implements Serializable {
  static SpanResult failed(SeparationSpan span, String error) {
    return new SpanResult(span, null, 0, 0, error, false);
  }

  static SpanResult undecodable(SeparationSpan span) {
    return new SpanResult(span, null, 0, 0, null, true);
  }
}
