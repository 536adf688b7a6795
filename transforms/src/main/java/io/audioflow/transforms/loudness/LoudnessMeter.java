package io.audioflow.transforms.loudness;

import java.util.Arrays;

/**
 * Streaming ITU-R BS.1770-4 / EBU R128 meter: integrated loudness, EBU Tech 3342 loudness range, true peak and
 * sample peak of one signal at its native rate and channel layout.
 *
 * <p>Feed planar blocks of any size with {@link #accept}, read the figures with {@link #finish}, and {@link #reset}
 * to measure the next signal with the same rate and layout without reallocating. Results do not depend on how the
 * signal is cut into blocks. Not thread-safe.
 *
 * <p>Gating follows BS.1770-4: K-weighted mean squares over 400 ms blocks every 100 ms, absolute gate -70 LUFS,
 * relative gate -10 LU. Loudness range follows EBU Tech 3342: 3 s short-term blocks every 100 ms, absolute gate
 * -70 LUFS, relative gate -20 LU, spread between the 10th and 95th percentiles. Block edges fall on whole samples
 * nearest below multiples of 100 ms, so rates that are not multiples of 10 Hz keep exact 100 ms timing on average.
 * Gating uses exact block energies; FFmpeg's ebur128 rounds each block down to a 0.01 LU histogram bin and so reads
 * a few thousandths of a LU lower.
 *
 * <p>Memory is bounded apart from one float per 100 ms (the channel-weighted energy of each 100 ms step, from which
 * both block kinds are summed): about 0.5 MB for a 3-hour signal, whatever its rate or channel count. No samples are
 * kept beyond the true-peak interpolator's chunk of about a thousand per channel.
 */
public final class LoudnessMeter {
  private static final double ABSOLUTE_GATE_LUFS = -70.0;
  private static final double RELATIVE_GATE_LU = -10.0;
  private static final double RANGE_RELATIVE_GATE_LU = -20.0;
  private static final int MOMENTARY_STEPS = 4;
  private static final int SHORT_TERM_STEPS = 30;

  private final int sampleRate;
  private final int channels;
  private final double[] weights;
  private final KWeighting kWeighting;
  /** {@link KWeighting#STATE_SIZE} values per channel. */
  private final double[] filterState;
  /** Per channel sum of squared K-weighted samples in the current 100 ms step. */
  private final double[] stepSum;
  private final TruePeakMeter peaks;

  private float[] stepEnergies = new float[1024];
  private int steps;
  private long position;
  private long stepEnd;
  private double[] scratch = new double[0];

  /**
   * @param sampleRate native rate of the signal; must exceed twice the K-weighting shelf frequency (3364 Hz)
   * @param channelWeights BS.1770 weight per channel (see {@link ChannelWeights}); its length is the channel count
   */
  public LoudnessMeter(int sampleRate, double[] channelWeights) {
    if (sampleRate <= 2 * KWeighting.SHELF_HZ) {
      throw new IllegalArgumentException(
          "sample rate " + sampleRate + " Hz is below the K-weighting shelf's Nyquist limit (3364 Hz)");
    }
    if (channelWeights.length == 0) {
      throw new IllegalArgumentException("no channels");
    }
    for (double w : channelWeights) {
      if (!(w >= 0 && w < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("weights must be finite and >= 0: " + Arrays.toString(channelWeights));
      }
    }
    this.sampleRate = sampleRate;
    this.channels = channelWeights.length;
    this.weights = channelWeights.clone();
    this.kWeighting = new KWeighting(sampleRate);
    this.filterState = new double[KWeighting.STATE_SIZE * channels];
    this.stepSum = new double[channels];
    this.peaks = new TruePeakMeter(sampleRate, channels);
    reset();
  }

  /** Prepares for a new signal; keeps every buffer allocated so far. */
  public void reset() {
    Arrays.fill(filterState, 0);
    Arrays.fill(stepSum, 0);
    steps = 0;
    position = 0;
    stepEnd = stepEdge(1);
    peaks.reset();
  }

  /**
   * Measures the next {@code frames} frames. The arrays are only read during the call.
   *
   * @param planar {@code planar[channel][0..frames)}, full scale 1.0, at least as many channels as weights
   */
  public void accept(float[][] planar, int frames) {
    if (frames < 0 || planar.length < channels) {
      throw new IllegalArgumentException(
          "need " + channels + " channels and frames >= 0, got " + planar.length + " channels, " + frames + " frames");
    }
    int start = 0;
    while (start < frames) {
      int end = (int) Math.min(frames, start + (stepEnd - position));
      for (int ch = 0; ch < channels; ch++) {
        if (weights[ch] != 0) {
          stepSum[ch] = kWeighting.apply(planar[ch], start, end, filterState, KWeighting.STATE_SIZE * ch, stepSum[ch]);
        }
      }
      position += end - start;
      if (position == stepEnd) {
        endStep();
      }
      start = end;
    }
    peaks.accept(planar, frames);
  }

  /** The figures for everything accepted since construction or the last {@link #reset}. */
  public LoudnessResult finish() {
    double samplePeak = peaks.samplePeak();
    boolean silent = samplePeak == 0;
    return new LoudnessResult(
        integrated(),
        loudnessRange(),
        silent ? null : 20 * Math.log10(peaks.truePeak()),
        silent ? null : 20 * Math.log10(samplePeak),
        position < stepEdge(MOMENTARY_STEPS));
  }

  private void endStep() {
    double energy = 0;
    for (int ch = 0; ch < channels; ch++) {
      energy += weights[ch] * stepSum[ch];
      stepSum[ch] = 0;
      // At step edges only, so that where it happens does not depend on the caller's block sizes.
      KWeighting.flushDecayed(filterState, KWeighting.STATE_SIZE * ch);
    }
    if (steps == stepEnergies.length) {
      stepEnergies = Arrays.copyOf(stepEnergies, 2 * steps);
    }
    stepEnergies[steps++] = (float) energy;
    stepEnd = stepEdge(steps + 1);
  }

  /** First frame of 100 ms step {@code k}. */
  private long stepEdge(long k) {
    return k * sampleRate / 10;
  }

  /** Mean square of the block of {@code length} steps ending with step {@code last}. */
  private double blockEnergy(int last, int length) {
    double sum = 0;
    for (int k = last - length + 1; k <= last; k++) {
      sum += stepEnergies[k];
    }
    return sum / (stepEdge(last + 1) - stepEdge(last - length + 1));
  }

  private Double integrated() {
    double absoluteGate = energy(ABSOLUTE_GATE_LUFS);
    double sum = 0;
    int count = 0;
    for (int j = MOMENTARY_STEPS - 1; j < steps; j++) {
      double e = blockEnergy(j, MOMENTARY_STEPS);
      if (e > absoluteGate) {
        sum += e;
        count++;
      }
    }
    if (count == 0) {
      return null;
    }
    // Gates compare energies: -10 LU below the mean loudness is a tenth of the mean energy.
    double relativeGate = sum / count * Math.pow(10, RELATIVE_GATE_LU / 10);
    sum = 0;
    count = 0;
    for (int j = MOMENTARY_STEPS - 1; j < steps; j++) {
      double e = blockEnergy(j, MOMENTARY_STEPS);
      if (e > absoluteGate && e > relativeGate) {
        sum += e;
        count++;
      }
    }
    return lufs(sum / count);
  }

  private Double loudnessRange() {
    if (scratch.length < steps) {
      scratch = new double[stepEnergies.length];
    }
    double absoluteGate = energy(ABSOLUTE_GATE_LUFS);
    double sum = 0;
    int count = 0;
    for (int j = SHORT_TERM_STEPS - 1; j < steps; j++) {
      double e = blockEnergy(j, SHORT_TERM_STEPS);
      // Tech 3342 gates short-term loudness with >=, where BS.1770 uses > for the integrated loudness.
      if (e >= absoluteGate) {
        scratch[count++] = e;
        sum += e;
      }
    }
    if (count == 0) {
      return null;
    }
    double relativeGate = sum / count * Math.pow(10, RANGE_RELATIVE_GATE_LU / 10);
    int kept = 0;
    for (int i = 0; i < count; i++) {
      if (scratch[i] >= relativeGate) {
        scratch[kept++] = scratch[i];
      }
    }
    // Percentiles at sorted index round((n - 1) * p), as libebur128 takes them; FFmpeg's rank is at most one off.
    Arrays.sort(scratch, 0, kept);
    double low = scratch[(int) Math.round((kept - 1) * 0.10)];
    double high = scratch[(int) Math.round((kept - 1) * 0.95)];
    return 10 * Math.log10(high / low);
  }

  private static double energy(double lufs) {
    return Math.pow(10, (lufs + 0.691) / 10);
  }

  private static double lufs(double energy) {
    return -0.691 + 10 * Math.log10(energy);
  }
}
