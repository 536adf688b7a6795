package io.audioflow.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of the Demucs separation step (docs/separation.md). */
public interface SeparationOptions extends PipelineOptions {
  @Description("Also separate every track into stems (the stems table and stem files); off by default.")
  @Default.Boolean(false)
  boolean getSeparate();

  void setSeparate(boolean value);

  @Description("Separation model manifest URI, one model or a bag of models (written by tools/demucs/export-htdemucs);"
      + " required with --separate, checked with every model file when the job starts.")
  String getSeparationModel();

  void setSeparationModel(String value);

  @Description("Directory (any Beam filesystem) for stem files, <track_id>/<source>.<ext>; default <output>/stem_files.")
  String getStemsOutput();

  void setStemsOutput(String value);

  @Description("Stem encoding: flac (24-bit, clipped at full scale) or wav (32-bit float).")
  @Default.String("flac")
  String getStemFormat();

  void setStemFormat(String value);

  @Description("Demucs's shift trick: average this many randomly shifted passes (0: one unshifted pass; Demucs's CLI uses 1).")
  @Default.Integer(0)
  int getShifts();

  void setShifts(int value);

  @Description("Fraction of the model segment shared by consecutive chunks (Demucs: 0.25).")
  @Default.Double(0.25)
  double getOverlap();

  void setOverlap(double value);

  @Description("Chunks per ONNX Runtime call (the batch axis of the separation model); above 1, one batcher per model"
      + " and worker JVM merges the chunks of every thread's tracks. 1 on CPUs: batching gains nothing there"
      + " (docs/benchmarks.md).")
  @Default.Integer(1)
  int getSeparationBatchSize();

  void setSeparationBatchSize(int value);

  @Description("ONNX Runtime intra-op threads per separation session (0: one per core).")
  @Default.Integer(0)
  int getSeparationThreads();

  void setSeparationThreads(int value);

  @Description("With --separationBatchSize > 1: how long a chunk waits for other tracks' chunks to fill a batch"
      + " (0: never waits; what is waiting runs at once).")
  @Default.Long(5)
  long getSeparationBatchWaitMillis();

  void setSeparationBatchWaitMillis(long value);

  @Description("Tracks whose header declares more audio than this are cut into spans of this length, separated on"
      + " any workers and reassembled into the same stems (0: never split).")
  @Default.Double(600)
  double getSeparationSpanSeconds();

  void setSeparationSpanSeconds(double value);
}
