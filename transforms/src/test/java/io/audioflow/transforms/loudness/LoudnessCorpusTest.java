package io.audioflow.transforms.loudness;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.audioflow.transforms.testing.DecodedFile;
import io.audioflow.transforms.testing.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Compares the meter with FFmpeg's own figures in {@code corpus/loudness.tsv} for every file in it, decoded by the
 * project's decoder. The table rounds FFmpeg's summary to 0.1 dB, so the tolerances include up to 0.05 of rounding;
 * lossy files get 0.2 LU on integrated loudness (decoders of lossy formats may differ slightly).
 */
class LoudnessCorpusTest {
  private static final double INTEGRATED_TOLERANCE_LU = 0.1;
  private static final double LOSSY_INTEGRATED_TOLERANCE_LU = 0.2;
  private static final double RANGE_TOLERANCE_LU = 0.5;
  private static final double TRUE_PEAK_TOLERANCE_DB = 0.3;
  private static final double SAMPLE_PEAK_TOLERANCE_DB = 0.05;

  /** A row of loudness.tsv; the range is null where the table says NA. */
  private record Expected(String file, double integrated, Double range, double truePeak, double samplePeak) {
    static Expected parse(String line) {
      String[] c = line.split("\t");
      return new Expected(
          c[0],
          Double.parseDouble(c[1]),
          c[2].equals("NA") ? null : Double.parseDouble(c[2]),
          Double.parseDouble(c[3]),
          Double.parseDouble(c[4]));
    }
  }

  @TestFactory
  Stream<DynamicTest> matchesFfmpegEbur128() throws IOException {
    Path table = SharedTestData.resolve("corpus/loudness.tsv");
    List<String> rows =
        Files.readAllLines(table).stream().filter(l -> !l.startsWith("#") && !l.startsWith("file\t")).toList();
    return rows.stream()
        .map(Expected::parse)
        .map(e -> DynamicTest.dynamicTest(e.file(), () -> check(table.getParent().resolve(e.file()), e)));
  }

  private static void check(Path file, Expected expected) throws Exception {
    LoudnessMeter[] meter = {null};
    DecodedFile.Decoded decoded =
        DecodedFile.stream(
            file,
            info -> {
              meter[0] =
                  new LoudnessMeter(info.sampleRate(), ChannelWeights.forLayout(info.channelMask(), info.channels()));
              return meter[0]::accept;
            });
    LoudnessResult r = meter[0].finish();
    System.out.printf(
        "loudness vs ffmpeg %-48s I %+.3f LU  LRA %s  TP %+.3f dB  SP %+.4f dB%n",
        expected.file(),
        r.integratedLufs() - expected.integrated(),
        expected.range() == null ? "  NA  " : String.format("%+.3f LU", r.loudnessRangeLu() - expected.range()),
        r.truePeakDbtp() - expected.truePeak(),
        r.samplePeakDbfs() - expected.samplePeak());
    assertAll(
        () ->
            assertEquals(
                expected.integrated(),
                r.integratedLufs(),
                decoded.info().lossless() ? INTEGRATED_TOLERANCE_LU : LOSSY_INTEGRATED_TOLERANCE_LU,
                "integrated"),
        () -> {
          if (expected.range() != null) {
            assertEquals(expected.range(), r.loudnessRangeLu(), RANGE_TOLERANCE_LU, "loudness range");
          }
        },
        () -> assertEquals(expected.truePeak(), r.truePeakDbtp(), TRUE_PEAK_TOLERANCE_DB, "true peak"),
        () -> assertEquals(expected.samplePeak(), r.samplePeakDbfs(), SAMPLE_PEAK_TOLERANCE_DB, "sample peak"));
  }
}
