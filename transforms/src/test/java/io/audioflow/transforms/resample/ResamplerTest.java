package io.audioflow.transforms.resample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Measures the resampler's documented quality on sines: passband ripple up to 90% of the output Nyquist and
 * stopband attenuation (energy aliased into the output) from 106% of it.
 */
class ResamplerTest {

  static float[] resample(float[] in, int inRate, int outRate, int block) {
    float[] result = new float[(int) Resampler.expectedLength(in.length, inRate, outRate)];
    int[] filled = {0};
    Resampler.Sink sink =
        (s, off, n) -> {
          System.arraycopy(s, off, result, filled[0], n);
          filled[0] += n;
        };
    try (Resampler r = new Resampler(inRate, outRate)) {
      for (int i = 0; i < in.length; i += block) {
        r.accept(in, i, Math.min(block, in.length - i), sink);
      }
      r.finish(sink);
    }
    assertEquals(result.length, filled[0], "output length is ceil(n * out / in)");
    return result;
  }

  static float[] sine(double freq, int rate, int n, double amplitude) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (amplitude * Math.sin(2 * Math.PI * freq * i / rate));
    }
    return x;
  }

  /** Amplitude of the component at {@code freq}, by least squares over the middle half (away from edges). */
  static double amplitudeAt(float[] y, double freq, int rate) {
    int from = y.length / 4;
    int to = 3 * y.length / 4;
    double ss = 0, cc = 0, sc = 0, ys = 0, yc = 0;
    for (int i = from; i < to; i++) {
      double s = Math.sin(2 * Math.PI * freq * i / rate);
      double c = Math.cos(2 * Math.PI * freq * i / rate);
      ss += s * s;
      cc += c * c;
      sc += s * c;
      ys += y[i] * s;
      yc += y[i] * c;
    }
    double det = ss * cc - sc * sc;
    double a = (ys * cc - yc * sc) / det;
    double b = (yc * ss - ys * sc) / det;
    return Math.hypot(a, b);
  }

  static double rms(float[] y) {
    double sum = 0;
    int from = y.length / 4;
    int to = 3 * y.length / 4;
    for (int i = from; i < to; i++) {
      sum += (double) y[i] * y[i];
    }
    return Math.sqrt(sum / (to - from));
  }

  @ParameterizedTest(name = "{0} -> {1} Hz")
  @CsvSource({"44100, 16000", "48000, 16000", "22050, 16000", "8000, 16000", "96000, 44100"})
  void passbandRippleAndStopbandAttenuation(int inRate, int outRate) {
    double nyquist = Math.min(inRate, outRate) / 2.0;
    double worstRippleDb = 0;
    for (double f = 50; f <= 0.9 * nyquist; f += nyquist / 37) {
      float[] y = resample(sine(f, inRate, inRate, 0.5), inRate, outRate, 4099);
      double db = 20 * Math.log10(amplitudeAt(y, f, outRate) / 0.5);
      worstRippleDb = Math.max(worstRippleDb, Math.abs(db));
    }
    double worstStopbandDb = -Double.MAX_VALUE;
    if (outRate < inRate) {
      for (double f = 1.06 * nyquist; f < inRate / 2.0; f += (inRate / 2.0 - nyquist) / 23) {
        float[] y = resample(sine(f, inRate, inRate, 0.5), inRate, outRate, 4099);
        worstStopbandDb = Math.max(worstStopbandDb, 20 * Math.log10(rms(y) / (0.5 / Math.sqrt(2))));
      }
    }
    System.out.printf(
        "resampler %d -> %d Hz: passband ripple %.4f dB (to 0.9 Nyquist), stopband %s dB (from 1.06 Nyquist)%n",
        inRate, outRate, worstRippleDb, outRate < inRate ? String.format("%.1f", worstStopbandDb) : "n/a");
    assertTrue(worstRippleDb < 0.05, "passband ripple " + worstRippleDb + " dB");
    if (outRate < inRate) {
      assertTrue(worstStopbandDb < -80, "stopband attenuation " + worstStopbandDb + " dB");
    }
  }

  @Test
  void equalRatesPassThroughBitForBit() {
    float[] x = sine(1234.5, 16000, 10007, 0.9);
    x[17] = Float.MIN_VALUE;
    assertArrayEquals(x, resample(x, 16000, 16000, 333));
  }

  @Test
  void blockSizeDoesNotChangeTheOutput() {
    float[] x = sine(440, 44100, 44100 * 2 + 13, 0.7);
    float[] whole = resample(x, 44100, 16000, x.length);
    for (int block : new int[] {1, 100, 4096}) {
      assertTrue(Arrays.equals(whole, resample(x, 44100, 16000, block)), "block " + block);
    }
  }

  @Test
  void outputIsTimeAligned() {
    // A sine resampled must keep its phase: compare with the sine generated at the output rate.
    float[] y = resample(sine(300, 44100, 44100, 0.5), 44100, 16000, 1000);
    float[] expected = sine(300, 16000, y.length, 0.5);
    for (int i = 1000; i < y.length - 1000; i++) {
      assertEquals(expected[i], y[i], 1e-3, "sample " + i);
    }
  }
}
