package io.audioflow.transforms.separation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.transforms.analysis.AnalysisException;
import io.audioflow.transforms.analysis.ErrorClass;
import io.audioflow.transforms.resample.Resampler;
import io.audioflow.transforms.testing.DecodedFile;
import io.audioflow.transforms.testing.SharedTestData;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TrackSeparator's plumbing around the model (file checks, channel conversion, resampling, reuse across files),
 * on a core that passes the mix through as every stem, so the stems show exactly what reached the model.
 */
class TrackSeparatorTest {
  private static final TrackSeparator.Settings SETTINGS =
      new TrackSeparator.Settings(new ChunkedSeparator.Settings(0.25, 0, 2, 0), StemFormat.WAV, 3600, 0);

  private static SeparationGeometry geometry;

  @TempDir Path work;

  @BeforeAll
  static void geometry() throws Exception {
    geometry = SeparationGeometry.of(SmallModel.manifest());
  }

  /** Every source's time branch is the chunk's mix and the frequency branch is zero: stems equal the input. */
  private static final class PassThroughCore implements SeparationCore {
    private FloatBuffer mix = FloatBuffer.allocate(0);
    private FloatBuffer spectrogram = FloatBuffer.allocate(0);
    private int capacity;

    @Override
    public SeparationGeometry geometry() {
      return geometry;
    }

    @Override
    public Inputs inputs(int capacity) {
      if (capacity > this.capacity) {
        mix = FloatBuffer.allocate(capacity * geometry.waveSize());
        spectrogram = FloatBuffer.allocate(capacity * geometry.spectrogramSize());
        this.capacity = capacity;
      }
      return new Inputs(mix, spectrogram);
    }

    @Override
    public void run(int batch, Outputs outputs) throws SeparationException {
      int sources = geometry.sources().size();
      int wave = geometry.waveSize();
      FloatBuffer time = FloatBuffer.allocate(batch * sources * wave);
      for (int b = 0; b < batch; b++) {
        for (int s = 0; s < sources; s++) {
          time.put((b * sources + s) * wave, mix, b * wave, wave);
        }
      }
      outputs.accept(FloatBuffer.allocate(batch * geometry.freqSize()), time);
    }
  }

  private static Path corpus(String name) {
    return SharedTestData.resolve("corpus/" + name);
  }

  private TrackSeparator.Result separate(TrackSeparator separator, Path file, Path directory) throws Exception {
    Files.createDirectories(directory);
    try (FileChannel channel = FileChannel.open(file)) {
      return separator.separate(channel, Files.size(file), file.toString(), directory);
    }
  }

  /** A stem file's samples, [channel][frame]. */
  private static float[][] read(Path stem) throws Exception {
    List<float[][]> blocks = new ArrayList<>();
    int[] total = {0};
    DecodedFile.Decoded decoded = DecodedFile.stream(stem, info -> (planar, frames) -> {
      float[][] copy = new float[planar.length][];
      for (int c = 0; c < planar.length; c++) {
        copy[c] = java.util.Arrays.copyOf(planar[c], frames);
      }
      blocks.add(copy);
      total[0] += frames;
    });
    float[][] out = new float[decoded.info().channels()][total[0]];
    int at = 0;
    for (float[][] block : blocks) {
      for (int c = 0; c < out.length; c++) {
        System.arraycopy(block[c], 0, out[c], at, block[c].length);
      }
      at += block[0].length;
    }
    return out;
  }

  /** The mono file's channel resampled to the model rate once, as every model channel must receive it. */
  private static float[] resampledMono(Path file) throws Exception {
    List<Float> samples = new ArrayList<>();
    Resampler.Sink sink = (x, offset, length) -> {
      for (int i = 0; i < length; i++) {
        samples.add(x[offset + i]);
      }
    };
    Resampler[] resampler = new Resampler[1];
    DecodedFile.stream(file, info -> {
      resampler[0] = new Resampler(info.sampleRate(), geometry.sampleRate());
      return (planar, frames) -> resampler[0].accept(planar[0], 0, frames, sink);
    });
    try (Resampler r = resampler[0]) {
      r.finish(sink);
    }
    float[] out = new float[samples.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = samples.get(i);
    }
    return out;
  }

  @Test
  void monoFileFeedsEveryModelChannelTheSameResampledSignal() throws Exception {
    Path mono = corpus("synthetic/tones_f32_22050_mono_5s.wav");
    float[] expected = resampledMono(mono);
    try (TrackSeparator separator = new TrackSeparator(SeparationModel.of(new PassThroughCore()), SETTINGS)) {
      TrackSeparator.Result result = separate(separator, mono, work);
      assertEquals(expected.length, result.frames());
      assertEquals(geometry.sources().size(), result.stems().size());
      for (TrackSeparator.Stem stem : result.stems()) {
        float[][] channels = read(stem.file());
        assertEquals(2, channels.length);
        assertArrayEquals(channels[0], channels[1], stem.source() + ": both model channels get the one signal");
        assertArrayEquals(expected, channels[0], 1e-6f, stem.source());
      }
    }
  }

  @Test
  void reusedAcrossRatesAndFailuresGivesWhatAFreshSeparatorGives() throws Exception {
    Path stereo = corpus("synthetic/noise_s24_48000_stereo_4s.wav");
    Path mono16k = corpus("synthetic/tones_f64_16000_mono_4s.wav");
    TrackSeparator.Result freshMono;
    try (TrackSeparator separator = new TrackSeparator(SeparationModel.of(new PassThroughCore()), SETTINGS)) {
      freshMono = separate(separator, mono16k, work.resolve("fresh"));
    }
    try (TrackSeparator separator = new TrackSeparator(SeparationModel.of(new PassThroughCore()), SETTINGS)) {
      TrackSeparator.Result firstStereo = separate(separator, stereo, work.resolve("first"));
      separate(separator, corpus("synthetic/tones_f32_22050_mono_5s.wav"), work.resolve("mono22k"));
      // This 16 kHz file fails mid-decode, leaving its resampler part-way through; the next 16 kHz file reuses it.
      Path failed = work.resolve("failed");
      assertThrows(AnalysisException.class, () -> separate(separator, corpus("bad/nan_inf_f32.wav"), failed));
      assertSameStems(freshMono, separate(separator, mono16k, work.resolve("again16k")));
      assertSameStems(firstStereo, separate(separator, stereo, work.resolve("again48k")));
    }
  }

  private static void assertSameStems(TrackSeparator.Result expected, TrackSeparator.Result actual) throws Exception {
    assertEquals(expected.frames(), actual.frames());
    for (int s = 0; s < expected.stems().size(); s++) {
      TrackSeparator.Stem a = expected.stems().get(s);
      TrackSeparator.Stem b = actual.stems().get(s);
      assertEquals(a.rms(), b.rms(), a.source());
      assertEquals(a.integratedLufs(), b.integratedLufs(), a.source());
      assertArrayEquals(Files.readAllBytes(a.file()), Files.readAllBytes(b.file()), a.source());
    }
  }

  @Test
  void badFilesFailWithTheAnalysisClassesAndLeaveNoStems() throws Exception {
    record Case(String file, ErrorClass expected) {}
    List<Case> cases = List.of(new Case("bad/empty.wav", ErrorClass.EMPTY),
        new Case("bad/zero_data_bytes.wav", ErrorClass.EMPTY),
        new Case("bad/nan_inf_f32.wav", ErrorClass.NON_FINITE),
        new Case("bad/corrupt_middle.flac", ErrorClass.DECODE_ERRORS),
        new Case("bad/random_bytes.mp3", ErrorClass.UNREADABLE));
    try (TrackSeparator separator = new TrackSeparator(SeparationModel.of(new PassThroughCore()), SETTINGS)) {
      for (Case c : cases) {
        Path directory = work.resolve(c.file().replace('/', '_'));
        AnalysisException e =
            assertThrows(AnalysisException.class, () -> separate(separator, corpus(c.file()), directory));
        assertEquals(c.expected(), e.errorClass(), c.file() + ": " + e.getMessage());
        try (Stream<Path> left = Files.list(directory)) {
          assertTrue(left.findAny().isEmpty(), c.file() + " left stem files behind");
        }
      }
    }
  }
}
