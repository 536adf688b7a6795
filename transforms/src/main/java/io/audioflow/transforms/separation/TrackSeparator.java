package io.audioflow.transforms.separation;

import io.audioflow.transforms.analysis.AnalysisException;
import io.audioflow.transforms.analysis.ErrorClass;
import io.audioflow.transforms.analysis.TrackDecoder;
import io.audioflow.transforms.audio.StreamInfo;
import io.audioflow.transforms.decode.DecodeResult;
import io.audioflow.transforms.resample.Resampler;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One file in, one local stem file per source out, streamed: decode, Demucs's channel conversion (mono duplicated,
 * extra channels dropped, as {@code demucs.audio.convert_audio_channels}), resampling to the model's rate,
 * {@link ChunkedSeparator}, and per stem an encoder plus its loudness, true peak, RMS and energy. Memory does not
 * grow with the track. A file longer than a span is left to {@link #separateSpan}, one span at a time, whose raw
 * parts {@link StemAssembler} joins. Not thread-safe; reusable across files: the {@link TrackDecoder} (checks,
 * resamplers) and the chunked separator (its buffers) are built once and reset per file.
 */
public final class TrackSeparator implements AutoCloseable {
  /**
   * The file checks are {@code TrackAnalyzer}'s (both read through a {@link TrackDecoder}), so a file either gets
   * stems or its {@code errors} row.
   *
   * @param maxDurationSeconds longer files fail as TOO_LONG
   * @param maxCorruptPackets more corrupt packets fail as DECODE_ERRORS
   */
  public record Settings(
      ChunkedSeparator.Settings chunking, StemFormat format, long maxDurationSeconds, int maxCorruptPackets)
      implements java.io.Serializable {}

  /** One finished stem in a local file; {@code mixEnergyShare} is null when the mix is digital silence. */
  public record Stem(
      String source, Path file, long frames, double durationSeconds, Double integratedLufs, Double truePeakDbtp,
      double rms, Double mixEnergyShare) {}

  /** What {@link #separate(ReadableByteChannel, long, String, Path, double)} did with a file. */
  public sealed interface Outcome permits Result, Split {}

  /** The file separated whole. @param sha256 the input file's hash (the job's track_id) */
  public record Result(String sha256, long frames, List<Stem> stems) implements Outcome {}

  /** The file is longer than a span: nothing was decoded; it is to be separated as {@code spans}. */
  public record Split(List<SeparationSpan> spans) implements Outcome {}

  /**
   * One span separated: its stems' raw parts ({@link StemParts}, one per source, in source order) and what the whole
   * file's decode gave, the same for every span of the file.
   *
   * @param frames the track's length at the model's rate
   * @param mixEnergy the model-rate mix's energy over the whole track
   */
  public record SpanParts(String sha256, long frames, double mixEnergy, List<Path> parts) {}

  private final SeparationModel model;
  private final Settings settings;
  private final TrackDecoder decoder;
  private final ChunkedSeparator separator;

  public TrackSeparator(SeparationModel model, Settings settings) {
    this.model = model;
    this.settings = settings;
    this.decoder = new TrackDecoder(settings.maxDurationSeconds(), settings.maxCorruptPackets());
    this.separator = new ChunkedSeparator(model, settings.chunking());
  }

  /** Seconds of the current file's audio decoded so far; safe to read from any thread. */
  public double decodedSeconds() {
    return decoder.decodedSeconds();
  }

  /** Separates {@code channel} whole into stem files under {@code directory} (named by source). */
  public Result separate(ReadableByteChannel channel, long sizeBytes, String name, Path directory)
      throws AnalysisException, SeparationException, IOException {
    return (Result) separate(channel, sizeBytes, name, directory, 0);
  }

  /**
   * Separates {@code channel} whole into stem files under {@code directory}, or, when its header declares it longer
   * than {@code spanSeconds} (> 0), returns the spans to separate it as instead, having decoded nothing: a short
   * file costs what it did before spans existed. A file that declares no length, or more than the maximum duration
   * (it fails as TOO_LONG), is separated whole.
   */
  public Outcome separate(ReadableByteChannel channel, long sizeBytes, String name, Path directory,
      double spanSeconds) throws AnalysisException, SeparationException, IOException {
    int sources = model.sources().size();
    try (TrackDecoder.OpenFile track = decoder.open(channel, sizeBytes, name)) {
      List<SeparationSpan> spans = spans(track.info(), spanSeconds);
      if (spans.size() > 1) {
        return new Split(spans);
      }
      StemStatistics[] stats = new StemStatistics[sources];
      Arrays.setAll(stats, s -> new StemStatistics(model.sampleRate(), model.channels()));
      List<Path> files = files(directory, settings.format().extension());
      Separated separated = separateInto(track, SeparationSpan.WHOLE, files, settings.format()::open, stats);
      List<Stem> stems = new ArrayList<>();
      for (int s = 0; s < sources; s++) {
        stems.add(stats[s].stem(model.sources().get(s), files.get(s), separated.mixEnergy()));
      }
      return new Result(separated.sha256(), separated.frames(), stems);
    }
  }

  /**
   * Separates {@code span} of {@code channel} into raw parts under {@code directory} ({@code <source>.f32}): the
   * whole file is decoded and resampled (resampling from the start keeps every sample what the unsplit run gives;
   * both cost little next to the model), but only the chunks overlapping the span run.
   */
  public SpanParts separateSpan(ReadableByteChannel channel, long sizeBytes, String name, SeparationSpan span,
      Path directory) throws AnalysisException, SeparationException, IOException {
    try (TrackDecoder.OpenFile track = decoder.open(channel, sizeBytes, name)) {
      List<Path> files = files(directory, StemParts.EXTENSION);
      Separated separated = separateInto(track, span, files, StemParts::writer, null);
      return new SpanParts(separated.sha256(), separated.frames(), separated.mixEnergy(), files);
    }
  }

  /** Model-rate frames per span for {@code spanSeconds}: whole strides of the first core, so spans meet at chunks. */
  long spanFrames(double spanSeconds) {
    int stride = ChunkedSeparator.stride(model.cores().get(0).geometry().segment(), settings.chunking().overlap());
    return Math.max(1, (long) (spanSeconds * model.sampleRate() / stride)) * stride;
  }

  private List<SeparationSpan> spans(StreamInfo info, double spanSeconds) {
    Long declared = info.declaredFrames();
    if (spanSeconds <= 0 || declared == null || declared > settings.maxDurationSeconds() * info.sampleRate()) {
      return List.of(SeparationSpan.WHOLE);
    }
    long modelFrames = (long) Math.ceil(declared * (double) model.sampleRate() / info.sampleRate());
    return SeparationSpan.cut(modelFrames, spanFrames(spanSeconds));
  }

  private List<Path> files(Path directory, String extension) {
    return model.sources().stream().map(source -> directory.resolve(source + "." + extension)).toList();
  }

  /** Opens one stem's writer. */
  @FunctionalInterface
  private interface WriterFactory {
    StemWriter open(Path file, int sampleRate, int channels) throws IOException;
  }

  private record Separated(String sha256, long frames, double mixEnergy) {}

  /**
   * Decodes {@code track} whole and writes {@code span}'s stems to {@code files} (with {@code stats}, when given,
   * fed the same blocks); on failure the files are closed and deleted.
   */
  private Separated separateInto(TrackDecoder.OpenFile track, SeparationSpan span, List<Path> files,
      WriterFactory factory, StemStatistics[] stats) throws AnalysisException, SeparationException, IOException {
    int sources = model.sources().size();
    int channels = model.channels();
    List<StemWriter> writers = new ArrayList<>();
    try {
      StreamInfo info = track.info();
      int[] sourceChannel = channelMap(info.channels(), channels);
      // The input channels the model reads, each resampled once (a mono file's one channel feeds every model channel).
      Resampler[] resamplers =
          decoder.resamplers(info.sampleRate(), model.sampleRate(), Math.min(info.channels(), channels));
      for (Path file : files) {
        writers.add(factory.open(file, model.sampleRate(), channels));
      }
      separator.reset((stems, frames) -> {
        for (int s = 0; s < sources; s++) {
          writers.get(s).write(stems[s], frames);
          if (stats != null) {
            stats[s].accept(stems[s], frames);
          }
        }
      }, span);
      ModelRateInput input = new ModelRateInput(resamplers, sourceChannel, separator);
      double[] mixEnergy = {0};
      DecodeResult decoded;
      try {
        decoded = track.decode((planar, frames) -> input.accept(planar, frames, mixEnergy));
        input.finish(mixEnergy);
        separator.finish();
      } catch (SeparationFailure e) {
        if (e.getCause() instanceof SeparationException se) {
          throw se;
        }
        throw (IOException) e.getCause();
      }
      for (StemWriter w : writers) {
        w.close();
      }
      return new Separated(decoded.sha256(), separator.length(), mixEnergy[0]);
    } catch (AnalysisException | SeparationException | IOException | RuntimeException e) {
      for (StemWriter w : writers) {
        try {
          w.close();
        } catch (IOException | RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
      throw e;
    }
  }

  @Override
  public void close() {
    decoder.close();
  }

  /** Demucs's convert_audio_channels: same count kept, mono duplicated, the first channels of a wider stream. */
  static int[] channelMap(int inputChannels, int modelChannels) throws AnalysisException {
    int[] map = new int[modelChannels];
    if (inputChannels == 1) {
      return map;
    }
    if (inputChannels < modelChannels) {
      throw new AnalysisException(ErrorClass.UNREADABLE, "separate",
          inputChannels + " channels cannot feed a " + modelChannels + "-channel model");
    }
    Arrays.setAll(map, c -> c);
    return map;
  }

  /**
   * Resamples each input channel the model reads to the model rate and hands aligned blocks to the separator, model
   * channel c reading resampled channel {@code sourceChannel[c]}.
   */
  private static final class ModelRateInput {
    private final Resampler[] resamplers;
    private final ChunkedSeparator separator;
    private final float[][] block;
    private final float[][] modelChannels;
    private final int[] sourceChannel;
    private final int[] filled;

    ModelRateInput(Resampler[] resamplers, int[] sourceChannel, ChunkedSeparator separator) {
      this.resamplers = resamplers;
      this.sourceChannel = sourceChannel;
      this.separator = separator;
      this.block = new float[resamplers.length][8192];
      this.modelChannels = new float[sourceChannel.length][];
      this.filled = new int[resamplers.length];
    }

    void accept(float[][] planar, int frames, double[] energy) throws AnalysisException {
      for (int c = 0; c < resamplers.length; c++) {
        int channel = c;
        resamplers[c].accept(planar[c], 0, frames, (samples, offset, length) -> append(channel, samples, offset,
            length));
      }
      flush(energy);
    }

    void finish(double[] energy) throws AnalysisException {
      for (int c = 0; c < resamplers.length; c++) {
        int channel = c;
        resamplers[c].finish((samples, offset, length) -> append(channel, samples, offset, length));
      }
      flush(energy);
    }

    private void append(int channel, float[] samples, int offset, int length) {
      if (block[channel].length < filled[channel] + length) {
        block[channel] = Arrays.copyOf(block[channel], Math.max(2 * block[channel].length, filled[channel] + length));
      }
      System.arraycopy(samples, offset, block[channel], filled[channel], length);
      filled[channel] += length;
    }

    /** Passes the frames every channel has; the identical resamplers keep them in step. */
    private void flush(double[] energy) throws AnalysisException {
      int frames = Arrays.stream(filled).min().orElse(0);
      if (frames == 0) {
        return;
      }
      for (int c = 0; c < modelChannels.length; c++) {
        modelChannels[c] = block[sourceChannel[c]]; // rows may grow between calls
        for (int i = 0; i < frames; i++) {
          energy[0] += (double) modelChannels[c][i] * modelChannels[c][i];
        }
      }
      try {
        separator.accept(modelChannels, frames);
      } catch (SeparationException | IOException e) {
        throw new SeparationFailure(e);
      }
      for (int c = 0; c < block.length; c++) {
        System.arraycopy(block[c], frames, block[c], 0, filled[c] - frames);
        filled[c] -= frames;
      }
    }
  }

  /** Carries a separation failure out of the decoder's listener, which may only throw AnalysisException. */
  static final class SeparationFailure extends RuntimeException {
    SeparationFailure(Exception cause) {
      super(cause);
    }
  }
}
