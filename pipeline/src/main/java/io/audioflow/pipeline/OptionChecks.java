package io.audioflow.pipeline;

import io.audioflow.models.InferenceDevice;
import io.audioflow.transforms.analysis.FeatureSelection;
import io.audioflow.transforms.decode.AudioDecoder;
import io.audioflow.transforms.separation.StemFormat;
import io.audioflow.transforms.tagging.LastPatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every option checked before anything is read or deleted: each problem is named as {@code --option=value} with
 * the range it must be in, and all of them are reported at once. The analysis classes keep their own invariants;
 * this is where a user learns which flag to change.
 */
final class OptionChecks {
  /** The largest FFT the analysis accepts: its buffers are sized from it before any audio is read. */
  static final int MAX_N_FFT = 1 << 16;
  static final int MAX_N_MELS = 1024;
  /** Patches per model run and chunks per separation run: their input tensors are sized from it. */
  static final int MAX_BATCH = 1024;

  private final List<String> problems = new ArrayList<>();

  private OptionChecks() {}

  /** @throws IllegalArgumentException listing every bad option */
  static void validate(AudioflowOptions o) {
    OptionChecks c = new OptionChecks();
    c.check(o);
    if (!c.problems.isEmpty()) {
      throw new IllegalArgumentException("bad option" + (c.problems.size() > 1 ? "s" : "") + ": "
          + String.join("; ", c.problems));
    }
  }

  private void check(AudioflowOptions o) {
    if ((o.getInput() == null) == (o.getInputList() == null)) {
      problems.add("give exactly one of --input (a glob) or --inputList (a file of URIs)");
    }
    notBlank("--input", o.getInput());
    notBlank("--inputList", o.getInputList());
    notBlank("--output", o.getOutput());
    if (o.getOverwrite() && o.getReprocess()) {
      problems.add("--overwrite and --reprocess contradict each other: --overwrite starts from empty tables, where"
          + " --reprocess appends to them; give one");
    }
    range("--outputShards", o.getOutputShards(), 0, Integer.MAX_VALUE);

    String preset = o.getMelPreset().trim().toLowerCase(Locale.ROOT);
    if (!preset.equals("musicnn") && !preset.equals("librosa")) {
      problems.add("--melPreset=" + o.getMelPreset() + ": must be musicnn or librosa");
    }
    range("--sampleRate", o.getSampleRate(), 1, AudioDecoder.MAX_SAMPLE_RATE);
    range("--nFft", o.getnFft(), 2, MAX_N_FFT);
    range("--winLength", o.getWinLength(), 1, MAX_N_FFT);
    if (o.getWinLength() != null && o.getnFft() != null && o.getWinLength() > o.getnFft()) {
      problems.add("--winLength=" + o.getWinLength() + ": must be <= --nFft=" + o.getnFft());
    }
    range("--hopLength", o.getHopLength(), 1, MAX_N_FFT);
    range("--nMels", o.getnMels(), 1, MAX_N_MELS);
    range("--fmin", o.getFmin(), 0, Double.MAX_VALUE);
    range("--fmax", o.getFmax(), Double.MIN_VALUE, Double.MAX_VALUE);
    if (o.getFmin() != null && o.getFmax() != null && o.getFmin() >= o.getFmax()) {
      problems.add("--fmin=" + o.getFmin() + ": must be below --fmax=" + o.getFmax());
    }
    Integer melRate = o.getSampleRate() != null ? o.getSampleRate() : preset.equals("musicnn") ? 16000 : null;
    if (o.getFmax() != null && melRate != null && o.getFmax() > melRate / 2.0) {
      problems.add("--fmax=" + o.getFmax() + ": above the Nyquist frequency " + melRate / 2.0 + " Hz of the "
          + melRate + " Hz mel rate");
    }
    range("--power", o.getPower(), Double.MIN_VALUE, 16);
    oneOf("--melScale", o.getMelScale(), "slaney", "htk");
    oneOf("--melNorm", o.getMelNorm(), "slaney", "none");
    oneOf("--padMode", o.getPadMode(), "constant", "reflect");
    oneOf("--melScaling", o.getMelScaling(), "power", "db", "log10");
    parse("--features", o.getFeatures(), () -> FeatureSelection.parse(o.getFeatures()));
    oneOf("--melOutput", o.getMelOutput(), "none", "summary", "segments");
    range("--segmentSeconds", o.getSegmentSeconds(), 1e-3, 1e9);
    range("--maxDurationSeconds", o.getMaxDurationSeconds(), 1, Long.MAX_VALUE / 1_000_000);
    range("--maxCorruptPackets", o.getMaxCorruptPackets(), 0, Integer.MAX_VALUE);
    range("--progressIntervalSeconds", o.getProgressIntervalSeconds(), 0, Long.MAX_VALUE / 1000);
    range("--maxSecondsPerFile", o.getMaxSecondsPerFile(), 0, 1e9);
    range("--separationSecondsPerAudioSecond", o.getSeparationSecondsPerAudioSecond(), 0, 1e6);

    parse("--inferenceDevice", o.getInferenceDevice(), () -> InferenceDevice.parse(o.getInferenceDevice()));
    range("--topK", o.getTopK(), 0, Integer.MAX_VALUE);
    range("--patchHop", o.getPatchHop(), 1, 1 << 20);
    oneOf("--lastPatch", o.getLastPatch(), names(LastPatch.values()));
    range("--inferenceBatchSize", o.getInferenceBatchSize(), 1, MAX_BATCH);
    range("--inferenceThreads", o.getInferenceThreads(), 1, 4096);
    boolean models = o.getModels() != null && !o.getModels().isBlank();
    if (o.getPatchesTable() && !models) {
      problems.add("--patchesTable needs --models (it holds the models' per-patch outputs)");
    }

    boolean separate = o.getSeparate();
    if (separate && (o.getSeparationModel() == null || o.getSeparationModel().isBlank())) {
      problems.add("--separate needs --separationModel=<manifest URI>");
    }
    if (!separate && o.getStemsOutput() != null) {
      problems.add("--stemsOutput=" + o.getStemsOutput() + " is given without --separate, which writes the stems");
    }
    oneOf("--stemFormat", o.getStemFormat(), names(StemFormat.values()));
    range("--shifts", o.getShifts(), 0, 100);
    if (!(o.getOverlap() >= 0 && o.getOverlap() < 1)) {
      problems.add("--overlap=" + o.getOverlap() + ": must be in [0, 1)");
    }
    range("--separationBatchSize", o.getSeparationBatchSize(), 1, MAX_BATCH);
    range("--separationThreads", o.getSeparationThreads(), 0, 4096);
    range("--separationBatchWaitMillis", o.getSeparationBatchWaitMillis(), 0, 60_000);
    range("--separationSpanSeconds", o.getSeparationSpanSeconds(), 0, 1e7);
  }

  private void notBlank(String option, String value) {
    if (value != null && value.isBlank()) {
      problems.add(option + " is empty");
    }
  }

  private void range(String option, Number value, double min, double max) {
    if (value == null) {
      return;
    }
    double v = value.doubleValue();
    if (!(v >= min && v <= max)) { // also refuses NaN
      problems.add(option + "=" + value + ": must be " + (Double.isFinite(v) ? "" : "finite, ")
          + (min == Double.MIN_VALUE ? "> 0" : ">= " + number(min))
          + (max >= 1e15 ? "" : " and <= " + number(max)));
    }
  }

  private void oneOf(String option, String value, String... allowed) {
    if (value != null && !List.of(allowed).contains(value.trim().toLowerCase(Locale.ROOT))) {
      problems.add(option + "=" + value + ": must be one of " + String.join(", ", allowed));
    }
  }

  private void parse(String option, String value, Runnable parser) {
    try {
      parser.run();
    } catch (IllegalArgumentException e) {
      problems.add(option + "=" + value + ": " + e.getMessage());
    }
  }

  private static String[] names(Enum<?>[] values) {
    String[] names = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      names[i] = values[i].name().toLowerCase(Locale.ROOT);
    }
    return names;
  }

  private static String number(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
