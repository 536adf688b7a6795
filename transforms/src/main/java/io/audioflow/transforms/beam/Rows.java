package io.audioflow.transforms.beam;

import io.audioflow.transforms.analysis.AnalysisException;
import io.audioflow.transforms.analysis.TrackAnalysis;
import io.audioflow.transforms.features.Feature;
import io.audioflow.transforms.features.FeatureExtractor;
import io.audioflow.transforms.features.FeatureSummary;
import io.audioflow.transforms.features.FrameRow;
import io.audioflow.transforms.loudness.LoudnessResult;
import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.tagging.Prediction;
import io.audioflow.transforms.tagging.TaggingSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
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
    row.put("mel_config", t.melConfig() == null ? null : t.melConfig().id());
    row.put("mel_frames", t.melFrames());
    row.put("mel_mean_db", t.melMeanDb() == null ? null : floats(t.melMeanDb(), t.melMeanDb().length));
    row.put("mel_std_db", t.melStdDb() == null ? null : floats(t.melStdDb(), t.melStdDb().length));
    for (FeatureSummary summary : t.features()) {
      Feature f = Feature.byId(summary.name());
      if (f.dimension() == 1) {
        row.put(Tables.meanColumn(f), (double) summary.mean()[0]);
        row.put(Tables.stdColumn(f), (double) summary.std()[0]);
      } else {
        row.put(Tables.meanColumn(f), floats(summary.mean(), summary.mean().length));
        row.put(Tables.stdColumn(f), floats(summary.std(), summary.std().length));
      }
    }
    row.put("tempo_bpm", t.tempoBpm());
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
    row.put("size_bytes", sizeBytes >= 0 ? sizeBytes : null); // negative: a listed URI that matched nothing
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
    GenericRecord row = segment(Tables.MEL, trackId, uri, index, startSeconds, frames);
    row.put("n_mels", config.nMels());
    row.put("scaling", config.scaling().name().toLowerCase(Locale.ROOT));
    row.put("values", floats(values, frames * config.nMels()));
    return row;
  }

  /**
   * A {@code frames} row from the first {@code frames} rows of {@code values} (frame-major, laid out as
   * {@code layout}): each feature's values, frame-major, in its own column.
   */
  public static GenericRecord featureSegment(
      String trackId, String uri, int sampleRate, FrameRow layout, int index, double startSeconds, int frames,
      float[] values) {
    GenericRecord row = segment(Tables.FRAMES, trackId, uri, index, startSeconds, frames);
    row.put("sample_rate", sampleRate);
    row.put("hop_length", FeatureExtractor.HOP);
    int width = layout.values().length;
    for (Feature f : layout.features()) {
      int at = layout.offset(f);
      List<Float> column = new ArrayList<>(frames * f.dimension());
      for (int frame = 0; frame < frames; frame++) {
        for (int d = 0; d < f.dimension(); d++) {
          column.add(values[frame * width + at + d]);
        }
      }
      row.put(f.id(), column);
    }
    return row;
  }

  /** A {@code predictions} row: the model's mean probabilities by label, its best {@code topK}, its embedding. */
  public static GenericRecord prediction(String trackId, String uri, Prediction p, int topK) {
    GenericRecord row = new GenericData.Record(Tables.PREDICTIONS);
    row.put("track_id", trackId);
    row.put("uri", uri);
    row.put("model", p.model());
    row.put("kind", p.kind().id());
    row.put("probabilities", p.probabilities() == null ? null : byLabel(p.labels(), p.probabilities()));
    Schema tag = Tables.PREDICTIONS.getField("top_tags").schema().getElementType();
    List<GenericRecord> top = new ArrayList<>();
    for (Prediction.Tag t : p.topTags(topK)) {
      GenericRecord r = new GenericData.Record(tag);
      r.put("label", t.label());
      r.put("score", t.score());
      top.add(r);
    }
    row.put("top_tags", top);
    row.put("embedding", p.embedding() == null ? null : floats(p.embedding(), p.embedding().length));
    row.put("patch_count", p.patchCount());
    return row;
  }

  /**
   * The {@code patches} rows of a prediction that kept its patches: patch {@code k} starts at mel frame
   * {@code k * patchHop}, {@code k * patchHop * TaggingSettings.FRAME_SECONDS} seconds into the track.
   */
  public static List<GenericRecord> patches(String trackId, String uri, Prediction p, int patchHop) {
    List<GenericRecord> rows = new ArrayList<>();
    for (int k = 0; k < p.patchProbabilities().size(); k++) {
      GenericRecord row = new GenericData.Record(Tables.PATCHES);
      row.put("track_id", trackId);
      row.put("uri", uri);
      row.put("model", p.model());
      row.put("patch_index", k);
      row.put("start_seconds", (double) k * patchHop * TaggingSettings.FRAME_SECONDS);
      row.put("probabilities", byLabel(p.labels(), p.patchProbabilities().get(k)));
      rows.add(row);
    }
    return rows;
  }

  private static Map<String, Float> byLabel(List<String> labels, float[] values) {
    Map<String, Float> map = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      map.put(labels.get(i), values[i]);
    }
    return map;
  }

  /** The columns every segment table starts with. */
  private static GenericRecord segment(
      Schema schema, String trackId, String uri, int index, double startSeconds, int frames) {
    GenericRecord row = new GenericData.Record(schema);
    row.put("track_id", trackId);
    row.put("uri", uri);
    row.put("segment_index", index);
    row.put("start_seconds", startSeconds);
    row.put("frames", frames);
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
