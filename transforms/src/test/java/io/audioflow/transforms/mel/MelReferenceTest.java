package io.audioflow.transforms.mel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.audioflow.transforms.testing.Npy;
import io.audioflow.transforms.testing.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every case and filterbank of {@code shared/reference/mel} (librosa 0.11 outputs). */
class MelReferenceTest {
  private static final double MAX_REL_POWER = 1e-4;
  private static final double REL_FLOOR = 1e-10; // relative check only over bins >= this fraction of the maximum
  private static final double MAX_ABS_LOG = 1e-3;
  private static final double MAX_ABS_FILTERBANK = 1e-6;
  private static final Pattern FILTERBANK_NAME = Pattern.compile("filterbank__(.+)__sr(\\d+)\\.npy");

  @TestFactory
  Stream<DynamicTest> everyCase() throws IOException {
    Path dir = SharedTestData.resolve("reference/mel");
    List<String> indexed = strings(Files.readString(dir.resolve("index.json")), "sidecar");
    assertFalse(indexed.isEmpty(), "index.json lists no case");
    Set<String> sidecarsOnDisk;
    try (Stream<Path> files = Files.list(dir)) {
      sidecarsOnDisk = files.map(p -> p.getFileName().toString())
          .filter(f -> f.endsWith(".json") && !f.equals("index.json"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    assertEquals(sidecarsOnDisk, new TreeSet<>(indexed), "index.json and the sidecars on disk disagree");
    return indexed.stream().map(sidecar -> dynamicTest(sidecar, () -> checkCase(dir, sidecar)));
  }

  @TestFactory
  Stream<DynamicTest> everyFilterbank() throws IOException {
    Path dir = SharedTestData.resolve("reference/mel");
    List<Path> filterbanks;
    try (Stream<Path> files = Files.list(dir)) {
      filterbanks = files.filter(p -> FILTERBANK_NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
    }
    assertFalse(filterbanks.isEmpty(), "no filterbank__*.npy");
    return filterbanks.stream().map(p -> dynamicTest(p.getFileName().toString(), () -> checkFilterbank(p)));
  }

  private static void checkCase(Path dir, String sidecarName) throws IOException {
    String sidecar = Files.readString(dir.resolve(sidecarName));
    String caseName = string(sidecar, "case");
    MelConfig config = configOf(sidecar);
    presetOf(string(sidecar, "config"), config.sampleRate()).ifPresent(
        preset -> assertEquals(preset.withScaling(MelScaling.POWER), config, "preset differs from " + caseName));

    float[] signal = Npy.read(dir.resolve(string(sidecar, "signal_file"))).floats();
    double[][] mel = MelSpectrogram.compute(signal, config); // [frame][mel]
    double[][] refPower = Npy.read(dir.resolve(file(sidecar, "mel_power"))).matrix(); // [mel][frame]
    int frames = refPower[0].length;
    assertEquals(config.nMels(), refPower.length);
    assertEquals(Integer.parseInt(string(sidecar, "n_frames")), frames);
    assertEquals(frames, mel.length, caseName + ": frame count");
    assertEquals(frames, MelSpectrogram.expectedFrames(signal.length, config));

    double max = 0;
    for (double[] row : refPower) {
      for (double v : row) {
        max = Math.max(max, v);
      }
    }
    double maxRel = 0;
    for (int m = 0; m < refPower.length; m++) {
      for (int t = 0; t < frames; t++) {
        double ref = refPower[m][t];
        if (ref >= REL_FLOOR * max) {
          maxRel = Math.max(maxRel, Math.abs(mel[t][m] - ref) / ref);
        }
      }
    }
    StringBuilder report =
        new StringBuilder(String.format("%s: %d frames, power max rel err %.3g", caseName, frames, maxRel));
    double dbErr = maxAbsScaled(mel, Npy.read(dir.resolve(file(sidecar, "mel_db"))).matrix(), MelScaling.DB);
    report.append(String.format(", dB max abs err %.3g", dbErr));
    double log10Err = Double.NaN;
    if (sidecar.contains("\"mel_log10\"")) {
      log10Err = maxAbsScaled(mel, Npy.read(dir.resolve(file(sidecar, "mel_log10"))).matrix(), MelScaling.LOG10);
      report.append(String.format(", log10 max abs err %.3g", log10Err));
    }
    System.out.println(report);
    assertTrue(maxRel <= MAX_REL_POWER, report::toString);
    assertTrue(dbErr <= MAX_ABS_LOG, report::toString);
    assertTrue(Double.isNaN(log10Err) || log10Err <= MAX_ABS_LOG, report::toString);
  }

  private static void checkFilterbank(Path file) throws IOException {
    Matcher name = FILTERBANK_NAME.matcher(file.getFileName().toString());
    assertTrue(name.matches());
    int sr = Integer.parseInt(name.group(2));
    MelConfig config = presetOf(name.group(1), sr)
        .orElseThrow(() -> new AssertionError("no preset for " + file.getFileName()));
    double[][] ref = Npy.read(file).matrix();
    float[][] ours = MelFilterbank.weights(config);
    assertEquals(ref.length, ours.length);
    double maxAbs = 0;
    int exact = 0;
    int total = 0;
    for (int m = 0; m < ref.length; m++) {
      assertEquals(ref[m].length, ours[m].length);
      for (int k = 0; k < ref[m].length; k++) {
        maxAbs = Math.max(maxAbs, Math.abs(ours[m][k] - ref[m][k]));
        exact += ours[m][k] == (float) ref[m][k] ? 1 : 0;
        total++;
      }
    }
    String report = String.format(
        "%s: max abs err %.3g, %d/%d weights bit-exact", file.getFileName(), maxAbs, exact, total);
    System.out.println(report);
    assertTrue(maxAbs <= MAX_ABS_FILTERBANK, report);
  }

  private static double maxAbsScaled(double[][] mel, double[][] ref, MelScaling scaling) {
    double err = 0;
    for (int m = 0; m < ref.length; m++) {
      for (int t = 0; t < ref[m].length; t++) {
        err = Math.max(err, Math.abs(scaling.apply(mel[t][m]) - ref[m][t]));
      }
    }
    return err;
  }

  /** The config the sidecar spells out, parameter by parameter (scaling POWER: S itself is compared). */
  private static MelConfig configOf(String sidecar) {
    assertEquals("hann", string(sidecar, "window"));
    return new MelConfig(
        Integer.parseInt(string(sidecar, "sr")),
        Integer.parseInt(string(sidecar, "n_fft")),
        Integer.parseInt(string(sidecar, "win_length")),
        Integer.parseInt(string(sidecar, "hop_length")),
        Boolean.parseBoolean(string(sidecar, "center")),
        PadMode.valueOf(string(sidecar, "pad_mode").toUpperCase()),
        Double.parseDouble(string(sidecar, "power")),
        Integer.parseInt(string(sidecar, "n_mels")),
        Double.parseDouble(string(sidecar, "fmin")),
        Double.parseDouble(string(sidecar, "fmax")),
        Boolean.parseBoolean(string(sidecar, "htk")) ? MelScale.HTK : MelScale.SLANEY,
        string(sidecar, "norm").equals("slaney") ? MelNorm.SLANEY : MelNorm.NONE,
        MelScaling.POWER);
  }

  private static Optional<MelConfig> presetOf(String name, int sampleRate) {
    return switch (name) {
      case "musicnn" -> Optional.of(MelConfig.musicnn().withSampleRate(sampleRate));
      case "librosa_default" -> Optional.of(MelConfig.librosa(sampleRate));
      default -> Optional.empty();
    };
  }

  /** The file name listed under {@code "files": {"<key>": {"file": ...}}}. */
  private static String file(String sidecar, String key) {
    Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\\{\\s*\"file\"\\s*:\\s*\"([^\"]+)\"").matcher(sidecar);
    assertTrue(m.find(), "sidecar lacks files." + key);
    return m.group(1);
  }

  /** The single value of {@code key} in the (flat enough) JSON: a string's content or a bare literal. */
  private static String string(String json, String key) {
    List<String> values = strings(json, key);
    assertEquals(1, values.size(), "expected one \"" + key + "\" in the JSON, found " + values);
    return values.get(0);
  }

  private static List<String> strings(String json, String key) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(?:\"([^\"]*)\"|([^,}\\s]+))").matcher(json);
    List<String> values = new ArrayList<>();
    while (m.find()) {
      values.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return values;
  }
}
