package io.audioflow.pipeline;

import io.audioflow.pipeline.storage.ObjectStoreOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** The job's options; each one is described in README.md and docs/options.md. */
public interface AudioflowOptions extends PipelineOptions, ObjectStoreOptions, SeparationOptions {

  @Description("Glob of input files on any Beam filesystem (e.g. 'samples/*.wav', 's3://bucket/audio/**').")
  String getInput();

  void setInput(String value);

  @Description("Text file with one input URI per line (instead of --input).")
  String getInputList();

  void setInputList(String value);

  @Description("Output directory; each table is written to a subdirectory (tracks/, errors/, mel/).")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description("Delete the tables already under --output before the run (otherwise the run resumes: it skips files"
      + " already done and appends new part files).")
  @Default.Boolean(false)
  boolean getOverwrite();

  void setOverwrite(boolean value);

  @Description("Process every input again, even files the output already holds in the same version (uri, size,"
      + " last-modified time); the new rows are appended and the latest view picks them.")
  @Default.Boolean(false)
  boolean getReprocess();

  void setReprocess(boolean value);

  @Description("Parquet files per table per run (0: one per writing worker, as the runner decides). Aim for files of"
      + " 64-512 MB: tracks rows are ~2 KB, so 0 suits up to ~100k files per worker; see docs/operations.md.")
  @Default.Integer(0)
  int getOutputShards();

  void setOutputShards(int value);

  @Description("Mel preset: musicnn (16 kHz, 512/256, 96 mels, reflect, log10) or librosa (file's rate, 2048/512,"
      + " 128 mels, constant padding, dB).")
  @Default.String("musicnn")
  String getMelPreset();

  void setMelPreset(String value);

  @Description("Mel sample rate in Hz; audio is resampled to it (default: the preset's; librosa keeps the file's).")
  Integer getSampleRate();

  void setSampleRate(Integer value);

  // Lower-case "n" after "get": Beam derives option names as JavaBeans do, so getNFft would be --NFft.
  @Description("FFT size.")
  Integer getnFft();

  void setnFft(Integer value);

  @Description("Window length (periodic Hann), <= nFft.")
  Integer getWinLength();

  void setWinLength(Integer value);

  @Description("Hop length in samples.")
  Integer getHopLength();

  void setHopLength(Integer value);

  @Description("Number of mel bands.")
  Integer getnMels();

  void setnMels(Integer value);

  @Description("Lowest mel filter frequency, Hz.")
  Double getFmin();

  void setFmin(Double value);

  @Description("Highest mel filter frequency, Hz (default: the preset's; librosa uses sr/2).")
  Double getFmax();

  void setFmax(Double value);

  @Description("Mel scale: slaney or htk.")
  String getMelScale();

  void setMelScale(String value);

  @Description("Mel filter normalisation: slaney or none.")
  String getMelNorm();

  void setMelNorm(String value);

  @Description("Centre frames by padding n_fft/2 on both sides.")
  Boolean getCenter();

  void setCenter(Boolean value);

  @Description("Padding when centred: constant (zeros) or reflect.")
  String getPadMode();

  void setPadMode(String value);

  @Description("Exponent of the magnitude spectrogram (1 magnitude, 2 power).")
  Double getPower();

  void setPower(Double value);

  @Description("Scaling of stored mel values: power, db (power_to_db, ref 1, amin 1e-10) or log10 (log10(10000x+1)).")
  String getMelScaling();

  void setMelScaling(String value);

  @Description(
      "What each file's one decode pass computes: 'all' (the default) or a comma-separated list of mel, loudness,"
          + " rms, zcr, spectral_centroid, spectral_bandwidth, spectral_rolloff, spectral_flatness, chroma_stft,"
          + " mfcc, onset_strength, tempo_bpm (librosa 0.11 definitions, at the file's own sample rate).")
  @Default.String("all")
  String getFeatures();

  void setFeatures(String value);

  @Description(
      "Mel output: none, summary (per-band mean/std in tracks) or segments (also the mel table, and the frames"
          + " table of per-frame classic features).")
  @Default.String("summary")
  String getMelOutput();

  void setMelOutput(String value);

  @Description("Length of mel table segments in seconds (with --melOutput=segments).")
  @Default.Double(3.0)
  double getSegmentSeconds();

  void setSegmentSeconds(double value);

  @Description("Files longer than this many seconds end in errors as TOO_LONG.")
  @Default.Long(86_400)
  long getMaxDurationSeconds();

  void setMaxDurationSeconds(long value);

  @Description("Files with more corrupt packets than this end in errors as DECODE_ERRORS; fewer become a warning.")
  @Default.Integer(0)
  int getMaxCorruptPackets();

  void setMaxCorruptPackets(int value);

  @Description("Time budget of one file's analysis in seconds (0: none). A file past it is abandoned (its decoder and"
      + " model calls interrupted, or left on a thread of their own) and ends in errors as TIMEOUT; the worker goes"
      + " on with the next file. The default is far above any healthy file: a 24-hour file analyses in minutes.")
  @Default.Double(3600)
  double getMaxSecondsPerFile();

  void setMaxSecondsPerFile(double value);

  @Description("Separation's time budget grows by this many seconds per second of audio decoded, on top of"
      + " --maxSecondsPerFile (0: the fixed budget only; with --maxSecondsPerFile=0 there is none).")
  @Default.Double(60)
  double getSeparationSecondsPerAudioSecond();

  void setSeparationSecondsPerAudioSecond(double value);

  @Description("Seconds between progress lines in the log (0 turns them off).")
  @Default.Long(10)
  long getProgressIntervalSeconds();

  void setProgressIntervalSeconds(long value);

  @Description("Comma-separated model manifest URIs (any Beam filesystem): the project's JSON, or Essentia model-zoo"
      + " metadata JSON paired with the .onnx of the same base name beside it. Each track is tagged from the musicnn"
      + " mel preset into the predictions table. See docs/models.md.")
  String getModels();

  void setModels(String value);

  @Description("Where models run: cpu, cuda or cuda:N (falls back to the CPU with a warning unless --requireDevice).")
  @Default.String("cpu")
  String getInferenceDevice();

  void setInferenceDevice(String value);

  @Description("Fail instead of falling back to the CPU when --inferenceDevice is unusable.")
  @Default.Boolean(false)
  boolean getRequireDevice();

  void setRequireDevice(boolean value);

  @Description("Labels kept in the predictions table's top_tags.")
  @Default.Integer(10)
  int getTopK();

  void setTopK(int value);

  @Description("With --models, also write the patches table: every patch's probabilities per model (the taggram).")
  @Default.Boolean(false)
  boolean getPatchesTable();

  void setPatchesTable(boolean value);

  @Description("Mel frames between model patch starts (patches are 187 frames for MusiCNN).")
  @Default.Integer(187)
  int getPatchHop();

  void setPatchHop(int value);

  @Description("Frames after the last whole patch: pad (zero-padded patch, so short files get one) or discard.")
  @Default.String("pad")
  String getLastPatch();

  void setLastPatch(String value);

  @Description("Patches per model run.")
  @Default.Integer(64)
  int getInferenceBatchSize();

  void setInferenceBatchSize(int value);

  @Description("ONNX Runtime intra-op threads per session (default: cores / worker threads, at least 1).")
  Integer getInferenceThreads();

  void setInferenceThreads(Integer value);
}
