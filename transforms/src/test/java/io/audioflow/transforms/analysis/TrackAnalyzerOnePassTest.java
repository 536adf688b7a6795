package io.audioflow.transforms.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.transforms.features.Feature;
import io.audioflow.transforms.features.FeatureExtractor;
import io.audioflow.transforms.features.FeatureSummary;
import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.testing.DecodedFile;
import io.audioflow.transforms.testing.SharedTestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every feature comes from one decode pass, and each STFT configuration is transformed once per file: the file is
 * read through once, each configuration appears once with exactly its frame count, and the features equal those of
 * a separate extractor on the same decoded signal.
 */
class TrackAnalyzerOnePassTest {
  private static final long MAX_SECONDS = 86_400;

  private static TrackAnalyzer.Settings settings(MelConfig mel, boolean nativeRate, FeatureSelection selection) {
    return new TrackAnalyzer.Settings(mel, nativeRate, nativeRate, MAX_SECONDS, 0, selection);
  }

  @Test
  void everyCorpusFileIsReadOnceAndEachStftComputedOnce() throws Exception {
    List<Path> files = synthetic();
    assertFalse(files.isEmpty());
    try (TrackAnalyzer analyzer = new TrackAnalyzer(settings(MelConfig.musicnn(), false, FeatureSelection.all()))) {
      for (Path file : files) {
        CountingChannel channel = new CountingChannel(FileChannel.open(file));
        TrackAnalysis t;
        try (channel) {
          t = analyzer.analyze(channel, Files.size(file), file.toString(), null, null);
        }
        String name = file.getFileName().toString();
        // FFmpeg's probe re-reads the first block after seeking back; a second decode pass would read it all again.
        assertTrue(channel.bytes >= Files.size(file) && channel.bytes < 2 * Files.size(file),
            name + ": read " + channel.bytes + " bytes of " + Files.size(file));
        long samples = t.decode().frames();
        assertEquals(2, t.stftPasses().size(), name + ": " + t.stftPasses());
        StftPass mel = t.stftPasses().get(0);
        StftPass features = t.stftPasses().get(1);
        assertNotEquals(mel.configuration(), features.configuration());
        assertEquals("mel", mel.users());
        assertEquals(t.melFrames(), mel.frames(), name);
        assertEquals("features", features.users());
        assertEquals(1 + samples / FeatureExtractor.HOP, features.frames(), name + ": one FFT per frame");

        Expected direct = direct(file);
        assertEquals(samples, direct.samples);
        assertSummariesEqual(direct.summaries, t.features(), name);
        assertEquals(direct.tempo, t.tempoBpm(), name);
        assertEquals(96, t.melMeanDb().length, name);
      }
    }
  }

  @Test
  void melAtTheFeaturesConfigurationSharesTheirStft() throws Exception {
    Path file = SharedTestData.resolve("corpus/synthetic/mix_flac16_44100_stereo_20s.flac");
    MelConfig librosa = MelConfig.librosa(22050);
    TrackAnalysis shared;
    TrackAnalysis melOnly;
    try (TrackAnalyzer analyzer = new TrackAnalyzer(settings(librosa, true, FeatureSelection.all()))) {
      shared = analyze(analyzer, file);
    }
    try (TrackAnalyzer analyzer = new TrackAnalyzer(settings(librosa, true, FeatureSelection.parse("mel")))) {
      melOnly = analyze(analyzer, file);
    }
    long frames = 1 + shared.decode().frames() / FeatureExtractor.HOP;
    assertEquals(List.of(new StftPass("sr=44100 n_fft=2048 win=2048 hop=512 center pad=constant", "mel,features",
        frames)), shared.stftPasses());
    assertEquals(frames, shared.melFrames());
    assertEquals(melOnly.melFrames(), shared.melFrames());
    assertEquals("mel", melOnly.stftPasses().get(0).users());
    assertTrue(melOnly.features().isEmpty());
    assertNull(melOnly.tempoBpm());
    for (int m = 0; m < librosa.nMels(); m++) {
      assertEquals(melOnly.melMeanDb()[m], shared.melMeanDb()[m], 1e-3, "band " + m + " mean dB");
      assertEquals(melOnly.melStdDb()[m], shared.melStdDb()[m], 1e-3, "band " + m + " std dB");
    }
    assertEquals(120.19, shared.tempoBpm(), 0.5, "librosa reads 120.19 BPM on this file");
    // MFCC and onset strength read the job's mel frames here; with the musicnn preset they compute their own.
    TrackAnalysis ownMel;
    try (TrackAnalyzer analyzer = new TrackAnalyzer(settings(MelConfig.musicnn(), true, FeatureSelection.all()))) {
      ownMel = analyze(analyzer, file);
    }
    assertEquals(ownMel.features().size(), shared.features().size());
    for (int f = 0; f < shared.features().size(); f++) {
      FeatureSummary expected = ownMel.features().get(f);
      assertEquals(expected.name(), shared.features().get(f).name());
      assertArrayEquals(expected.mean(), shared.features().get(f).mean(), expected.name());
      assertArrayEquals(expected.std(), shared.features().get(f).std(), expected.name());
    }
    assertEquals(ownMel.tempoBpm(), shared.tempoBpm());
  }

  @Test
  void unselectedAnalysesAreNotComputed() throws Exception {
    Path file = SharedTestData.resolve("corpus/synthetic/sine440_s16_44100_mono_5s.wav");
    try (TrackAnalyzer analyzer =
        new TrackAnalyzer(settings(MelConfig.musicnn(), false, FeatureSelection.parse("rms,zcr")))) {
      TrackAnalysis t = analyze(analyzer, file);
      assertNull(t.melConfig());
      assertNull(t.melMeanDb());
      assertEquals(0, t.melFrames());
      assertNull(t.loudness().integratedLufs());
      assertTrue(t.stftPasses().isEmpty(), "RMS and ZCR need no spectrum: " + t.stftPasses());
      assertEquals(List.of("rms", "zcr"), t.features().stream().map(FeatureSummary::name).toList());
      assertTrue(t.warnings().isEmpty(), t.warnings().toString());
    }
    try (TrackAnalyzer analyzer =
        new TrackAnalyzer(settings(MelConfig.musicnn(), false, FeatureSelection.parse("loudness")))) {
      TrackAnalysis t = analyze(analyzer, file);
      assertTrue(t.stftPasses().isEmpty());
      assertTrue(t.features().isEmpty());
      assertNotNull(t.loudness().integratedLufs());
    }
  }

  private static TrackAnalysis analyze(TrackAnalyzer analyzer, Path file) throws Exception {
    try (FileChannel channel = FileChannel.open(file)) {
      return analyzer.analyze(channel, Files.size(file), file.toString(), null, null);
    }
  }

  private record Expected(long samples, List<FeatureSummary> summaries, Double tempo) {}

  /** The classic features of the file's mono downmix from an extractor of their own. */
  private static Expected direct(Path file) throws Exception {
    FeatureExtractor[] extractor = {null};
    DecodedFile.Decoded decoded =
        DecodedFile.stream(file, info -> {
          extractor[0] = new FeatureExtractor(info.sampleRate(), EnumSet.allOf(Feature.class), null);
          float[][] buffer = {new float[0]};
          return (planar, n) -> {
            if (buffer[0].length < n) {
              buffer[0] = new float[n];
            }
            for (int i = 0; i < n; i++) {
              double sum = 0;
              for (float[] channel : planar) {
                sum += channel[i];
              }
              buffer[0][i] = (float) (sum / planar.length);
            }
            extractor[0].accept(buffer[0], 0, n);
          };
        });
    try (FeatureExtractor e = extractor[0]) {
      e.finish();
      return new Expected(decoded.result().frames(), e.summaries(), e.tempoBpm());
    }
  }

  private static void assertSummariesEqual(List<FeatureSummary> expected, List<FeatureSummary> actual, String name) {
    assertEquals(expected.size(), actual.size(), name);
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).name(), actual.get(i).name());
      assertArrayEquals(expected.get(i).mean(), actual.get(i).mean(), name + " " + expected.get(i).name() + " mean");
      assertArrayEquals(expected.get(i).std(), actual.get(i).std(), name + " " + expected.get(i).name() + " std");
    }
  }

  private static List<Path> synthetic() throws IOException {
    try (Stream<Path> files = Files.list(SharedTestData.resolve("corpus/synthetic"))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** Counts the bytes the analyzer reads; seekable, as the channels of Beam's filesystems are. */
  private static final class CountingChannel implements SeekableByteChannel {
    private final SeekableByteChannel in;
    long bytes;

    CountingChannel(SeekableByteChannel in) {
      this.in = in;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      int n = in.read(dst);
      if (n > 0) {
        bytes += n;
      }
      return n;
    }

    @Override
    public int write(ByteBuffer src) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long position() throws IOException {
      return in.position();
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
      in.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return in.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isOpen() {
      return in.isOpen();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
