package io.audioflow.transforms.beam;

import io.audioflow.models.SeparationBag;
import io.audioflow.transforms.separation.TrackSeparator;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** The {@code stems} rows of one track: one per source, separated or failed. */
final class StemRows {
  private final SeparationBag bag;
  private final String modelSha256;

  StemRows(SeparationBag bag) {
    this.bag = bag;
    this.modelSha256 = bag.sha256();
  }

  /** One row per stem, {@code stemUris} in the stems' order. */
  List<GenericRecord> separated(String trackId, String uri, List<TrackSeparator.Stem> stems, List<String> stemUris) {
    List<GenericRecord> rows = new ArrayList<>();
    for (int s = 0; s < stems.size(); s++) {
      TrackSeparator.Stem stem = stems.get(s);
      rows.add(row(trackId, uri, stem.source(), stemUris.get(s), stem, null));
    }
    return rows;
  }

  /** A decodable file whose separation failed: one row per source with the error, so no track is lost silently. */
  List<GenericRecord> failed(String uri, String error) {
    return bag.sources().stream().map(source -> row(null, uri, source, null, null, error)).toList();
  }

  private GenericRecord row(String trackId, String uri, String source, String stemUri, TrackSeparator.Stem stem,
      String error) {
    GenericData.Record r = new GenericData.Record(SeparateFileFn.STEMS);
    r.put("track_id", trackId);
    r.put("uri", uri);
    r.put("source", source);
    r.put("stem_uri", stemUri);
    r.put("sample_rate", bag.sampleRate());
    if (stem != null) {
      r.put("duration_seconds", stem.durationSeconds());
      r.put("integrated_lufs", stem.integratedLufs());
      r.put("true_peak_dbtp", stem.truePeakDbtp());
      r.put("rms", stem.rms());
      r.put("mix_energy_share", stem.mixEnergyShare());
    }
    r.put("model_name", bag.name());
    r.put("model_sha256", modelSha256);
    r.put("error", error);
    return r;
  }
}
