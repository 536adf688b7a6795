package io.audioflow.transforms.analysis;

import io.audioflow.transforms.audio.StreamInfo;
import io.audioflow.transforms.decode.DecodeResult;

/**
 * The checks that send a file to the {@code errors} table, shared by every step that decodes it (analysis,
 * separation), so a file fails with the same class and message whichever step reads it.
 */
public final class InputChecks {
  private InputChecks() {}

  /** NON_FINITE: any NaN or infinity among the first {@code n} samples. */
  public static void requireFinite(float[] samples, int n) throws AnalysisException {
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(samples[i])) {
        throw nonFinite();
      }
    }
  }

  /** The NON_FINITE failure, for callers that detect it on their own (e.g. on a downmix's sums). */
  public static AnalysisException nonFinite() {
    return new AnalysisException(ErrorClass.NON_FINITE, "decode", "decoded samples contain NaN or infinity");
  }

  /** After decoding: DECODE_ERRORS past {@code maxCorruptPackets}, EMPTY for a stream without samples. */
  public static void requireDecoded(StreamInfo info, DecodeResult decoded, int maxCorruptPackets)
      throws AnalysisException {
    Long declared = info.declaredFrames();
    if (decoded.corruptPackets() > maxCorruptPackets) {
      throw new AnalysisException(
          ErrorClass.DECODE_ERRORS,
          "decode",
          decoded.corruptPackets() + " corrupt packet(s), first: " + decoded.firstCorruption()
              + "; decoded " + decoded.frames() + " samples per channel"
              + (declared != null ? " of " + declared + " declared" : ""));
    }
    if (decoded.frames() == 0) {
      throw new AnalysisException(ErrorClass.EMPTY, "decode", "no audio samples in the stream");
    }
  }
}
