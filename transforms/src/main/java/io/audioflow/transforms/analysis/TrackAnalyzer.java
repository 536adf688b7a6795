package io.audioflow.transforms.analysis;

import io.audioflow.transforms.audio.StreamInfo;
import io.audioflow.transforms.decode.DecodeResult;
import io.audioflow.transforms.features.FeatureExtractor;
import io.audioflow.transforms.features.StftMel;
import io.audioflow.transforms.loudness.ChannelWeights;
import io.audioflow.transforms.loudness.LoudnessMeter;
import io.audioflow.transforms.loudness.LoudnessResult;
import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.mel.MelFrameListener;
import io.audioflow.transforms.mel.MelSpectrogram;
import io.audioflow.transforms.mel.StftConfig;
import io.audioflow.transforms.resample.Resampler;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Analyses one file in a single decode pass, TarsosDSP-style: each decoded block goes to the loudness meter at the
 * native rate and layout; downmixed to mono by mean, through the resampler to the mel spectrogram, and at the native
 * rate to the classic features. Each STFT configuration is transformed once: when the mel spectrogram's equals the
 * features' (the {@code librosa} preset at the file's own rate) the mel bands are read off the features' STFT.
 * Memory is bounded by the block size whatever the file length.
 *
 * <p>Configure once, analyse many: resamplers (in the {@link TrackDecoder} that decodes and checks each file, as
 * for separation), FFT plans, extractors and meters are kept per rate and reused for the next file. One instance
 * per thread.
 */
public final class TrackAnalyzer implements AutoCloseable {

  /**
   * @param mel the mel configuration; its sample rate is replaced by each file's own when {@code melAtNativeRate}
   * @param fmaxAtNyquist whether fmax follows the (per-file) sample rate, as librosa's default fmax = sr / 2
   * @param maxDurationSeconds longer files end as TOO_LONG
   * @param maxCorruptPackets more corrupt packets than this end as DECODE_ERRORS
   * @param selection what to compute
   */
  public record Settings(
      MelConfig mel,
      boolean melAtNativeRate,
      boolean fmaxAtNyquist,
      long maxDurationSeconds,
      int maxCorruptPackets,
      FeatureSelection selection)
      implements java.io.Serializable {

    /** The mel configuration for a file at {@code nativeRate}. */
    public MelConfig melFor(int nativeRate) {
      int rate = melAtNativeRate ? nativeRate : mel.sampleRate();
      return mel.withSampleRate(rate, fmaxAtNyquist ? rate / 2.0 : mel.fmax());
    }
  }

  /** The classic features at one sample rate, with the mel spectrogram when it shares their STFT. */
  private record RateFeatures(FeatureExtractor extractor, StftMel mel) {}

  private static final LoudnessResult NO_LOUDNESS = new LoudnessResult(null, null, null, null, false);

  private final Settings settings;
  private final TrackDecoder decoder;
  private final Map<MelConfig, MelSpectrogram> spectrograms = new HashMap<>();
  private final Map<Integer, RateFeatures> extractors = new HashMap<>();
  private final Map<String, LoudnessMeter> meters = new HashMap<>();
  private final MelSummary summary = new MelSummary();
  private MelFrameListener melSink;
  private MelRateAudioListener melRateAudio;
  private float[] mono = new float[0];

  public TrackAnalyzer(Settings settings) {
    this.settings = settings;
    this.decoder = new TrackDecoder(settings.maxDurationSeconds(), settings.maxCorruptPackets());
  }

  /** Receives each file's mono signal at the mel sample rate, the resampled stream the mel spectrogram reads. */
  public interface MelRateAudioListener {
    /** The rate this listener needs, Hz; {@link #setMelRateAudioListener} refuses settings that cannot feed it. */
    int sampleRate();

    void start(int sampleRate);

    void accept(float[] mono, int offset, int length);

    void finish();
  }

  /**
   * Also feeds each file's mono signal at the mel rate to {@code listener} (null: none), e.g. the tagger's.
   *
   * @throws IllegalArgumentException when the settings give no resampled mel stream at the listener's
   *     {@link MelRateAudioListener#sampleRate} for every file: no mel spectrogram, one at each file's own rate or at
   *     another rate, or one that reads the features' STFT of files at its rate
   */
  public void setMelRateAudioListener(MelRateAudioListener listener) {
    if (listener != null) {
      String refusal = melStreamRefusal(listener.sampleRate());
      if (refusal != null) {
        throw new IllegalArgumentException(
            "a mel-rate audio listener at " + listener.sampleRate() + " Hz cannot be served: " + refusal);
      }
    }
    this.melRateAudio = listener;
  }

  /** Why some file's mel spectrogram would not read a resampled stream at {@code sampleRate}; null if none. */
  private String melStreamRefusal(int sampleRate) {
    MelConfig mel = settings.mel();
    if (!settings.selection().mel()) {
      return "the mel spectrogram is not computed";
    }
    if (settings.melAtNativeRate()) {
      return "the mel spectrogram runs at each file's own rate";
    }
    if (mel.sampleRate() != sampleRate) {
      return "the mel spectrogram runs at " + mel.sampleRate() + " Hz";
    }
    if (!settings.selection().classic().isEmpty() && StftMel.sharesStft(mel)) {
      return "files at " + sampleRate + " Hz have their mel spectrogram read off the features' STFT, unresampled";
    }
    return null;
  }

  /**
   * Decodes and analyses one file.
   *
   * @param melFrames when not null, asked once the file's mel configuration is known for a listener that also
   *     receives every mel power frame in order (for the {@code mel} table)
   * @param featureFrames when not null, {@link FeatureSegmentSpill#start started} with the features' sample rate and
   *     row layout and given every row of per-frame classic features in order (for the {@code frames} table)
   * @throws AnalysisException for a file that belongs in the {@code errors} table
   */
  public TrackAnalysis analyze(
      ReadableByteChannel channel,
      long sizeBytes,
      String name,
      Function<MelConfig, MelFrameListener> melFrames,
      FeatureSegmentSpill featureFrames)
      throws AnalysisException {
    FeatureSelection selection = settings.selection();
    try (TrackDecoder.OpenFile track = decoder.open(channel, sizeBytes, name)) {
      StreamInfo info = track.info();
      int rate = info.sampleRate();
      MelConfig melConfig = selection.mel() ? melConfig(rate) : null;
      RateFeatures features = selection.classic().isEmpty() ? null : features(rate, melConfig);
      FeatureExtractor extractor = features == null ? null : features.extractor();
      StftMel sharedMel = features == null ? null : features.mel();
      MelSpectrogram mel = null;
      Resampler resampler = null;
      MelRateAudioListener tap = melRateAudio; // set only when every file's mel resampler can feed it
      if (tap != null) {
        tap.start(melConfig.sampleRate());
      }
      if (melConfig != null) {
        summary.reset(melConfig.nMels());
        melSink = melFrames == null ? null : melFrames.apply(melConfig);
        if (sharedMel != null) {
          sharedMel.reset();
        } else {
          mel = spectrograms.computeIfAbsent(melConfig, c -> new MelSpectrogram(c, this::onMelFrame));
          mel.reset();
          resampler = decoder.resamplers(rate, melConfig.sampleRate(), 1)[0];
        }
      }
      if (extractor != null) {
        extractor.reset(featureFrames == null ? null : featureFrames.start(rate, extractor.rowLayout()));
      }
      LoudnessMeter meter = selection.loudness() ? meter(info) : null;
      long[] nanos = new long[4]; // resample (including mel), mel, loudness, features
      MelSpectrogram melSpectrogram = mel;
      Resampler.Sink toMel =
          (samples, offset, length) -> {
            long t = System.nanoTime();
            melSpectrogram.accept(samples, offset, length);
            if (tap != null) {
              tap.accept(samples, offset, length);
            }
            nanos[1] += System.nanoTime() - t;
          };
      Resampler melResampler = resampler;

      long start = System.nanoTime();
      DecodeResult decoded =
          track.decode(
              (planar, n) -> {
                float[] m = downmix(planar, n, info.channels());
                long t0 = System.nanoTime();
                if (meter != null) {
                  meter.accept(planar, n);
                }
                long t1 = System.nanoTime();
                if (melResampler != null) {
                  melResampler.accept(m, 0, n, toMel);
                }
                long t2 = System.nanoTime();
                if (extractor != null) {
                  extractor.accept(m, 0, n);
                }
                nanos[2] += t1 - t0;
                nanos[0] += t2 - t1;
                nanos[3] += System.nanoTime() - t2;
              });
      long t0 = System.nanoTime();
      if (resampler != null) {
        resampler.finish(toMel);
      }
      long t1 = System.nanoTime();
      if (mel != null) {
        mel.finish();
      }
      if (tap != null) {
        tap.finish();
      }
      long t2 = System.nanoTime();
      if (extractor != null) {
        extractor.finish();
      }
      long t3 = System.nanoTime();
      LoudnessResult loudness = meter != null ? meter.finish() : NO_LOUDNESS;
      nanos[0] += t1 - t0;
      long melTail = t2 - t1;
      nanos[3] += t3 - t2;
      nanos[2] += System.nanoTime() - t3;
      long total = System.nanoTime() - start;
      // nanos[0] includes the mel work done inside the resampler's sink (nanos[1]); the mel tail is outside both.
      StageTimes times =
          new StageTimes(
              total - nanos[0] - melTail - nanos[2] - nanos[3],
              nanos[0] - nanos[1],
              nanos[1] + melTail,
              nanos[2],
              nanos[3]);

      List<String> warnings = check(info, decoded);
      if (selection.loudness()) {
        if (meter == null) {
          warnings.add("LOUDNESS_UNAVAILABLE: BS.1770 K-weighting is undefined at " + rate + " Hz");
        } else if (loudness.tooShort()) {
          warnings.add("TOO_SHORT_FOR_LOUDNESS: shorter than one 400 ms gating block");
        }
      }
      List<StftPass> passes = new ArrayList<>();
      if (mel != null) {
        passes.add(new StftPass(stftId(melConfig.sampleRate(), melConfig.stft()), "mel", mel.frames()));
      }
      if (extractor != null && extractor.fftCount() > 0) {
        passes.add(new StftPass(stftId(rate, FeatureExtractor.STFT),
            sharedMel != null ? "mel,features" : "features", extractor.fftCount()));
      }
      long melFrameCount = mel != null ? mel.frames() : sharedMel != null ? sharedMel.frames() : 0;
      return new TrackAnalysis(
          info,
          decoded,
          loudness,
          melConfig,
          melFrameCount,
          melConfig == null ? null : summary.mean(),
          melConfig == null ? null : summary.std(),
          extractor == null ? List.of() : extractor.summaries(),
          extractor == null ? null : extractor.tempoBpm(),
          passes,
          warnings,
          times);
    } finally {
      melSink = null;
    }
  }

  private MelConfig melConfig(int rate) throws AnalysisException {
    try {
      return settings.melFor(rate);
    } catch (IllegalArgumentException e) {
      throw new AnalysisException(ErrorClass.UNREADABLE, "mel", "mel configuration does not fit this file: "
          + e.getMessage());
    }
  }

  /** The extractor for this rate; it also feeds the mel spectrogram when {@code melConfig} shares its STFT. */
  private RateFeatures features(int rate, MelConfig melConfig) {
    return extractors.computeIfAbsent(rate, r -> {
      StftMel shared =
          melConfig != null && melConfig.sampleRate() == r && StftMel.sharesStft(melConfig)
              ? new StftMel(melConfig, this::onMelFrame)
              : null;
      return new RateFeatures(new FeatureExtractor(r, settings.selection().classic(), null, shared), shared);
    });
  }

  /** An STFT configuration at {@code rate} as {@link StftPass} names it. */
  private static String stftId(int rate, StftConfig stft) {
    return "sr=" + rate + " n_fft=" + stft.nFft() + " win=" + stft.winLength() + " hop=" + stft.hopLength()
        + (stft.center() ? " center pad=" + stft.padMode().name().toLowerCase(Locale.ROOT) : " no-center");
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
    if (melSink != null) {
      melSink.onFrame(power);
    }
  }

  /** What decoded but is worth a warning (more corrupt packets fail in {@link TrackDecoder}). */
  private static List<String> check(StreamInfo info, DecodeResult decoded) {
    Long declared = info.declaredFrames();
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

  /** Mean over channels (mono passes through untouched). */
  private float[] downmix(float[][] planar, int n, int channels) {
    if (channels == 1) {
      return planar[0];
    }
    if (mono.length < n) {
      mono = new float[n];
    }
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int c = 0; c < channels; c++) {
        sum += planar[c][i];
      }
      mono[i] = (float) (sum / channels);
    }
    return mono;
  }

  @Override
  public void close() {
    decoder.close();
    spectrograms.clear();
    extractors.values().forEach(f -> f.extractor().close());
    extractors.clear();
    meters.clear();
  }
}
