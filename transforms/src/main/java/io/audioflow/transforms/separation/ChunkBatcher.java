package io.audioflow.transforms.separation;

import ai.onnxruntime.OrtSession;
import io.audioflow.models.SeparationManifest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-track batching of one model's chunks in one JVM, beside its shared session: every thread's separator hands
 * its batches here through a {@link Client}; when {@code batchSize} chunks wait, or the oldest has waited
 * {@code waitMillis}, the batcher's thread runs them in one ONNX call and hands each caller its own chunks' outputs.
 * The items of a batch are independent, so a chunk's output does not depend on its batch-mates (within float
 * rounding: 1e-6). A caller's batch is never split, and one larger than {@code batchSize} runs alone, so no caller
 * waits for chunks that cannot come. A caller interrupted while waiting (its file's time budget ran out) withdraws
 * its chunks if they have not started; otherwise their outputs land in its own buffers, which nobody reads: the
 * batcher and the other callers go on.
 *
 * <p>One batcher per (session, batch size, wait) per JVM, created by the first {@link #client} and stopped when its
 * last client closes. Costs one thread and one set of bound buffers for {@code batchSize} chunks; each client keeps
 * its own staging buffers for its batches' inputs and outputs.
 */
public final class ChunkBatcher {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkBatcher.class);

  /** What a batcher has run: batches, the chunks in them, and the batches that held several callers' chunks. */
  public record Statistics(long batches, long chunks, long mixedBatches) {}

  private record Key(OrtSession session, int batchSize, long waitMillis) {}

  private static final Map<Key, ChunkBatcher> OPEN = new HashMap<>();

  private final Key key;
  private final OnnxSeparationCore core;
  private final SeparationGeometry geometry;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Submission> queue = new ArrayDeque<>();
  private final Thread thread;
  private int queuedChunks;
  private int clients;
  private boolean stopped;
  private long batches;
  private long chunks;
  private long mixedBatches;

  private enum State { QUEUED, RUNNING, DONE, FAILED }

  /** One caller's batch: its chunks in its client's staging buffers, outputs written back there. */
  private static final class Submission {
    final Client client;
    final int chunks;
    final long arrivalNanos = System.nanoTime();
    State state = State.QUEUED;
    SeparationException failure;

    Submission(Client client, int chunks) {
      this.client = client;
      this.chunks = chunks;
    }
  }

  private ChunkBatcher(Key key, SeparationManifest manifest) {
    this.key = key;
    this.core = new OnnxSeparationCore(key.session(), manifest);
    this.geometry = core.geometry();
    this.thread = new Thread(this::loop, "audioflow-batcher-" + manifest.name());
    thread.setDaemon(true); // a model call that never returns must not keep the JVM alive
    thread.start();
  }

  /**
   * A client of the JVM's batcher for {@code session}'s model (created if none runs); close it when done.
   *
   * @param batchSize chunks per ONNX call (>= 2: at 1 there is nothing to merge, and callers run the session
   *     themselves)
   * @param waitMillis how long the oldest waiting chunk waits for others (0: whatever waits runs at once)
   */
  public static Client client(OrtSession session, SeparationManifest manifest, int batchSize, long waitMillis) {
    Key key = new Key(session, batchSize, waitMillis);
    synchronized (OPEN) {
      ChunkBatcher batcher = OPEN.computeIfAbsent(key, k -> new ChunkBatcher(k, manifest));
      batcher.clients++;
      return batcher.new Client();
    }
  }

  private void release() {
    synchronized (OPEN) {
      if (--clients > 0) {
        return;
      }
      OPEN.remove(key);
    }
    lock.lock();
    try {
      stopped = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!thread.isAlive()) { // else a model call hangs; its thread keeps the bound buffers
      core.close();
    }
    Statistics s = statistics();
    LOG.debug("batcher of {} stopped: {} batches, {} chunks, {} with several callers' chunks", thread.getName(),
        s.batches(), s.chunks(), s.mixedBatches());
  }

  Statistics statistics() {
    lock.lock();
    try {
      return new Statistics(batches, chunks, mixedBatches);
    } finally {
      lock.unlock();
    }
  }

  /** Queues {@code submission} and waits until its outputs are in its client's buffers. */
  private void await(Submission submission) throws SeparationException {
    lock.lock();
    try {
      if (stopped) {
        throw new IllegalStateException("the batcher is stopped");
      }
      queue.add(submission);
      queuedChunks += submission.chunks;
      changed.signalAll();
      while (submission.state == State.QUEUED || submission.state == State.RUNNING) {
        try {
          changed.await();
        } catch (InterruptedException e) {
          if (submission.state == State.QUEUED) {
            queue.remove(submission);
            queuedChunks -= submission.chunks;
          }
          Thread.currentThread().interrupt();
          throw new SeparationException("interrupted while waiting for a batch");
        }
      }
      if (submission.state == State.FAILED) {
        throw new SeparationException(submission.failure.getMessage(), submission.failure);
      }
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    while (true) {
      List<Submission> batch = next();
      if (batch == null) {
        return;
      }
      SeparationException failure = null;
      try {
        run(batch);
      } catch (SeparationException e) {
        failure = e;
      } catch (RuntimeException | Error e) { // fail this batch's callers, not every later one
        failure = new SeparationException("batch failed: " + e, e);
      }
      lock.lock();
      try {
        for (Submission s : batch) {
          s.state = failure == null ? State.DONE : State.FAILED;
          s.failure = failure;
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Waits for a full batch or the oldest submission's deadline and takes the batch; null once stopped. */
  private List<Submission> next() {
    lock.lock();
    try {
      while (!stopped) {
        if (queue.isEmpty()) {
          changed.awaitUninterruptibly();
          continue;
        }
        long left = queue.peek().arrivalNanos + TimeUnit.MILLISECONDS.toNanos(key.waitMillis()) - System.nanoTime();
        if (queuedChunks >= key.batchSize() || left <= 0) {
          return take();
        }
        try {
          changed.awaitNanos(left);
        } catch (InterruptedException e) {
          // Nothing here interrupts this thread; stopping is by the flag, and waiting callers need it running.
        }
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** The oldest submissions that fit one batch (the first always does). Called with the lock held. */
  private List<Submission> take() {
    List<Submission> batch = new ArrayList<>();
    int total = 0;
    while (!queue.isEmpty() && (batch.isEmpty() || total + queue.peek().chunks <= key.batchSize())) {
      Submission s = queue.poll();
      s.state = State.RUNNING;
      total += s.chunks;
      batch.add(s);
    }
    queuedChunks -= total;
    batches++;
    chunks += total;
    Set<Client> callers = Collections.newSetFromMap(new IdentityHashMap<>());
    batch.forEach(s -> callers.add(s.client));
    if (callers.size() > 1) {
      mixedBatches++;
    }
    return batch;
  }

  /** Copies the batch's inputs into the bound buffers, runs them, and copies each caller's outputs back. */
  private void run(List<Submission> batch) throws SeparationException {
    int total = batch.stream().mapToInt(s -> s.chunks).sum();
    SeparationCore.Inputs inputs = core.inputs(Math.max(key.batchSize(), total));
    int wave = geometry.waveSize();
    int spectrogram = geometry.spectrogramSize();
    int slot = 0;
    for (Submission s : batch) {
      inputs.mix().put(slot * wave, s.client.buffers.mix(s.chunks), 0, s.chunks * wave);
      inputs.spectrogram().put(slot * spectrogram, s.client.buffers.spectrogram(s.chunks), 0, s.chunks * spectrogram);
      slot += s.chunks;
    }
    core.run(total, (freq, time) -> {
      int freqSize = geometry.freqSize();
      int timeSize = geometry.sources().size() * wave;
      int at = 0;
      for (Submission s : batch) {
        s.client.buffers.freq(s.chunks).put(0, freq, at * freqSize, s.chunks * freqSize);
        s.client.buffers.time(s.chunks).put(0, time, at * timeSize, s.chunks * timeSize);
        at += s.chunks;
      }
    });
  }

  /**
   * One thread's {@link SeparationCore} on the batcher: lends staging buffers of its own and runs its batches
   * through the batcher. Not thread-safe, like every core.
   */
  public final class Client implements SeparationCore, AutoCloseable {
    private final ChunkBuffers buffers = new ChunkBuffers(geometry);
    private boolean closed;

    private Client() {}

    @Override
    public SeparationGeometry geometry() {
      return geometry;
    }

    @Override
    public Inputs inputs(int capacity) {
      return buffers.inputs(capacity);
    }

    @Override
    public void run(int batch, Outputs outputs) throws SeparationException {
      buffers.requireBatch(batch);
      await(new Submission(this, batch));
      outputs.accept(buffers.freq(batch), buffers.time(batch));
    }

    /** What this client's batcher has run so far (every client of one batcher sees the same). */
    public Statistics statistics() {
      return ChunkBatcher.this.statistics();
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        release();
      }
    }
  }
}
