package io.audioflow.transforms.analysis;

import io.audioflow.transforms.audio.PcmBlockListener;
import io.audioflow.transforms.audio.StreamInfo;
import io.audioflow.transforms.decode.AudioDecoder;
import io.audioflow.transforms.decode.DecodeResult;
import io.audioflow.transforms.resample.Resampler;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The front of every step that reads a file (analysis, separation), so a file fails with the same class, stage and
 * message whichever step reads it: one decode pass ({@link AudioDecoder}) whose planar blocks, checked for NaN and
 * infinity, go to the caller's listener (TarsosDSP's dispatcher: one pass, the block arrays reused); TOO_LONG past
 * the maximum duration; DECODE_ERRORS past the corrupt packets allowed and EMPTY after the pass; the file's SHA-256
 * in the result. It also keeps the worker's resamplers by rate pair for the next file (configure once, compute
 * many). One instance per thread.
 */
public final class TrackDecoder implements AutoCloseable {
  private record RatePair(int from, int to) {}

  private final long maxDurationSeconds;
  private final int maxCorruptPackets;
  private final Map<RatePair, List<Resampler>> resamplers = new HashMap<>();
  /** Audio of the current file decoded so far, seconds; read by other threads (a budget that grows with it). */
  private volatile double decodedSeconds;

  /**
   * @param maxDurationSeconds longer files fail as TOO_LONG
   * @param maxCorruptPackets more corrupt packets fail as DECODE_ERRORS
   */
  public TrackDecoder(long maxDurationSeconds, int maxCorruptPackets) {
    this.maxDurationSeconds = maxDurationSeconds;
    this.maxCorruptPackets = maxCorruptPackets;
  }

  /** Opens one file: its stream described, nothing decoded yet. */
  public OpenFile open(ReadableByteChannel channel, long sizeBytes, String name) throws AnalysisException {
    decodedSeconds = 0;
    return new OpenFile(AudioDecoder.open(channel, sizeBytes, name));
  }

  /** Seconds of the current file's audio decoded so far; safe to read from any thread. */
  public double decodedSeconds() {
    return decodedSeconds;
  }

  /**
   * {@code count} resamplers from {@code from} to {@code to} Hz (one per stream of the file that needs those rates),
   * reset for a new file: a failed file may have left samples inside.
   */
  public Resampler[] resamplers(int from, int to, int count) {
    List<Resampler> kept = resamplers.computeIfAbsent(new RatePair(from, to), k -> new ArrayList<>());
    for (int i = 0; i < count; i++) {
      if (i < kept.size()) {
        kept.get(i).reset();
      } else {
        kept.add(new Resampler(from, to));
      }
    }
    return kept.subList(0, count).toArray(Resampler[]::new);
  }

  @Override
  public void close() {
    resamplers.values().forEach(kept -> kept.forEach(Resampler::close));
    resamplers.clear();
  }

  /** One opened file, decoded once. */
  public final class OpenFile implements AutoCloseable {
    private final AudioDecoder decoder;

    private OpenFile(AudioDecoder decoder) {
      this.decoder = decoder;
    }

    public StreamInfo info() {
      return decoder.info();
    }

    /** Decodes the whole file into {@code listener}, each block checked first, and checks what decoded. */
    public DecodeResult decode(PcmBlockListener listener) throws AnalysisException {
      StreamInfo info = decoder.info();
      int channels = info.channels();
      double rate = info.sampleRate();
      DecodeResult decoded = decoder.decode((planar, frames) -> {
        for (int c = 0; c < channels; c++) {
          requireFinite(planar[c], frames);
        }
        listener.onBlock(planar, frames);
        decodedSeconds += frames / rate;
      }, maxDurationSeconds * info.sampleRate());
      requireDecoded(info, decoded);
      return decoded;
    }

    @Override
    public void close() {
      decoder.close();
    }
  }

  private static void requireFinite(float[] samples, int n) throws AnalysisException {
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(samples[i])) {
        throw new AnalysisException(ErrorClass.NON_FINITE, "decode", "decoded samples contain NaN or infinity");
      }
    }
  }

  private void requireDecoded(StreamInfo info, DecodeResult decoded) throws AnalysisException {
    Long declared = info.declaredFrames();
    if (decoded.corruptPackets() > maxCorruptPackets) {
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
  }
}
