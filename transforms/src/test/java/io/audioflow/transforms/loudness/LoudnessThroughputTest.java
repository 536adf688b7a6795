package io.audioflow.transforms.loudness;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Prints (does not assert) the meter's throughput with true peak on, for comparison with
 * {@code ffmpeg -nostdin -nostats -i noise60.wav -af ebur128=peak=true -f null -} on 60 s of stereo 44.1 kHz noise.
 */
class LoudnessThroughputTest {
  private static final int RATE = 44_100;
  private static final int SECONDS = 60;
  private static final int BLOCK = 4096;

  @Test
  void sixtySecondsOfStereoNoise() {
    SplittableRandom random = new SplittableRandom(1);
    int frames = RATE * SECONDS;
    float[][] signal = new float[2][frames];
    for (float[] channel : signal) {
      for (int i = 0; i < frames; i++) {
        channel[i] = (float) (random.nextDouble() - 0.5);
      }
    }
    LoudnessMeter meter = new LoudnessMeter(RATE, new double[] {1, 1});
    float[][] block = new float[2][BLOCK];
    long best = Long.MAX_VALUE;
    LoudnessResult result = null;
    for (int run = 0; run < 6; run++) { // the first runs warm the JIT up
      meter.reset();
      long start = System.nanoTime();
      for (int at = 0; at < frames; at += BLOCK) {
        int n = Math.min(BLOCK, frames - at);
        System.arraycopy(signal[0], at, block[0], 0, n);
        System.arraycopy(signal[1], at, block[1], 0, n);
        meter.accept(block, n);
      }
      result = meter.finish();
      best = Math.min(best, System.nanoTime() - start);
    }
    assertNotNull(result.truePeakDbtp());
    double samples = 2.0 * frames;
    System.out.printf(
        "Loudness throughput (60 s stereo 44.1 kHz noise, true peak %dx): %.1f M samples/s, %.0fx real time, %.1f ms%n",
        TruePeakMeter.oversampling(RATE), samples / best * 1e3, SECONDS / (best / 1e9), best / 1e6);
  }
}
