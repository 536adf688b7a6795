package io.audioflow.transforms.loudness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoudnessMeterTest {
  private static final int RATE = 44_100;
  private static final double[] STEREO = {1, 1};

  /** 7 s of stereo material: noise at three levels and a tone on top, so every figure is defined and non-trivial. */
  private static float[][] program(int rate) {
    SplittableRandom random = new SplittableRandom(42);
    int frames = 7 * rate;
    float[][] x = new float[2][frames];
    for (int i = 0; i < frames; i++) {
      double level = i < 2 * rate ? 0.05 : i < 5 * rate ? 0.4 : 0.1;
      double tone = 0.3 * Math.sin(2 * Math.PI * 997 * i / rate);
      x[0][i] = (float) (level * (random.nextDouble() - 0.5) + tone);
      x[1][i] = (float) (level * (random.nextDouble() - 0.5) - tone);
    }
    return x;
  }

  private static LoudnessResult measure(LoudnessMeter meter, float[][] signal, int blockFrames) {
    int frames = signal[0].length;
    float[][] block = new float[signal.length][blockFrames];
    for (int at = 0; at < frames; at += blockFrames) {
      int n = Math.min(blockFrames, frames - at);
      for (int ch = 0; ch < signal.length; ch++) {
        System.arraycopy(signal[ch], at, block[ch], 0, n);
        // The caller reuses its blocks: spoil what the meter was given before the next call.
        java.util.Arrays.fill(block[ch], n, blockFrames, Float.NaN);
      }
      meter.accept(block, n);
      for (float[] b : block) {
        java.util.Arrays.fill(b, Float.NaN);
      }
    }
    return meter.finish();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 4410, 17_640, 441_000})
  void silenceOfAnyLengthHasNoFigures(int frames) {
    LoudnessResult r = measure(new LoudnessMeter(RATE, STEREO), new float[2][frames], 4096);
    assertNull(r.integratedLufs());
    assertNull(r.loudnessRangeLu());
    assertNull(r.truePeakDbtp());
    assertNull(r.samplePeakDbfs());
    assertEquals(frames < 17_640, r.tooShort());
  }

  @Test
  void threeHoursOfSilenceAt8kHz() {
    LoudnessMeter meter = new LoudnessMeter(8000, new double[] {1});
    float[][] block = new float[1][8192];
    long start = System.nanoTime();
    for (long done = 0; done < 3L * 3600 * 8000; done += 8192) {
      meter.accept(block, 8192);
    }
    LoudnessResult r = meter.finish();
    System.out.printf("loudness: 3 h of 8 kHz silence took %.0f ms%n", (System.nanoTime() - start) / 1e6);
    assertEquals(new LoudnessResult(null, null, null, null, false), r);
  }

  @Test
  void fiftyMillisecondsOfToneIsTooShort() {
    LoudnessMeter meter = new LoudnessMeter(RATE, STEREO);
    new SineFeeder(meter, RATE, 2, 1000).play(0.05, -20);
    LoudnessResult r = meter.finish();
    assertTrue(r.tooShort());
    assertNull(r.integratedLufs());
    assertNull(r.loudnessRangeLu());
    assertEquals(-20.0, r.samplePeakDbfs(), 0.01);
    assertNotNull(r.truePeakDbtp());
  }

  @Test
  void oneGatingBlockIsEnough() {
    LoudnessMeter meter = new LoudnessMeter(RATE, STEREO);
    new SineFeeder(meter, RATE, 2, 1000).play(0.4, -23);
    LoudnessResult r = meter.finish();
    assertFalse(r.tooShort());
    assertEquals(-23.0, r.integratedLufs(), 0.1);
    assertNull(r.loudnessRangeLu());
  }

  @Test
  void resultsDoNotDependOnBlockSizes() {
    float[][] signal = program(RATE);
    LoudnessResult reference = measure(new LoudnessMeter(RATE, STEREO), signal, 4096);
    assertNotNull(reference.loudnessRangeLu());
    assertEquals(reference, measure(new LoudnessMeter(RATE, STEREO), signal, 1));
    assertEquals(reference, measure(new LoudnessMeter(RATE, STEREO), signal, 17));
    assertEquals(reference, measure(new LoudnessMeter(RATE, STEREO), signal, 100_000));
  }

  @Test
  void resetMakesTheMeterReusable() {
    float[][] first = program(RATE);
    float[][] second = program(RATE);
    for (float[] channel : second) {
      for (int i = 0; i < channel.length; i++) {
        channel[i] *= 0.25f;
      }
    }
    LoudnessMeter meter = new LoudnessMeter(RATE, STEREO);
    LoudnessResult firstResult = measure(meter, first, 4096);
    meter.reset();
    LoudnessResult secondResult = measure(meter, second, 1000);
    meter.reset();
    assertEquals(firstResult, measure(meter, first, 333));
    assertEquals(secondResult, measure(new LoudnessMeter(RATE, STEREO), second, 4096));
    assertEquals(firstResult.integratedLufs() - 20 * Math.log10(4), secondResult.integratedLufs(), 1e-3);
  }

  @Test
  void finishCanBeCalledAgain() {
    LoudnessMeter meter = new LoudnessMeter(RATE, STEREO);
    LoudnessResult r = measure(meter, program(RATE), 4096);
    assertEquals(r, meter.finish());
  }

  @ParameterizedTest
  @ValueSource(ints = {8000, 11_025, 22_050, 44_100, 48_000, 96_000, 192_000})
  void truePeakIsNeverBelowSamplePeak(int rate) {
    SplittableRandom random = new SplittableRandom(rate);
    float[][] x = new float[1][rate / 2];
    for (int i = 0; i < x[0].length; i++) {
      x[0][i] = (float) (random.nextDouble() - 0.5);
    }
    LoudnessResult r = measure(new LoudnessMeter(rate, new double[] {1}), x, 4096);
    assertTrue(r.truePeakDbtp() >= r.samplePeakDbfs(), r.toString());
  }

  @Test
  void zeroWeightChannelsCountForPeaksOnly() {
    LoudnessMeter withLfe = new LoudnessMeter(RATE, new double[] {1, 0});
    LoudnessMeter alone = new LoudnessMeter(RATE, new double[] {1});
    new SineFeeder(withLfe, RATE, 2, 1000).play(2, -23, -3);
    new SineFeeder(alone, RATE, 1, 1000).play(2, -23);
    LoudnessResult r = withLfe.finish();
    assertEquals(alone.finish().integratedLufs(), r.integratedLufs(), 1e-12);
    assertEquals(-3.0, r.samplePeakDbfs(), 0.01);
  }

  @Test
  void kWeightingAt48kHzIsTheBs1770Table() {
    KWeighting.Biquad shelf = KWeighting.shelf(48_000);
    assertEquals(1.53512485958697, shelf.b0(), 1e-8);
    assertEquals(-2.69169618940638, shelf.b1(), 1e-8);
    assertEquals(1.19839281085285, shelf.b2(), 1e-8);
    assertEquals(-1.69065929318241, shelf.a1(), 1e-8);
    assertEquals(0.73248077421585, shelf.a2(), 1e-8);
    KWeighting.Biquad highPass = KWeighting.highPass(48_000);
    assertEquals(1.0, highPass.b0());
    assertEquals(-2.0, highPass.b1());
    assertEquals(1.0, highPass.b2());
    assertEquals(-1.99004745483398, highPass.a1(), 1e-8);
    assertEquals(0.99007225036621, highPass.a2(), 1e-8);
  }

  @Test
  void oversamplingReachesFfmpegs192kHzGrid() {
    assertEquals(4, TruePeakMeter.oversampling(48_000));
    assertEquals(5, TruePeakMeter.oversampling(44_100));
    assertEquals(18, TruePeakMeter.oversampling(11_025));
    assertEquals(24, TruePeakMeter.oversampling(8000));
    assertEquals(2, TruePeakMeter.oversampling(96_000));
    assertEquals(1, TruePeakMeter.oversampling(192_000));
  }

  @Test
  void rejectsWhatItCannotMeasure() {
    assertThrows(IllegalArgumentException.class, () -> new LoudnessMeter(3000, STEREO));
    assertThrows(IllegalArgumentException.class, () -> new LoudnessMeter(RATE, new double[0]));
    assertThrows(IllegalArgumentException.class, () -> new LoudnessMeter(RATE, new double[] {1, -1}));
    LoudnessMeter meter = new LoudnessMeter(RATE, STEREO);
    assertThrows(IllegalArgumentException.class, () -> meter.accept(new float[1][10], 10));
    assertThrows(IllegalArgumentException.class, () -> meter.accept(new float[2][10], -1));
  }
}
