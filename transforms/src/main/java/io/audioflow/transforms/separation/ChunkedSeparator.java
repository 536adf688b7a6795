package io.audioflow.transforms.separation;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Demucs's {@code apply_model} over a stream, at the model's rate and channel count: chunks of the model's segment
 * every {@code (1 - overlap) * segment} samples; a chunk running past the end is padded as
 * {@code TensorChunk.padded} pads it (centred, reading real neighbouring samples, zeros beyond the track); the
 * chunk's output, centre-trimmed, is overlap-added with the triangular weights and divided by their sum. With
 * {@code shifts} > 0 the track is run that many times, each delayed by a random 0..0.5 s as Demucs does, and the
 * passes are averaged. Each chunk's spectrogram and inverse go through {@link DemucsStft}; the model output is
 * the inverse of the frequency branch plus the time branch.
 *
 * <p>A bag of several cores ({@link SeparationModel}) runs as {@code apply_model} runs a {@code BagOfModels}: each
 * core over the same mix with its own segment, stride and (with shifts) its own random delays, its shift-averaged
 * stems weighted per source and divided by the source's sum of weights.
 *
 * <p>Stems are handed to the listener as soon as every chunk that overlaps them has run, so memory holds a few
 * segments (plus the batch) per core, whatever the track length. Up to {@code batchSize} chunks go into one core call.
 * Each chunk is written once, straight into the core's lent input buffer, and its spectrogram is computed from there.
 *
 * <p>Built once per worker thread and {@link #reset} per track: the buffers are kept, nothing else carries over, so a
 * track's stems are the same whatever ran before it.
 *
 * <p>A {@link SeparationSpan} limits a track's run to the positions {@code [from, to)}: the separator still reads the
 * whole track, but runs only the chunks that overlap the span (each chunk's output depends on its own input only)
 * and hands over only the span's positions, which are therefore what a run over the whole track hands over there.
 */
public final class ChunkedSeparator {
  /** Receives finished stems: {@code stems[source][channel][0..frames)}; the arrays are reused after the call. */
  @FunctionalInterface
  public interface StemListener {
    void onStems(float[][][] stems, int frames) throws IOException;
  }

  /**
   * @param overlap fraction of the segment shared by consecutive chunks, in [0, 1) (Demucs: 0.25)
   * @param shifts random time shifts averaged (Demucs's CLI: 1; 0 is deterministic and fastest)
   * @param batchSize chunks per core call (>= 1)
   * @param seed seeds the shifts
   */
  public record Settings(double overlap, int shifts, int batchSize, long seed) implements java.io.Serializable {
    public Settings {
      if (!(overlap >= 0 && overlap < 1)) {
        throw new IllegalArgumentException("overlap must be in [0, 1): " + overlap);
      }
      if (shifts < 0 || batchSize < 1) {
        throw new IllegalArgumentException("shifts must be >= 0 and batchSize >= 1: " + shifts + ", " + batchSize);
      }
    }

    public static Settings defaults() {
      return new Settings(0.25, 0, 1, 0);
    }
  }

  /**
   * One core of the bag with its own chunking ({@code apply_model} runs each sub-model on its own), its batch, and
   * its passes.
   */
  private final class Member {
    final SeparationCore core;
    final int segment;
    final int stride;
    final float[] weight;
    final DemucsStft stft;
    final float[] chunkOut;
    /** Per source: this core's weight over the source's sum of weights. */
    final float[] share;
    final List<Pass> passes = new ArrayList<>();
    final List<Chunk> pending = new ArrayList<>();
    /** The core's input buffers, asked for at each batch's first chunk (a larger lease elsewhere replaces them). */
    SeparationCore.Inputs batchInputs;
    /**
     * Chunks the current batch's inputs hold: 1 at first, doubled after each full batch up to the batch size, so the
     * buffers (tens of MB per chunk for the full model) follow the chunks tracks give, not the option.
     */
    int capacity;

    Member(SeparationModel model, int index, Settings settings) {
      SeparationGeometry g = model.cores().get(index).geometry();
      this.core = model.cores().get(index);
      this.segment = g.segment();
      this.stride = stride(segment, settings.overlap());
      if (stride < 1) {
        throw new IllegalArgumentException("overlap " + settings.overlap() + " leaves no stride");
      }
      this.weight = triangularWeights(segment);
      this.stft = new DemucsStft(g.nFft(), segment);
      this.chunkOut = new float[segment];
      this.share = new float[sources];
      for (int s = 0; s < sources; s++) {
        share[s] = (float) model.share(index, s);
      }
    }
  }

  /**
   * One run of a core over each track, delayed by {@code delay} samples (Demucs's shift trick: every track gets the
   * delays the seed gives, as a separator of its own would); 0 when not shifting.
   */
  private final class Pass {
    final Member member;
    final int delay;
    /** Weighted stems by track position, row source * channels + channel. */
    final SlidingBuffer sum;
    final SlidingBuffer weightSum;
    int nextChunk;
    int appliedChunks;

    Pass(Member member, int delay) {
      this.member = member;
      this.delay = delay;
      this.sum = new SlidingBuffer(sources * channels, 2 * member.segment);
      this.weightSum = new SlidingBuffer(1, 2 * member.segment);
    }

    /** Track positions before this are final in this pass. */
    long finalEnd() {
      return finished && appliedChunks == chunkCount(this) ? length : (long) appliedChunks * member.stride - delay;
    }
  }

  /** A chunk waiting in its core's batch. */
  private record Chunk(Pass pass, int index, int length) {}

  private final int sources;
  private final int channels;
  private final int batchSize;
  private final List<Member> members = new ArrayList<>();
  private final List<Pass> passes = new ArrayList<>();
  private final SlidingBuffer input;
  private float[][][] emitBlock = new float[0][0][0];
  private StemListener listener;
  private long length; // samples received so far; the track's length once finished
  private long emitted;
  private SeparationSpan span = SeparationSpan.WHOLE;
  private boolean finished = true; // no track until reset starts one

  /** A separator for tracks to come, each started with {@link #reset}. */
  public ChunkedSeparator(SeparationModel model, Settings settings) {
    this.sources = model.sources().size();
    this.channels = model.channels();
    this.batchSize = settings.batchSize();
    int maxShift = (int) (0.5 * model.sampleRate());
    // One generator for the bag: each core draws its own delays after the previous core's, as Python's random does.
    Random random = new Random(settings.seed());
    int longest = 0;
    for (int m = 0; m < model.cores().size(); m++) {
      Member member = new Member(model, m, settings);
      members.add(member);
      longest = Math.max(longest, member.segment);
      if (settings.shifts() == 0) {
        member.passes.add(new Pass(member, 0));
      } else {
        for (int i = 0; i < settings.shifts(); i++) {
          member.passes.add(new Pass(member, maxShift - random.nextInt(maxShift + 1)));
        }
      }
      passes.addAll(member.passes);
    }
    this.input = new SlidingBuffer(channels, 2 * longest);
  }

  /** A separator for one track, its stems going to {@code listener}. */
  public ChunkedSeparator(SeparationModel model, Settings settings, StemListener listener) {
    this(model, settings);
    reset(listener);
  }

  /**
   * Starts a new track whose stems go to {@code listener}, dropping whatever the last one left (a failed track
   * included), so each track gets what a new separator gives it.
   */
  public void reset(StemListener listener) {
    reset(listener, SeparationSpan.WHOLE);
  }

  /** Starts a new track of which only {@code span}'s positions are separated and handed to {@code listener}. */
  public void reset(StemListener listener, SeparationSpan span) {
    this.listener = listener;
    this.span = span;
    for (Member member : members) {
      member.pending.clear();
      member.batchInputs = null;
      member.capacity = 1; // batches grow again as a new separator's do
      for (Pass pass : member.passes) {
        pass.sum.clear();
        pass.weightSum.clear();
        // Positions before the span are never summed: the window starts there.
        pass.sum.dropBefore(span.from());
        pass.weightSum.dropBefore(span.from());
        pass.nextChunk = 0;
        pass.appliedChunks = 0;
      }
    }
    input.clear();
    length = 0;
    emitted = span.from();
    finished = false;
  }

  /** Samples between consecutive chunks' starts, as apply_model computes it. */
  static int stride(int segment, double overlap) {
    return (int) ((1 - overlap) * segment);
  }

  /** Demucs's weights: 1..segment/2 then back down to 1, divided by their maximum. */
  static float[] triangularWeights(int segment) {
    float[] w = new float[segment];
    int half = segment / 2;
    float max = Math.max(half, segment - half);
    for (int i = 0; i < half; i++) {
      w[i] = (i + 1) / max;
    }
    for (int i = half; i < segment; i++) {
      w[i] = (segment - i) / max;
    }
    return w;
  }

  /** Feeds {@code frames} samples per channel at the model's rate ({@code planar.length} == model channels). */
  public void accept(float[][] planar, int frames) throws SeparationException, IOException {
    if (finished) {
      throw new IllegalStateException("no track in progress: reset starts one");
    }
    if (planar.length != channels) {
      throw new IllegalArgumentException("expected " + channels + " channels, got " + planar.length);
    }
    input.append(planar, frames);
    length += frames;
    schedule();
  }

  /** Runs the remaining chunks and hands over the last stems. */
  public void finish() throws SeparationException, IOException {
    finished = true;
    schedule();
    for (Member member : members) {
      if (!member.pending.isEmpty()) {
        runBatch(member);
      }
    }
    emit();
  }

  public long length() {
    return length;
  }

  private int chunkCount(Pass pass) {
    long shiftedLength = length + pass.delay;
    int stride = pass.member.stride;
    return length == 0 ? 0 : (int) ((shiftedLength + stride - 1) / stride);
  }

  private void schedule() throws SeparationException, IOException {
    boolean progressed = true;
    while (progressed) {
      progressed = false;
      for (Pass pass : passes) {
        Member member = pass.member;
        long chunkStart = (long) pass.nextChunk * member.stride; // in the pass's delayed time
        boolean full = chunkStart + member.segment - pass.delay <= length;
        if (pastSpan(pass)) {
          continue;
        }
        if (full || (finished && pass.nextChunk < chunkCount(pass))) {
          int chunkLength = (int) Math.min(member.segment, length + pass.delay - chunkStart);
          progressed = true;
          if (chunkStart + chunkLength - pass.delay <= span.from()) {
            pass.nextChunk++; // ends before the span: nothing of it is handed over
            pass.appliedChunks++;
            continue;
          }
          prepare(new Chunk(pass, pass.nextChunk, chunkLength));
          pass.nextChunk++;
          if (member.pending.size() == member.capacity) {
            runBatch(member);
          }
        }
      }
    }
    long keepFrom = length; // a pass done with the span keeps no input
    for (Pass pass : passes) {
      if (!pastSpan(pass)) {
        keepFrom = Math.min(keepFrom,
            (long) pass.nextChunk * pass.member.stride - pass.member.segment - pass.delay);
      }
    }
    input.dropBefore(keepFrom);
  }

  /** Whether the pass's next chunk starts at or after the span's end, so the pass has run every chunk it needs. */
  private boolean pastSpan(Pass pass) {
    return (long) pass.nextChunk * pass.member.stride - pass.delay >= span.to();
  }

  /** Writes the chunk's padded input into its core's lent batch inputs and computes its spectrogram from there. */
  private void prepare(Chunk chunk) {
    Member member = chunk.pass().member;
    int segment = member.segment;
    int slot = member.pending.size();
    if (slot == 0) {
      member.batchInputs = member.core.inputs(member.capacity);
    }
    FloatBuffer mix = member.batchInputs.mix();
    DemucsStft stft = member.stft;
    long first = (long) chunk.index() * member.stride - (segment - chunk.length()) / 2 - chunk.pass().delay;
    for (int c = 0; c < channels; c++) {
      float[] row = input.row(c);
      int base = (slot * channels + c) * segment;
      for (int i = 0; i < segment; i++) {
        long position = first + i;
        mix.put(base + i, position >= input.start() && position < input.end() ? row[input.index(position)] : 0f);
      }
      stft.forward(mix, base, c, member.batchInputs.spectrogram(), slot * 2 * channels * stft.bins() * stft.frames());
    }
    member.pending.add(chunk);
  }

  private void runBatch(Member member) throws SeparationException, IOException {
    List<Chunk> pending = member.pending;
    int batch = pending.size();
    member.core.run(batch, (freq, time) -> {
      int spectrogramSize = 2 * channels * member.stft.bins() * member.stft.frames();
      for (int b = 0; b < batch; b++) {
        addChunk(pending.get(b), freq, time, b, spectrogramSize);
      }
    });
    pending.clear();
    if (batch == member.capacity) {
      member.capacity = Math.min(batchSize, 2 * member.capacity);
    }
    emit();
  }

  private void addChunk(Chunk chunk, FloatBuffer freq, FloatBuffer time, int slot, int spectrogramSize) {
    Pass pass = chunk.pass();
    Member member = pass.member;
    int segment = member.segment;
    float[] chunkOut = member.chunkOut;
    float[] weight = member.weight;
    int trim = (segment - chunk.length()) / 2; // center_trim of the padded chunk's output
    long chunkStart = (long) chunk.index() * member.stride - pass.delay; // track position of the chunk's sample 0
    long from = Math.max(chunkStart, Math.max(emitted, 0)); // earlier positions: shift padding or already out
    long to = chunkStart + chunk.length();
    if (to <= from) {
      pass.appliedChunks++;
      return;
    }
    pass.sum.extendTo(to);
    pass.weightSum.extendTo(to);
    float[] weights = pass.weightSum.row(0);
    for (int s = 0; s < sources; s++) {
      for (int c = 0; c < channels; c++) {
        int timeBase = ((slot * sources + s) * channels + c) * segment;
        for (int i = 0; i < segment; i++) {
          chunkOut[i] = time.get(timeBase + i);
        }
        member.stft.inverseAdd(freq, (slot * sources + s) * spectrogramSize, c, chunkOut, 0);
        float[] row = pass.sum.row(s * channels + c);
        for (long p = from; p < to; p++) {
          int j = (int) (p - chunkStart);
          row[pass.sum.index(p)] += weight[j] * chunkOut[trim + j];
        }
      }
    }
    for (long p = from; p < to; p++) {
      weights[pass.weightSum.index(p)] += weight[(int) (p - chunkStart)];
    }
    pass.appliedChunks++;
  }

  /**
   * Hands over every position that all passes have finished: per core the average over its passes, times its
   * share of each source.
   */
  private void emit() throws IOException {
    long ready = Math.min(length, span.to());
    for (Pass pass : passes) {
      ready = Math.min(ready, pass.finalEnd());
    }
    while (emitted < ready) {
      int n = (int) Math.min(ready - emitted, 65536);
      if (emitBlock.length == 0 || emitBlock[0][0].length < n) {
        emitBlock = new float[sources][channels][n];
      }
      for (float[][] source : emitBlock) {
        for (float[] channel : source) {
          java.util.Arrays.fill(channel, 0, n, 0f);
        }
      }
      for (Pass pass : passes) {
        float[] weights = pass.weightSum.row(0);
        int passCount = pass.member.passes.size();
        for (int s = 0; s < sources; s++) {
          float share = pass.member.share[s];
          for (int c = 0; c < channels; c++) {
            float[] row = pass.sum.row(s * channels + c);
            float[] out = emitBlock[s][c];
            for (int i = 0; i < n; i++) {
              int k = pass.sum.index(emitted + i);
              out[i] += row[k] / weights[pass.weightSum.index(emitted + i)] / passCount * share;
            }
          }
        }
      }
      listener.onStems(emitBlock, n);
      emitted += n;
    }
    // Once per call, not per block: each drop shifts the whole window.
    for (Pass pass : passes) {
      pass.sum.dropBefore(emitted);
      pass.weightSum.dropBefore(emitted);
    }
  }
}
