package io.audioflow.transforms.mel;

/**
 * Streaming {@code librosa.feature.melspectrogram} (librosa 0.11): the {@link StftFraming} of its STFT, then its
 * {@link PowerToMel} step. Configure once, then feed any number of files ({@link #reset()} between them) in blocks
 * of any size; memory is bounded by a few {@code nFft} regardless of the signal length, and nothing is allocated per
 * frame. Not thread-safe: use one instance per thread.
 *
 * <p>Frames are transformed two at a time, so a frame reaches the listener when the next one is complete, or at
 * {@link #finish()}; the order is unchanged. Frame counts and padding (reflect padding with librosa's own tail
 * quirks included) are {@link StftFraming}'s.
 */
public final class MelSpectrogram {
  private final MelConfig config;
  private final StftFraming framing;

  public MelSpectrogram(MelConfig config, MelFrameListener listener) {
    this(config, HannWindow.PERIODIC, listener);
  }

  public MelSpectrogram(MelConfig config, HannWindow hann, MelFrameListener listener) {
    this.config = config;
    this.framing = new StftFraming(config.stft(), hann, true, new PowerToMel(config, listener));
  }

  public MelConfig config() {
    return config;
  }

  /** Forgets the current signal so the instance can take the next one; keeps every buffer. */
  public void reset() {
    framing.reset();
  }

  /** Number of frames {@link #accept} and {@link #finish} emitted since construction or the last reset. */
  public long frames() {
    return framing.frames();
  }

  /** Frames a signal of {@code samples} samples gives under {@code config}. */
  public static long expectedFrames(long samples, MelConfig config) {
    return config.stft().frames(samples);
  }

  /** Feeds mono samples at {@code config.sampleRate()}; emits every frame that is complete. */
  public void accept(float[] samples, int offset, int length) {
    framing.accept(samples, offset, length);
  }

  /** Ends the signal: pads its end and emits the remaining frames. */
  public void finish() {
    framing.finish();
  }

  /** One-shot: the mel spectrogram S of a whole signal, {@code [frame][mel]}. */
  public static double[][] compute(float[] signal, MelConfig config) {
    double[][] out = new double[Math.toIntExact(expectedFrames(signal.length, config))][];
    int[] next = {0};
    MelSpectrogram spectrogram = new MelSpectrogram(config, melPower -> out[next[0]++] = melPower.clone());
    spectrogram.accept(signal, 0, signal.length);
    spectrogram.finish();
    return out;
  }
}
