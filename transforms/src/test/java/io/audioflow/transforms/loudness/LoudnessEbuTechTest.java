package io.audioflow.transforms.loudness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The synthetic cases of EBU Tech 3341 (loudness, true peak) and Tech 3342 (loudness range), generated here at
 * 48 kHz, the rate the documents specify, and at 44.1 kHz.
 */
class LoudnessEbuTechTest {
  private static final double[] STEREO = {1, 1};
  private static final double SILENCE = Double.NEGATIVE_INFINITY;

  private static LoudnessResult stereoTone(int rate, double[]... segments) {
    LoudnessMeter meter = new LoudnessMeter(rate, STEREO);
    SineFeeder tone = new SineFeeder(meter, rate, 2, 1000);
    for (double[] secondsAndDbfs : segments) {
      tone.play(secondsAndDbfs[0], secondsAndDbfs[1]);
    }
    return meter.finish();
  }

  private static double[] seg(double seconds, double dbfs) {
    return new double[] {seconds, dbfs};
  }

  @ParameterizedTest
  @ValueSource(ints = {48_000, 44_100})
  void tech3341Cases1And2SteadyTones(int rate) {
    assertEquals(-23.0, stereoTone(rate, seg(20, -23)).integratedLufs(), 0.1);
    assertEquals(-33.0, stereoTone(rate, seg(20, -33)).integratedLufs(), 0.1);
  }

  @ParameterizedTest
  @ValueSource(ints = {48_000, 44_100})
  void tech3341Cases3To5RelativeGate(int rate) {
    assertEquals(-23.0, stereoTone(rate, seg(10, -36), seg(60, -23), seg(10, -36)).integratedLufs(), 0.1);
    assertEquals(
        -23.0,
        stereoTone(rate, seg(10, -72), seg(10, -36), seg(60, -23), seg(10, -36), seg(10, -72)).integratedLufs(),
        0.1);
    assertEquals(-23.0, stereoTone(rate, seg(20, -26), seg(20.1, -20), seg(20, -26)).integratedLufs(), 0.1);
  }

  @ParameterizedTest
  @ValueSource(ints = {48_000, 44_100})
  void tech3341Case6FiveChannels(int rate) {
    // L, R at -28 dBFS, C at -24, Ls, Rs at -30: 5.0 layout FL+FR+FC+BL+BR, surrounds weighted 1.41.
    double[] weights = ChannelWeights.forLayout(0x37, 5);
    LoudnessMeter meter = new LoudnessMeter(rate, weights);
    new SineFeeder(meter, rate, 5, 1000).play(20, -28, -28, -24, -30, -30);
    assertEquals(-23.0, meter.finish().integratedLufs(), 0.1);
  }

  /** Tech 3341 cases 15 to 19: expected true peak within +0.2 / -0.4 dB. */
  @ParameterizedTest
  @ValueSource(ints = {48_000, 44_100})
  void tech3341Cases15To19TruePeak(int rate) {
    assertTruePeak(rate, 4, 0, -6, -6.0);
    LoudnessResult at45 = assertTruePeak(rate, 4, 45, -6, -6.0);
    assertTruePeak(rate, 6, 60, -6, -6.0);
    assertTruePeak(rate, 8, 67.5, -6, -6.0);
    LoudnessResult over = assertTruePeak(rate, 4, 45, 3, 3.0);
    // The cases exist because a sample-peak meter under-reads them: at 45 degrees every sample is at 0.707 of the peak.
    double halfPower = 10 * Math.log10(0.5);
    assertEquals(-6 + halfPower, at45.samplePeakDbfs(), 1e-3);
    assertEquals(3 + halfPower, over.samplePeakDbfs(), 1e-3);
  }

  private static LoudnessResult assertTruePeak(
      int rate, int fractionOfRate, double phaseDegrees, double peakDbfs, double expectedDbtp) {
    LoudnessMeter meter = new LoudnessMeter(rate, STEREO);
    new SineFeeder(meter, rate, 2, (double) rate / fractionOfRate)
        .phase(Math.toRadians(phaseDegrees))
        .play(1, peakDbfs);
    LoudnessResult r = meter.finish();
    double error = r.truePeakDbtp() - expectedDbtp;
    assertTrue(
        error <= 0.2 && error >= -0.4,
        "fs/" + fractionOfRate + " at " + phaseDegrees + " deg: " + r.truePeakDbtp() + " dBTP at " + rate + " Hz");
    return r;
  }

  @ParameterizedTest
  @ValueSource(ints = {48_000, 44_100})
  void tech3342Cases1To4LoudnessRange(int rate) {
    assertEquals(10, stereoTone(rate, seg(20, -20), seg(20, -30)).loudnessRangeLu(), 1);
    assertEquals(5, stereoTone(rate, seg(20, -20), seg(20, -15)).loudnessRangeLu(), 1);
    assertEquals(20, stereoTone(rate, seg(20, -40), seg(20, -20)).loudnessRangeLu(), 1);
    assertEquals(
        15,
        stereoTone(rate, seg(20, -50), seg(20, -35), seg(20, -20), seg(20, -35), seg(20, -50)).loudnessRangeLu(),
        1);
  }

  @ParameterizedTest
  @ValueSource(ints = {48_000, 44_100})
  void silenceIsGatedOut(int rate) {
    LoudnessResult r = stereoTone(rate, seg(5, SILENCE), seg(20, -23), seg(5, SILENCE));
    assertEquals(-23.0, r.integratedLufs(), 0.1);
    assertEquals(0.0, stereoTone(rate, seg(20, -23)).loudnessRangeLu(), 0.01);
  }
}
