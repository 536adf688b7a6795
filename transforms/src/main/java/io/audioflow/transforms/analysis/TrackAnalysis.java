package io.audioflow.transforms.analysis;

import io.audioflow.transforms.audio.StreamInfo;
import io.audioflow.transforms.decode.DecodeResult;
import io.audioflow.transforms.loudness.LoudnessResult;
import io.audioflow.transforms.mel.MelConfig;
import java.util.List;

/**
 * Everything one decode pass learned about a track: a {@code tracks} row.
 *
 * @param melFrames frames of the whole track's mel spectrogram
 * @param melMeanDb per-band mean over frames, dB (power_to_db, ref 1, amin 1e-10)
 * @param melStdDb per-band population standard deviation over frames, dB
 * @param warnings codes such as TRUNCATED or TOO_SHORT_FOR_LOUDNESS, with details after a colon
 */
public record TrackAnalysis(
    StreamInfo stream,
    DecodeResult decode,
    LoudnessResult loudness,
    MelConfig melConfig,
    long melFrames,
    float[] melMeanDb,
    float[] melStdDb,
    List<String> warnings,
    StageTimes times) {

  public double durationSeconds() {
    return decode.frames() / (double) stream.sampleRate();
  }
}
