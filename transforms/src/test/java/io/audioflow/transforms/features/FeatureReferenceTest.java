package io.audioflow.transforms.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.audioflow.transforms.testing.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every signal and feature of {@code shared/reference/features} (librosa 0.11 outputs). */
class FeatureReferenceTest {
  private static final double MAX_REL = 1e-4;
  private static final double MAX_ABS = 1e-6;
  private static final double REL_FLOOR = 1e-6; // relative check over values >= this fraction of the maximum
  private static final double MAX_ABS_MFCC = 1e-3;
  private static final double MAX_TEMPO_BPM = 0.5;
  private static final Pattern SIGNAL = Pattern.compile(
      "\"name\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"sr\"\\s*:\\s*(\\d+)\\s*,\\s*\"sidecar\"\\s*:\\s*\"([^\"]+)\"");

  @TestFactory
  Stream<DynamicTest> everySignal() throws Exception {
    Path dir = FeatureFrames.referenceDir();
    Matcher m = SIGNAL.matcher(Files.readString(dir.resolve("index.json")));
    List<DynamicTest> tests = new ArrayList<>();
    while (m.find()) {
      String name = m.group(1);
      int sr = Integer.parseInt(m.group(2));
      String sidecar = Files.readString(dir.resolve(m.group(3)));
      tests.add(dynamicTest(name, () -> check(dir, name, sr, sidecar)));
    }
    assertFalse(tests.isEmpty(), "index.json lists no signal");
    return tests.stream();
  }

  private static void check(Path dir, String name, int sr, String sidecar) throws Exception {
    FeatureFrames.Signal signal = FeatureFrames.signal(dir, name, sr, string(sidecar, "signal_file"));
    assertEquals(Long.parseLong(string(sidecar, "n_samples")), signal.samples().length, name + ": samples");
    FeatureFrames.Run run = FeatureFrames.run(signal.samples(), sr, FeatureFrames.ALL, 4096);
    StringBuilder report = new StringBuilder(name);
    List<String> failures = new ArrayList<>();
    for (Feature f : Feature.values()) {
      double[][] ref = Npy.read(dir.resolve(name + "__" + f.id() + ".npy")).matrix();
      if (f == Feature.TEMPO) {
        double error = Math.abs(run.tempo() - ref[0][0]);
        report.append(String.format("%n  %-18s %.4f BPM (librosa %.4f), error %.2e",
            f.id(), run.tempo(), ref[0][0], error));
        if (!(error <= MAX_TEMPO_BPM)) {
          failures.add(f.id());
        }
        continue;
      }
      double[][] got = run.frames().matrix(f);
      assertEquals(ref.length, got.length, name + " " + f.id() + ": dimension");
      assertEquals(ref[0].length, got[0].length, name + " " + f.id() + ": frame count");
      Errors e = Errors.of(ref, got);
      report.append(String.format("%n  %-18s max abs %.3e, max rel %.3e (over |ref| >= %.0e max), worst %s",
          f.id(), e.maxAbs, e.maxRel, REL_FLOOR, e.worst));
      boolean ok = switch (f) {
        case ZCR -> e.maxAbs == 0;
        case MFCC -> e.maxAbs <= MAX_ABS_MFCC;
        default -> e.failing == 0;
      };
      if (!ok) {
        failures.add(f.id());
      }
    }
    System.out.println(report);
    assertTrue(failures.isEmpty(), name + ": " + failures + " out of tolerance\n" + report);
  }

  /** Errors against a reference; a value fails when it is off by more than both 1e-6 and 1e-4 relative. */
  private record Errors(double maxAbs, double maxRel, int failing, String worst) {
    static Errors of(double[][] ref, double[][] got) {
      double max = 0;
      for (double[] r : ref) {
        for (double v : r) {
          max = Math.max(max, Math.abs(v));
        }
      }
      double maxAbs = 0;
      double maxRel = 0;
      int failing = 0;
      String worst = "-";
      for (int d = 0; d < ref.length; d++) {
        for (int t = 0; t < ref[d].length; t++) {
          double abs = Math.abs(got[d][t] - ref[d][t]);
          double rel = Math.abs(ref[d][t]) >= REL_FLOOR * max ? abs / Math.abs(ref[d][t]) : 0;
          if (abs > maxAbs) {
            maxAbs = abs;
            worst = String.format("[%d][%d] %.7g vs %.7g", d, t, got[d][t], ref[d][t]);
          }
          maxRel = Math.max(maxRel, rel);
          if (abs > MAX_ABS && !(Math.abs(ref[d][t]) >= REL_FLOOR * max && rel <= MAX_REL)) {
            failing++;
          }
        }
      }
      return new Errors(maxAbs, maxRel, failing, worst);
    }
  }

  static String string(String json, String key) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"?([^\",}]*)\"?").matcher(json);
    assertTrue(m.find(), "no " + key);
    return m.group(1).trim();
  }
}
