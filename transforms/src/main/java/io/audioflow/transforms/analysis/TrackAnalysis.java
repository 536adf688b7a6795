package io.audioflow.transforms.analysis;

import io.audioflow.transforms.audio.StreamInfo;
import io.audioflow.transforms.decode.DecodeResult;
import io.audioflow.transforms.features.FeatureSummary;
import io.audioflow.transforms.loudness.LoudnessResult;
import io.audioflow.transforms.mel.MelConfig;
import java.util.List;

/**
 * Everything one decode pass learned about a track: a {@code tracks} row.
 *
 * @param loudness all null when loudness was not asked for
 * @param melConfig null when the mel spectrogram was not asked for
 * @param melFrames frames of the whole track's mel spectrogram (0 without mel)
 * @param melMeanDb per-band mean over frames, dB (power_to_db, ref 1, amin 1e-10); null without mel
 * @param melStdDb per-band population standard deviation over frames, dB; null without mel
 * @param features mean and std over frames of each classic per-frame feature, in {@code Feature} order
 * @param tempoBpm librosa's global tempo estimate; null when not asked for
 * @param stftPasses each STFT configuration transformed for this file
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
    List<FeatureSummary> features,
    Double tempoBpm,
    List<StftPass> stftPasses,
    List<String> warnings,
    StageTimes times) {

  /** The same analysis without the per-band mel statistics ({@code --melOutput=none}). */
  public TrackAnalysis withoutMelSummary() {
    return new TrackAnalysis(stream, decode, loudness, melConfig, melFrames, null, null, features, tempoBpm,
        stftPasses, warnings, times);
  }

  public double durationSeconds() {
    return decode.frames() / (double) stream.sampleRate();
  }
}
