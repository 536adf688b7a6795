package io.audioflow.transforms.beam;

import io.audioflow.transforms.analysis.AnalysisException;
import io.audioflow.transforms.analysis.TrackAnalysis;
import io.audioflow.transforms.loudness.LoudnessResult;
import io.audioflow.transforms.mel.MelConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Builds the rows of the {@link Tables}. */
public final class Rows {
  private Rows() {}

  public static GenericRecord track(String uri, long sizeBytes, TrackAnalysis t, Instant processedAt) {
    GenericRecord row = new GenericData.Record(Tables.TRACKS);
    LoudnessResult loudness = t.loudness();
    row.put("track_id", t.decode().sha256());
    row.put("uri", uri);
    row.put("size_bytes", sizeBytes);
    row.put("container", t.stream().container());
    row.put("codec", t.stream().codec());
    row.put("sample_rate", t.stream().sampleRate());
    row.put("channels", t.stream().channels());
    row.put("duration_seconds", t.durationSeconds());
    row.put("decoded_samples", t.decode().frames());
    row.put("integrated_lufs", loudness.integratedLufs());
    row.put("loudness_range_lu", loudness.loudnessRangeLu());
    row.put("true_peak_dbtp", loudness.truePeakDbtp());
    row.put("sample_peak_dbfs", loudness.samplePeakDbfs());
    row.put("mel_config", t.melConfig().id());
    row.put("mel_frames", t.melFrames());
    row.put("mel_mean_db", floats(t.melMeanDb(), t.melMeanDb().length));
    row.put("mel_std_db", floats(t.melStdDb(), t.melStdDb().length));
    row.put("code_version", CodeVersion.VALUE);
    row.put("processed_at", processedAt.toEpochMilli());
    row.put("warnings", t.warnings());
    return row;
  }

  public static GenericRecord error(String uri, long sizeBytes, AnalysisException e, Instant processedAt) {
    GenericRecord row = new GenericData.Record(Tables.ERRORS);
    row.put("uri", uri);
    row.put("stage", e.stage());
    row.put("error_class", e.errorClass().name());
    row.put("message", String.valueOf(e.getMessage()));
    row.put("size_bytes", sizeBytes);
    row.put("code_version", CodeVersion.VALUE);
    row.put("processed_at", processedAt.toEpochMilli());
    return row;
  }

  /**
   * Sets the input file's last-modified time (tracks and errors), which resume compares with the file found on the
   * next run; {@code millis <= 0} (unknown to the filesystem) stays null.
   */
  public static GenericRecord withSourceModified(GenericRecord row, long millis) {
    row.put("source_modified_at", millis > 0 ? millis : null);
    return row;
  }

  /** A {@code mel} row from the first {@code frames * nMels} of {@code values} (frame-major). */
  public static GenericRecord melSegment(
      String trackId, String uri, MelConfig config, int index, double startSeconds, int frames, float[] values) {
    GenericRecord row = new GenericData.Record(Tables.MEL);
    row.put("track_id", trackId);
    row.put("uri", uri);
    row.put("segment_index", index);
    row.put("start_seconds", startSeconds);
    row.put("frames", frames);
    row.put("n_mels", config.nMels());
    row.put("scaling", config.scaling().name().toLowerCase(Locale.ROOT));
    row.put("values", floats(values, frames * config.nMels()));
    return row;
  }

  private static List<Float> floats(float[] values, int n) {
    List<Float> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(values[i]);
    }
    return list;
  }
}
