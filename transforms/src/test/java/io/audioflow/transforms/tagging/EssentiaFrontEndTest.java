package io.audioflow.transforms.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.audioflow.transforms.mel.MelScaling;
import io.audioflow.transforms.testing.MonoSignal;
import io.audioflow.transforms.testing.SharedTestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Essentia MusiCNN front end against Essentia itself: tools/essentia-frontend runs essentia.js 0.1.3 (Essentia
 * 2.1-beta6 compiled to WebAssembly) under Node on the same 16 kHz signal. Needs {@code npm ci} in that folder
 * (.ci/run does it); without it the test is skipped locally and fails when the environment variable CI is set.
 */
class EssentiaFrontEndTest {

  private static final Path TOOL = Path.of("..", "tools", "essentia-frontend").toAbsolutePath().normalize();
  private static final int BANDS = EssentiaMusicnnFrames.MEL.nMels();

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mix_mp3cbr128_44100_stereo_60s.mp3",
        "mix_opus_48000_stereo_10s.opus",
        "speech_espeak_22050_mono.wav",
        "tones_f64_16000_mono_4s.wav",
        "dynamics_flac16_44100_stereo_30s.flac",
        "chirp_u8_8000_mono_3s.wav"
      })
  void matchesEssentiaFrameByFrame(String name) throws Exception {
    Path tool = essentiaJs();
    MonoSignal signal = MonoSignal.decode(SharedTestData.resolve("corpus/synthetic/" + name)).resampled(16000);
    float[][] expected = essentia(tool, signal.samples());

    List<float[]> frames = new ArrayList<>();
    EssentiaMusicnnFrames frontEnd = new EssentiaMusicnnFrames(power -> {
      float[] bands = new float[BANDS];
      for (int b = 0; b < BANDS; b++) {
        bands[b] = (float) MelScaling.LOG10.apply(power[b]); // as the Tagger scales them
      }
      frames.add(bands);
    });
    frontEnd.start(16000);
    frontEnd.accept(signal.samples(), 0, signal.samples().length);
    frontEnd.finish();

    assertEquals(expected.length, frames.size(), "frame count of Essentia's FrameCutter");
    assertEquals(expected.length, frontEnd.frames());
    assertEquals(1 + (signal.samples().length + 255) / 256, expected.length, "1 + ceil(n / hop) frames");
    for (int f = 0; f < expected.length; f++) {
      for (int b = 0; b < BANDS; b++) {
        double d = Math.abs(expected[f][b] - frames.get(f)[b]);
        assertTrue(d <= 1e-3, name + " frame " + f + " band " + b + ": Essentia " + expected[f][b] + ", ours "
            + frames.get(f)[b]);
      }
    }
    assertTrue(expected.length > 180, name + ": only " + expected.length + " frames compared");
  }

  /** The tool folder with essentia.js installed; skips (fails under CI) when it is not. */
  private static Path essentiaJs() {
    if (!Files.isDirectory(TOOL.resolve("node_modules/essentia.js"))) {
      if (System.getenv("CI") != null) {
        throw new IllegalStateException("CI is set but essentia.js is not installed: run npm ci in " + TOOL);
      }
      assumeTrue(false, "essentia.js not installed in " + TOOL + " (npm ci there)");
    }
    return TOOL;
  }

  private float[][] essentia(Path tool, float[] signal) throws IOException, InterruptedException {
    Path in = tmp.resolve("in.f32");
    Path out = tmp.resolve("out.f32");
    ByteBuffer bytes = ByteBuffer.allocate(signal.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(signal);
    Files.write(in, bytes.array());
    Process node =
        new ProcessBuilder("node", "musicnn-frames.js", in.toString(), out.toString())
            .directory(tool.toFile())
            .redirectErrorStream(true)
            .start();
    String log = new String(node.getInputStream().readAllBytes());
    assertTrue(node.waitFor(120, TimeUnit.SECONDS), "node did not finish");
    assertEquals(0, node.exitValue(), log);
    assertTrue(log.contains("2.1-beta6"), "expected Essentia 2.1-beta6: " + log);
    ByteBuffer result = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
    float[][] frames = new float[result.remaining() / 4 / BANDS][BANDS];
    for (float[] frame : frames) {
      result.asFloatBuffer().get(frame);
      result.position(result.position() + BANDS * 4);
    }
    return frames;
  }
}
