package io.audioflow.transforms.separation;

import io.audioflow.transforms.mel.HannWindow;
import java.nio.FloatBuffer;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * HTDemucs's spectrogram and its inverse, as {@code HTDemucs._spec}/{@code _ispec} compute them with
 * {@code torch.stft}/{@code torch.istft}: Hann window of n_fft (periodic), hop n_fft/4, {@code normalized=True}
 * (scaled by 1/sqrt(n_fft)), centred with reflect padding, after Demucs's own reflect pre-padding of 3/8 n_fft
 * that makes the frame count exactly ceil(length / hop). The Nyquist bin is dropped (and restored as 0 on the way
 * back); the complex values travel as channels: channel 2c is the real part of audio channel c, 2c+1 the
 * imaginary part. One instance per thread: it reuses its FFT and buffers.
 */
public final class DemucsStft {
  private final int nFft;
  private final int hop;
  private final int bins;
  private final int length;
  private final int frames;
  private final DoubleFFT_1D fft;
  private final double[] window;
  private final double[] frame;
  /** Signal after Demucs's pre-padding and torch.stft's centre padding. */
  private final double[] padded;
  /** 1 / (sum of squared windows) over the inverse's output span, as torch.istft divides by it. */
  private final double[] inverseEnvelope;
  private final double[] overlapAdd;

  /**
   * @param nFft FFT size (4096 for HTDemucs); hop is nFft / 4
   * @param length samples per chunk (the model's segment)
   */
  public DemucsStft(int nFft, int length) {
    if (nFft % 4 != 0 || nFft <= 0 || length <= 3 * nFft / 8) {
      throw new IllegalArgumentException("n_fft " + nFft + " must be a positive multiple of 4 and the length "
          + length + " longer than 3/8 n_fft (Demucs's reflect padding)");
    }
    this.nFft = nFft;
    this.hop = nFft / 4;
    this.bins = nFft / 2;
    this.length = length;
    this.frames = (length + hop - 1) / hop;
    this.fft = new DoubleFFT_1D(nFft);
    this.window = HannWindow.PERIODIC.values(nFft);
    this.frame = new double[nFft];
    this.padded = new double[frames * hop + 3 * hop + nFft];
    // The inverse overlap-adds frames + 4 frames (Demucs pads two empty frames each side); output sample t sits at
    // t + n_fft/2 (istft's centre) + 3/2 hop (Demucs's pre-padding).
    double[] envelope = new double[(frames + 3) * hop + nFft];
    for (int f = 0; f < frames + 4; f++) {
      for (int i = 0; i < nFft; i++) {
        envelope[f * hop + i] += window[i] * window[i];
      }
    }
    this.inverseEnvelope = new double[length];
    for (int t = 0; t < length; t++) {
      inverseEnvelope[t] = 1.0 / envelope[t + outputShift()];
    }
    this.overlapAdd = new double[envelope.length];
  }

  private int outputShift() {
    return nFft / 2 + hop / 2 * 3;
  }

  public int frames() {
    return frames;
  }

  public int bins() {
    return bins;
  }

  /**
   * Spectrogram of one audio channel, the {@code length} samples of {@code signal} from {@code offset} (absolute
   * indexing: the caller's chunk in the core's input buffer), into {@code out} (layout [2C][bins][frames], row-major,
   * starting at {@code base}, the batch item's offset), at complex channels 2 * channel and 2 * channel + 1.
   */
  public void forward(FloatBuffer signal, int offset, int channel, FloatBuffer out, int base) {
    int pre = hop / 2 * 3;
    int centre = nFft / 2;
    int prePadded = frames * hop + 2 * pre; // torch pad1d(x, (pre, pre + frames*hop - length), reflect)
    for (int j = 0; j < padded.length; j++) {
      int k = reflect(j - centre, prePadded); // torch.stft centre padding reflects the pre-padded signal
      padded[j] = signal.get(offset + reflect(k - pre, length));
    }
    double scale = 1.0 / Math.sqrt(nFft);
    int realBase = base + 2 * channel * bins * frames;
    int imagBase = realBase + bins * frames;
    for (int t = 0; t < frames; t++) {
      int start = (t + 2) * hop; // Demucs keeps frames 2 .. 2 + frames of the frames + 4 torch computes
      for (int i = 0; i < nFft; i++) {
        frame[i] = padded[start + i] * window[i];
      }
      fft.realForward(frame);
      out.put(realBase + t, (float) (frame[0] * scale));
      out.put(imagBase + t, 0f);
      for (int f = 1; f < bins; f++) {
        out.put(realBase + f * frames + t, (float) (frame[2 * f] * scale));
        out.put(imagBase + f * frames + t, (float) (frame[2 * f + 1] * scale));
      }
    }
  }

  /** Index into a signal of {@code n} samples with torch's reflect padding (edge sample not repeated). */
  private static int reflect(int i, int n) {
    int period = 2 * (n - 1);
    int m = Math.floorMod(i, period);
    return m < n ? m : period - m;
  }

  /**
   * Inverse of one source's audio channel: reads complex channels 2 * channel, 2 * channel + 1 of the
   * spectrogram at {@code base} (layout [2C][bins][frames]) and adds the {@code length} samples to
   * {@code target[targetOffset..]}.
   */
  public void inverseAdd(FloatBuffer spectrogram, int base, int channel, float[] target, int targetOffset) {
    java.util.Arrays.fill(overlapAdd, 0);
    int realBase = base + 2 * channel * bins * frames;
    int imagBase = realBase + bins * frames;
    double scale = Math.sqrt(nFft); // undo normalized=True
    for (int t = 0; t < frames; t++) {
      frame[0] = spectrogram.get(realBase + t); // imaginary part of DC is ignored, as irfft does
      frame[1] = 0; // Nyquist bin, dropped by Demucs
      for (int f = 1; f < bins; f++) {
        frame[2 * f] = spectrogram.get(realBase + f * frames + t);
        frame[2 * f + 1] = spectrogram.get(imagBase + f * frames + t);
      }
      fft.realInverse(frame, true); // irfft, 1/n included
      int start = (t + 2) * hop;
      for (int i = 0; i < nFft; i++) {
        overlapAdd[start + i] += frame[i] * scale * window[i];
      }
    }
    int shift = outputShift();
    for (int s = 0; s < length; s++) {
      target[targetOffset + s] += (float) (overlapAdd[s + shift] * inverseEnvelope[s]);
    }
  }
}
