package io.audioflow.transforms.tagging;

import io.audioflow.models.FrontEnd;
import io.audioflow.transforms.analysis.TrackAnalyzer;
import io.audioflow.transforms.mel.HannWindow;
import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.mel.MelFrameListener;
import io.audioflow.transforms.mel.MelSpectrogram;
import io.audioflow.transforms.mel.PadMode;

/**
 * Essentia's MusiCNN input ({@link FrontEnd#ESSENTIA_MUSICNN}) as streamed mel power frames: what
 * {@code TensorflowPredictMusiCNN} computes behind its FrameCutter (frame 512, hop 256, first frame centred on sample
 * 0 with zero padding) and {@code TensorflowInputMusiCNN} (symmetric Hann, |X|^2 through 96 Slaney-scale unit-area
 * triangles up to 8 kHz), before the {@code log10(1 + 10000 S)} the {@link Tagger} applies. The frame cutter stops
 * after the first frame whose centre reaches the end of the signal, which is the centred STFT of the signal
 * zero-padded to a multiple of the hop: {@code 1 + ceil(n / 256)} frames for {@code n > 0} samples.
 *
 * <p>Fed a track's 16 kHz mono signal by the {@link TrackAnalyzer} (the musicnn preset's resampled stream). One
 * instance per thread; reusable across tracks.
 */
public final class EssentiaMusicnnFrames implements TrackAnalyzer.MelRateAudioListener {
  /**
   * The STFT and filterbank of Essentia's TensorflowInputMusiCNN at 16 kHz: the musicnn preset's, with zero edges
   * (the window differs too, see the constructor).
   */
  public static final MelConfig MEL = MelConfig.musicnn().withPadMode(PadMode.CONSTANT);

  private final MelSpectrogram mel;
  private final float[] zeros = new float[MEL.hopLength()];
  private long samples;

  /** @param listener receives every frame's 96 mel powers, in order (the array is reused) */
  public EssentiaMusicnnFrames(MelFrameListener listener) {
    this.mel = new MelSpectrogram(MEL, HannWindow.SYMMETRIC, listener);
  }

  @Override
  public int sampleRate() {
    return MEL.sampleRate();
  }

  @Override
  public void start(int sampleRate) {
    mel.reset();
    samples = 0;
  }

  @Override
  public void accept(float[] mono, int offset, int length) {
    samples += length;
    mel.accept(mono, offset, length);
  }

  @Override
  public void finish() {
    int rest = (int) (samples % zeros.length);
    if (rest != 0) {
      mel.accept(zeros, 0, zeros.length - rest);
    }
    mel.finish();
  }

  /** Frames emitted since the last {@link #start}. */
  public long frames() {
    return mel.frames();
  }
}
