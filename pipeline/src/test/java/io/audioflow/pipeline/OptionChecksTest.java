package io.audioflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad option value stops the job before any file is matched or any table deleted, with a message naming the
 * option, the value and what it must be. The input glob matches nothing: a value that slipped through would fail
 * later with "no input files" instead of its own message.
 */
class OptionChecksTest {
  @TempDir static Path output;

  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("--melPreset=htk", "--melPreset=htk: must be musicnn or librosa"),
        bad("--sampleRate=0", "--sampleRate=0: must be >= 1 and <= 768000"),
        bad("--sampleRate=-16000", "--sampleRate=-16000: must be >= 1"),
        bad("--nFft=0", "--nFft=0: must be >= 2 and <= 65536"),
        bad("--nFft=1000000000", "--nFft=1000000000: must be >= 2 and <= 65536"),
        bad("--winLength=0", "--winLength=0: must be >= 1"),
        bad("--nFft=512 --winLength=1024", "--winLength=1024: must be <= --nFft=512"),
        bad("--hopLength=0", "--hopLength=0: must be >= 1"),
        bad("--hopLength=-5", "--hopLength=-5: must be >= 1"),
        bad("--nMels=0", "--nMels=0: must be >= 1 and <= 1024"),
        bad("--nMels=100000", "--nMels=100000: must be >= 1 and <= 1024"),
        bad("--fmin=-1", "--fmin=-1.0: must be >= 0"),
        bad("--fmin=NaN", "--fmin=NaN: must be finite, >= 0"),
        bad("--fmax=Infinity", "--fmax=Infinity: must be finite, > 0"),
        bad("--fmax=0", "--fmax=0.0: must be > 0"),
        bad("--fmax=9000", "--fmax=9000.0: above the Nyquist frequency 8000.0 Hz of the 16000 Hz mel rate"),
        bad("--sampleRate=22050 --fmax=12000", "--fmax=12000.0: above the Nyquist frequency 11025.0 Hz"),
        bad("--fmin=5000 --fmax=4000", "--fmin=5000.0: must be below --fmax=4000.0"),
        bad("--power=0", "--power=0.0: must be > 0 and <= 16"),
        bad("--power=NaN", "--power=NaN: must be finite, > 0"),
        bad("--melScale=bark", "--melScale=bark: must be one of slaney, htk"),
        bad("--melNorm=l2", "--melNorm=l2: must be one of slaney, none"),
        bad("--padMode=wrap", "--padMode=wrap: must be one of constant, reflect"),
        bad("--melScaling=ln", "--melScaling=ln: must be one of power, db, log10"),
        bad("--features=loudness,spectral_contrast", "unknown feature 'spectral_contrast' in --features"),
        bad("--features=,", "--features=,: --features names no feature"),
        bad("--melOutput=full", "--melOutput=full: must be one of none, summary, segments"),
        bad("--segmentSeconds=0", "--segmentSeconds=0.0: must be >= 0.001"),
        bad("--segmentSeconds=-3", "--segmentSeconds=-3.0: must be >= 0.001"),
        bad("--segmentSeconds=NaN", "--segmentSeconds=NaN: must be finite, >= 0.001"),
        bad("--segmentSeconds=Infinity", "--segmentSeconds=Infinity: must be finite, >= 0.001"),
        bad("--maxDurationSeconds=0", "--maxDurationSeconds=0: must be >= 1"),
        bad("--maxCorruptPackets=-1", "--maxCorruptPackets=-1: must be >= 0"),
        bad("--shifts=1000", "--shifts=1000: must be >= 0 and <= 100"),
        bad("--maxSecondsPerFile=-1", "--maxSecondsPerFile=-1.0: must be >= 0"),
        bad("--maxSecondsPerFile=NaN", "--maxSecondsPerFile=NaN: must be finite, >= 0"),
        bad("--separationSecondsPerAudioSecond=-2", "--separationSecondsPerAudioSecond=-2.0: must be >= 0"),
        bad("--outputShards=-1", "--outputShards=-1: must be >= 0"),
        bad("--inferenceDevice=gpu", "--inferenceDevice=gpu: inference device must be cpu, cuda or cuda:N"),
        bad("--topK=-1", "--topK=-1: must be >= 0"),
        bad("--patchHop=0", "--patchHop=0: must be >= 1"),
        bad("--lastPatch=wrap", "--lastPatch=wrap: must be one of pad, discard"),
        bad("--inferenceBatchSize=0", "--inferenceBatchSize=0: must be >= 1 and <= 1024"),
        bad("--inferenceBatchSize=100000000", "--inferenceBatchSize=100000000: must be >= 1 and <= 1024"),
        bad("--inferenceThreads=0", "--inferenceThreads=0: must be >= 1"),
        bad("--patchesTable", "--patchesTable needs --models"),
        bad("--separate", "--separate needs --separationModel=<manifest URI>"),
        bad("--stemsOutput=/tmp/stems", "--stemsOutput=/tmp/stems is given without --separate"),
        bad("--stemFormat=mp3", "--stemFormat=mp3: must be one of flac, wav"),
        bad("--shifts=-1", "--shifts=-1: must be >= 0 and <= 100"),
        bad("--overlap=1", "--overlap=1.0: must be in [0, 1)"),
        bad("--overlap=-0.25", "--overlap=-0.25: must be in [0, 1)"),
        bad("--overlap=NaN", "--overlap=NaN: must be in [0, 1)"),
        bad("--separationBatchSize=0", "--separationBatchSize=0: must be >= 1 and <= 1024"),
        bad("--separationBatchSize=5000", "--separationBatchSize=5000: must be >= 1 and <= 1024"),
        bad("--separationThreads=-1", "--separationThreads=-1: must be >= 0"),
        bad("--separationBatchWaitMillis=-1", "--separationBatchWaitMillis=-1: must be >= 0 and <= 60000"),
        bad("--separationSpanSeconds=-5", "--separationSpanSeconds=-5.0: must be >= 0 and <= 10000000"),
        bad("--separationSpanSeconds=NaN", "--separationSpanSeconds=NaN: must be finite, >= 0"),
        bad("--overwrite --reprocess", "--overwrite and --reprocess contradict each other"),
        bad("--inputList=/tmp/list.txt", "give exactly one of --input (a glob) or --inputList"));
  }

  private static Arguments bad(String options, String message) {
    return Arguments.of(options, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void badValueStopsTheJobNamingIt(String options, String expected) {
    String[] args = Stream.concat(Stream.of("--input=" + output.resolve("no-such-dir") + "/*.wav"),
        Stream.of(options.split(" "))).toArray(String[]::new);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobRunner.run(output, args));
    assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage());
  }

  @Test
  void atLeastThirtyBadValuesAreTried() {
    assertTrue(badValues().count() >= 30);
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobRunner.run(output,
        "--input=" + output + "/*.wav", "--hopLength=0", "--topK=-1", "--stemFormat=ogg"));
    assertTrue(e.getMessage().startsWith("bad options: "), e.getMessage());
    assertEquals(3, e.getMessage().split("; ").length, e.getMessage());
  }

  @Test
  void badOptionsWithOverwriteDeleteNothing() throws IOException {
    Path table = Files.createDirectories(output.resolve("tracks"));
    Path part = Files.writeString(table.resolve("part-0.parquet"), "kept");
    assertThrows(IllegalArgumentException.class,
        () -> JobRunner.run(output, "--input=" + output + "/*.wav", "--overwrite", "--nFft=0"));
    assertTrue(Files.exists(part), "--overwrite must not delete before the options are checked");
  }
}
