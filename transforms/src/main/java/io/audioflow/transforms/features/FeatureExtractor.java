package io.audioflow.transforms.features;

import io.audioflow.transforms.mel.Decibels;
import io.audioflow.transforms.mel.StftConfig;
import io.audioflow.transforms.spill.FrameSpill;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * librosa 0.11's classic features of one mono signal at its own rate, streaming (Essentia style: configure once,
 * compute many). Feed blocks with {@link #accept}, call {@link #finish()}, read {@link #summaries()} and
 * {@link #tempoBpm()}, then {@link #reset()} for the next file. One instance per thread; {@link #close()} deletes
 * the spill file. A caller that keeps the rows (the {@code frames} table) gives {@link #reset(FrameSpill)} its spill,
 * which then holds every row: written once, replayed after {@link #finish()}.
 *
 * <p>All frame features use librosa's defaults: n_fft 2048, hop 512, periodic Hann, centred frames with zero
 * padding. One {@link Stft} serves every spectral feature, and RMS and the zero-crossing rate read the same frames
 * in the time domain: at most one FFT per frame, whatever the set of features.
 *
 * <p>MFCC and onset strength floor the mel spectrogram's dB at 80 dB below the file's maximum, known only at the
 * end, and tempo needs the whole onset envelope. When any of them is wanted, each frame's other values and its 128
 * mel powers are spilled ({@link FrameSpill}, the caller's when it keeps the rows) and the rows are completed, in the
 * spill too, and handed to the listener during {@link #finish()}; otherwise each row goes to the listener as soon as
 * its frame is transformed.
 *
 * <p>Memory per hour of audio at 44.1 kHz (310 078 frames): the heap holds about 1.3 MiB whatever the length (FFT
 * buffers, filterbanks, the 1 MiB spill buffer) plus, with TEMPO, the onset envelope at 8 bytes a frame: 2.5 MB per
 * hour, in an array up to twice that as it grows, and a padded copy of it while the tempo is estimated. Past the
 * first MiB the spill goes to a temporary file of {@code 4 * (row width + 128)} bytes a frame: 668 bytes with every
 * feature, 207 MB of disk per hour.
 */
public final class FeatureExtractor implements AutoCloseable {
  public static final int N_FFT = 2048;
  public static final int HOP = 512;
  /** The framing of the features' STFT; {@link StftConfig#frames} counts a signal's rows. */
  public static final StftConfig STFT = Stft.config(N_FFT, HOP);
  private static final double AMIN = 1e-10;
  private static final double TOP_DB = 80.0;

  private final int sampleRate;
  private final Set<Feature> features;
  private final FrameListener listener;
  private final FrameRow row;
  private final Stft stft;
  private final Summaries summaries;
  private final Rms rms;
  private final ZeroCrossingRate zcr;
  private final MelBands mel;
  private final boolean deferred;
  private final FrameSpill ownSpill; // for the deferred features when the caller keeps no rows
  private FrameSpill spill; // this file's: ownSpill, the caller's, or null
  private boolean keepsRows;
  private final Mfcc mfcc;
  private final OnsetStrength onset;
  private final Tempo tempo;
  private final double[] db = new double[MelBands.N_MELS];
  private final float[] melPower = new float[MelBands.N_MELS];
  private double[] envelope = new double[0];
  private int envelopeLength;
  private Double tempoBpm;
  private long frames;
  private boolean finished;

  /**
   * @param sampleRate the signal's sample rate, Hz
   * @param features what to compute
   * @param listener receives every frame's row, in order; null for none
   */
  public FeatureExtractor(int sampleRate, Collection<Feature> features, FrameListener listener) {
    this(sampleRate, features, listener, null);
  }

  /**
   * @param jobMel the job's mel spectrogram when its STFT configuration is this one ({@link StftMel}): fed the
   *     shared STFT's frames, and read by MFCC and onset strength when it is their mel; null for none
   */
  public FeatureExtractor(
      int sampleRate, Collection<Feature> features, FrameListener listener, StftMel jobMel) {
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sampleRate must be > 0, got " + sampleRate);
    }
    this.sampleRate = sampleRate;
    this.features = features.isEmpty() ? EnumSet.noneOf(Feature.class) : EnumSet.copyOf(features);
    this.listener = listener;
    List<Feature> perFrame = new ArrayList<>();
    for (Feature f : this.features) {
      if (f.dimension() > 0) {
        perFrame.add(f);
      }
    }
    this.row = new FrameRow(perFrame);
    this.summaries = new Summaries(row);
    float[] out = row.values();

    List<FrameConsumer> consumers = new ArrayList<>();
    this.rms = wants(Feature.RMS) ? new Rms(N_FFT, HOP, out, row.offset(Feature.RMS)) : null;
    if (rms != null) {
      consumers.add(rms);
    }
    this.zcr = wants(Feature.ZCR) ? new ZeroCrossingRate(N_FFT, out, row.offset(Feature.ZCR)) : null;
    if (zcr != null) {
      consumers.add(zcr);
    }
    if (wants(Feature.CENTROID) || wants(Feature.BANDWIDTH) || wants(Feature.ROLLOFF)) {
      consumers.add(new SpectralShape(sampleRate, N_FFT, out,
          row.offset(Feature.CENTROID), row.offset(Feature.BANDWIDTH), row.offset(Feature.ROLLOFF)));
    }
    if (wants(Feature.FLATNESS)) {
      consumers.add(new SpectralFlatness(out, row.offset(Feature.FLATNESS)));
    }
    if (wants(Feature.CHROMA)) {
      consumers.add(new Chroma(sampleRate, N_FFT, out, row.offset(Feature.CHROMA)));
    }
    this.deferred = wants(Feature.MFCC) || wants(Feature.ONSET) || wants(Feature.TEMPO);
    this.mel = deferred
        ? new MelBands(sampleRate, N_FFT, jobMel)
        : null;
    this.ownSpill = deferred ? new FrameSpill() : null;
    this.mfcc = wants(Feature.MFCC) ? new Mfcc(MelBands.N_MELS) : null;
    this.onset = wants(Feature.ONSET) || wants(Feature.TEMPO) ? new OnsetStrength(MelBands.N_MELS) : null;
    this.tempo = wants(Feature.TEMPO) ? new Tempo(sampleRate, HOP) : null;
    if (deferred) {
      consumers.add(mel);
      consumers.add(frame -> spill.write(out, mel.power()));
    } else {
      consumers.add(frame -> {
        if (keepsRows) {
          spill.write(out);
        }
        emit(frame.index());
      });
    }
    boolean spectral = jobMel != null || deferred || wants(Feature.CENTROID) || wants(Feature.BANDWIDTH) || wants(Feature.ROLLOFF)
        || wants(Feature.FLATNESS) || wants(Feature.CHROMA);
    this.stft = new Stft(N_FFT, HOP, jobMel, consumers, spectral); // the mel gets each pair before MelBands reads it
    reset();
  }

  private boolean wants(Feature f) {
    return features.contains(f);
  }

  public int sampleRate() {
    return sampleRate;
  }

  public Set<Feature> features() {
    return Collections.unmodifiableSet(features);
  }

  /** Forgets the current file; keeps every buffer and plan. */
  public void reset() {
    reset(null);
  }

  /**
   * Forgets the current file, and keeps the next one's rows in {@code rows} (null: none): after {@link #finish()},
   * the first {@code rowLayout().values().length} floats of each of its records are a row, in order. The rows must
   * have a column.
   */
  public void reset(FrameSpill rows) {
    keepsRows = rows != null;
    spill = keepsRows ? rows : ownSpill;
    if (spill != null) {
      spill.start(row.values().length + (deferred ? MelBands.N_MELS : 0));
    }
    stft.reset();
    summaries.reset();
    if (rms != null) {
      rms.reset();
    }
    if (zcr != null) {
      zcr.reset();
    }
    if (mel != null) {
      mel.reset();
    }
    if (onset != null) {
      onset.reset();
    }
    envelopeLength = 0;
    tempoBpm = null;
    frames = 0;
    finished = false;
  }

  /** Feeds mono samples at {@link #sampleRate()}. */
  public void accept(float[] samples, int offset, int length) {
    stft.accept(samples, offset, length);
  }

  /** Ends the file: transforms the last frames, completes the deferred features and hands on the remaining rows. */
  public void finish() {
    stft.finish();
    finished = true;
    if (!deferred) {
      return;
    }
    double floor = 10.0 * Math.log10(Math.max(AMIN, mel.maxPower())) - TOP_DB;
    float[] out = row.values();
    int mfccAt = row.offset(Feature.MFCC);
    int onsetAt = row.offset(Feature.ONSET);
    spill.replay(out, melPower, keepsRows, index -> {
      for (int m = 0; m < db.length; m++) {
        db[m] = Math.max(Decibels.of(melPower[m]), floor); // power_to_db(ref=1.0, amin=1e-10, top_db=80)
      }
      if (mfcc != null) {
        mfcc.apply(db, out, mfccAt);
      }
      if (onset != null) {
        double strength = onset.next(db);
        if (onsetAt >= 0) {
          out[onsetAt] = (float) strength;
        }
        if (tempo != null) {
          appendEnvelope(strength);
        }
      }
      emit(index);
    });
    if (!keepsRows) {
      spill.discard(); // now, rather than at the next file
    }
    if (tempo != null && envelopeLength > 0) {
      tempoBpm = tempo.estimate(envelope, envelopeLength);
    }
  }

  private void appendEnvelope(double v) {
    if (envelopeLength == envelope.length) {
      envelope = Arrays.copyOf(envelope, Math.max(1024, 2 * envelope.length));
    }
    envelope[envelopeLength++] = v;
  }

  private void emit(long index) {
    row.setIndex(index);
    summaries.add(row.values());
    frames++;
    if (listener != null) {
      listener.onFrame(row);
    }
  }

  /** Frames of the current file handed on so far (all of them after {@link #finish()}). */
  public long frames() {
    return frames;
  }

  /** The layout of the rows the listener receives. */
  public FrameRow rowLayout() {
    return row;
  }

  /**
   * STFTs computed for the current file: 1 once a frame has been transformed, as every spectral feature shares one
   * (0 when only RMS and ZCR are wanted, which need no spectrum).
   */
  public int stftCount() {
    return stft.transforms() > 0 ? 1 : 0;
  }

  /** FFTs of audio frames computed for the current file: {@link #frames()} when one STFT serves every feature. */
  public long fftCount() {
    return stft.transforms();
  }

  /** Mean and population std over the file's frames of each per-frame feature, in {@link Feature} order. */
  public List<FeatureSummary> summaries() {
    requireFinished();
    return summaries.get();
  }

  /** librosa's tempo estimate in BPM, or null when TEMPO is not wanted or the file gave no frame. */
  public Double tempoBpm() {
    requireFinished();
    return tempoBpm;
  }

  private void requireFinished() {
    if (!finished) {
      throw new IllegalStateException("finish() the file first");
    }
  }

  @Override
  public void close() {
    if (ownSpill != null) {
      ownSpill.close();
    }
  }

  /** Running mean and population variance of every value of the row (Welford), in double. */
  private static final class Summaries {
    private final FrameRow layout;
    private final double[] mean;
    private final double[] m2;
    private long n;

    Summaries(FrameRow layout) {
      this.layout = layout;
      this.mean = new double[layout.values().length];
      this.m2 = new double[mean.length];
    }

    void reset() {
      Arrays.fill(mean, 0.0);
      Arrays.fill(m2, 0.0);
      n = 0;
    }

    void add(float[] values) {
      n++;
      double inverse = 1.0 / n;
      for (int i = 0; i < values.length; i++) {
        double x = values[i];
        double delta = x - mean[i];
        mean[i] += delta * inverse;
        m2[i] += delta * (x - mean[i]);
      }
    }

    List<FeatureSummary> get() {
      List<FeatureSummary> out = new ArrayList<>();
      for (Feature f : layout.features()) {
        int at = layout.offset(f);
        float[] mu = new float[f.dimension()];
        float[] sd = new float[f.dimension()];
        for (int i = 0; i < mu.length; i++) {
          mu[i] = n == 0 ? Float.NaN : (float) mean[at + i];
          sd[i] = n == 0 ? Float.NaN : (float) Math.sqrt(m2[at + i] / n);
        }
        out.add(new FeatureSummary(f.id(), mu, sd));
      }
      return out;
    }
  }
}
