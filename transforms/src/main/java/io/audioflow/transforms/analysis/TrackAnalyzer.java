package io.audioflow.transforms.analysis;

import io.audioflow.transforms.audio.StreamInfo;
import io.audioflow.transforms.decode.AudioDecoder;
import io.audioflow.transforms.decode.DecodeResult;
import io.audioflow.transforms.loudness.ChannelWeights;
import io.audioflow.transforms.loudness.LoudnessMeter;
import io.audioflow.transforms.loudness.LoudnessResult;
import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.mel.MelFrameListener;
import io.audioflow.transforms.mel.MelSpectrogram;
import io.audioflow.transforms.resample.Resampler;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Analyses one file in a single decode pass, TarsosDSP-style: each decoded block goes to the loudness meter at the
 * native rate and layout, and, downmixed to mono by mean, through the resampler to the mel spectrogram. Memory is
 * bounded by the block size whatever the file length.
 *
 * <p>Configure once, analyse many: resamplers, FFT plans and meters are kept per rate and reused for the next
 * file. One instance per thread.
 */
public final class TrackAnalyzer implements AutoCloseable {

  /**
   * @param mel the mel configuration; its sample rate is replaced by each file's own when {@code melAtNativeRate}
   * @param fmaxAtNyquist whether fmax follows the (per-file) sample rate, as librosa's default fmax = sr / 2
   * @param maxDurationSeconds longer files end as TOO_LONG
   * @param maxCorruptPackets more corrupt packets than this end as DECODE_ERRORS
   */
  public record Settings(
      MelConfig mel,
      boolean melAtNativeRate,
      boolean fmaxAtNyquist,
      long maxDurationSeconds,
      int maxCorruptPackets)
      implements java.io.Serializable {

    /** The mel configuration for a file at {@code nativeRate}. */
    public MelConfig melFor(int nativeRate) {
      int rate = melAtNativeRate ? nativeRate : mel.sampleRate();
      return mel.withSampleRate(rate, fmaxAtNyquist ? rate / 2.0 : mel.fmax());
    }
  }

  private static final LoudnessResult NO_LOUDNESS = new LoudnessResult(null, null, null, null, false);

  private final Settings settings;
  private final Map<Long, Resampler> resamplers = new HashMap<>();
  private final Map<MelConfig, MelSpectrogram> spectrograms = new HashMap<>();
  private final Map<String, LoudnessMeter> meters = new HashMap<>();
  private final MelSummary summary = new MelSummary();
  private MelFrameListener frameSink;
  private float[] mono = new float[0];

  public TrackAnalyzer(Settings settings) {
    this.settings = settings;
  }

  /**
   * Decodes and analyses one file. {@code frames}, when not null, is asked once the file's mel configuration is
   * known for a listener that also receives every mel power frame in order (for the {@code mel} table).
   *
   * @throws AnalysisException for a file that belongs in the {@code errors} table
   */
  public TrackAnalysis analyze(
      ReadableByteChannel channel,
      long sizeBytes,
      String name,
      Function<MelConfig, MelFrameListener> frames)
      throws AnalysisException {
    if (sizeBytes == 0) {
      throw new AnalysisException(ErrorClass.EMPTY, "open", "file has 0 bytes");
    }
    try (AudioDecoder decoder = AudioDecoder.open(channel, sizeBytes, name)) {
      StreamInfo info = decoder.info();
      MelConfig melConfig;
      try {
        melConfig = settings.melFor(info.sampleRate());
      } catch (IllegalArgumentException e) {
        throw new AnalysisException(ErrorClass.UNREADABLE, "mel", "mel configuration does not fit this file: "
            + e.getMessage());
      }
      MelSpectrogram mel = spectrograms.computeIfAbsent(melConfig, c -> new MelSpectrogram(c, this::onMelFrame));
      mel.reset();
      summary.reset(melConfig.nMels());
      frameSink = frames == null ? null : frames.apply(melConfig);
      Resampler resampler =
          resamplers.computeIfAbsent(
              ((long) info.sampleRate() << 32) | melConfig.sampleRate(),
              k -> new Resampler(info.sampleRate(), melConfig.sampleRate()));
      resampler.reset();
      LoudnessMeter meter = meter(info);
      long[] nanos = new long[3]; // resample (including mel), mel, loudness
      Resampler.Sink toMel =
          (samples, offset, length) -> {
            long t = System.nanoTime();
            mel.accept(samples, offset, length);
            nanos[1] += System.nanoTime() - t;
          };

      long start = System.nanoTime();
      DecodeResult decoded =
          decoder.decode(
              (planar, n) -> {
                float[] m = downmix(planar, n, info.channels());
                long t0 = System.nanoTime();
                if (meter != null) {
                  meter.accept(planar, n);
                }
                long t1 = System.nanoTime();
                resampler.accept(m, 0, n, toMel);
                nanos[2] += t1 - t0;
                nanos[0] += System.nanoTime() - t1;
              },
              settings.maxDurationSeconds() * info.sampleRate());
      long t0 = System.nanoTime();
      resampler.finish(toMel);
      nanos[0] += System.nanoTime() - t0;
      long t1 = System.nanoTime();
      mel.finish();
      long melTail = System.nanoTime() - t1;
      long t2 = System.nanoTime();
      LoudnessResult loudness = meter != null ? meter.finish() : NO_LOUDNESS;
      nanos[2] += System.nanoTime() - t2;
      long total = System.nanoTime() - start;
      // nanos[0] includes the mel work done inside the resampler's sink (nanos[1]); the mel tail is outside both.
      StageTimes times =
          new StageTimes(
              total - nanos[0] - melTail - nanos[2], nanos[0] - nanos[1], nanos[1] + melTail, nanos[2]);

      List<String> warnings = check(info, decoded);
      if (meter == null) {
        warnings.add("LOUDNESS_UNAVAILABLE: BS.1770 K-weighting is undefined at " + info.sampleRate() + " Hz");
      } else if (loudness.tooShort()) {
        warnings.add("TOO_SHORT_FOR_LOUDNESS: shorter than one 400 ms gating block");
      }
      return new TrackAnalysis(
          info, decoded, loudness, melConfig, mel.frames(), summary.mean(), summary.std(), warnings, times);
    } finally {
      frameSink = null;
    }
  }

  /** The meter for this rate and layout, reset for a new file; null where BS.1770 is undefined (very low rates). */
  private LoudnessMeter meter(StreamInfo info) {
    String key = info.sampleRate() + "/" + info.channels() + "/" + info.channelMask();
    LoudnessMeter meter = meters.get(key);
    if (meter == null) {
      try {
        meter =
            new LoudnessMeter(info.sampleRate(), ChannelWeights.forLayout(info.channelMask(), info.channels()));
      } catch (IllegalArgumentException e) {
        return null;
      }
      meters.put(key, meter);
    } else {
      meter.reset();
    }
    return meter;
  }

  private void onMelFrame(double[] power) {
    summary.onFrame(power);
    if (frameSink != null) {
      frameSink.onFrame(power);
    }
  }

  /** Classifies what decoded: errors throw, softer findings become warnings. */
  private List<String> check(StreamInfo info, DecodeResult decoded) throws AnalysisException {
    Long declared = info.declaredFrames();
    if (decoded.corruptPackets() > settings.maxCorruptPackets()) {
      throw new AnalysisException(
          ErrorClass.DECODE_ERRORS,
          "decode",
          decoded.corruptPackets() + " corrupt packet(s), first: " + decoded.firstCorruption()
              + "; decoded " + decoded.frames() + " samples per channel"
              + (declared != null ? " of " + declared + " declared" : ""));
    }
    if (decoded.frames() == 0) {
      throw new AnalysisException(ErrorClass.EMPTY, "decode", "no audio samples in the stream");
    }
    List<String> warnings = new ArrayList<>();
    if (decoded.corruptPackets() > 0) {
      warnings.add("DECODE_ERRORS: " + decoded.corruptPackets() + " corrupt packet(s), first: "
          + decoded.firstCorruption());
    }
    if (info.lossless() && declared != null && decoded.frames() < declared) {
      warnings.add("TRUNCATED: header declares " + declared + " samples per channel, " + decoded.frames()
          + " decoded");
    }
    return warnings;
  }

  /** Mean over channels (mono passes through untouched); rejects NaN and infinity. */
  private float[] downmix(float[][] planar, int n, int channels) throws AnalysisException {
    if (channels == 1) {
      float[] x = planar[0];
      for (int i = 0; i < n; i++) {
        if (!Float.isFinite(x[i])) {
          throw nonFinite();
        }
      }
      return x;
    }
    if (mono.length < n) {
      mono = new float[n];
    }
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int c = 0; c < channels; c++) {
        sum += planar[c][i];
      }
      if (!Double.isFinite(sum)) {
        throw nonFinite();
      }
      mono[i] = (float) (sum / channels);
    }
    return mono;
  }

  private static AnalysisException nonFinite() {
    return new AnalysisException(ErrorClass.NON_FINITE, "decode", "decoded samples contain NaN or infinity");
  }

  @Override
  public void close() {
    resamplers.values().forEach(Resampler::close);
    resamplers.clear();
    spectrograms.clear();
    meters.clear();
  }
}
