package io.audioflow.transforms.analysis;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Runs one file's work on a thread of its own within a time budget, so that a call that never returns (a native
 * decoder in a loop, a read from a hung filesystem, a model call) costs the caller one abandoned thread, not its
 * worker. On expiry the work is interrupted (interruptible channels close, the decoder stops between packets) and
 * abandoned: the caller gets TIMEOUT at once and the next call runs on a fresh thread; the abandoned work's
 * resources are released by {@code cleanup} when, if ever, it returns. The resources such work uses must therefore
 * be its own, never shared with the next call's.
 *
 * <p>One instance per worker thread (a DoFn instance). A budget of zero runs the work inline, unbounded.
 */
public final class TimeBudget implements AutoCloseable {
  /** A file's work; {@code stage} is updated as it moves on, so a timeout can say where it was. */
  @FunctionalInterface
  public interface Work<T, E extends Exception> {
    T run(Stage stage) throws E;
  }

  /** Where the work is, for the TIMEOUT message. */
  public static final class Stage {
    private volatile String name;

    Stage(String name) {
      this.name = name;
    }

    public void set(String name) {
      this.name = name;
    }

    public String name() {
      return name;
    }
  }

  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final int RUNNING = 0;
  private static final int DONE = 1;
  private static final int ABANDONED = 2;

  private final long baseNanos;
  private ExecutorService thread;
  private boolean abandoned;

  /** @param seconds the budget per call; 0 for none */
  public TimeBudget(double seconds) {
    if (!(seconds >= 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException("time budget must be finite and >= 0 seconds, got " + seconds);
    }
    this.baseNanos = (long) (seconds * 1e9);
  }

  /** Runs {@code work} within the fixed budget. */
  public <T, E extends Exception> T run(String firstStage, Work<T, E> work, Runnable cleanup)
      throws AnalysisException, E {
    return run(firstStage, work, cleanup, () -> 0);
  }

  /**
   * Runs {@code work} within the budget plus {@code extraNanos}, read again while it runs (a budget that grows
   * with the audio decoded so far).
   *
   * @param cleanup releases what the work used; run by the work's thread when it ends after being abandoned
   * @throws AnalysisException the work's own, or TIMEOUT naming the stage it was in
   */
  @SuppressWarnings("unchecked") // the work throws E or unchecked exceptions only
  public <T, E extends Exception> T run(String firstStage, Work<T, E> work, Runnable cleanup,
      LongSupplier extraNanos) throws AnalysisException, E {
    Stage stage = new Stage(firstStage);
    abandoned = false;
    if (baseNanos == 0) {
      return work.run(stage);
    }
    AtomicInteger state = new AtomicInteger(RUNNING);
    AtomicReference<Thread> runner = new AtomicReference<>();
    Future<T> future = thread().submit(() -> {
      runner.set(Thread.currentThread());
      try {
        return work.run(stage);
      } finally {
        if (!state.compareAndSet(RUNNING, DONE)) {
          cleanup.run(); // abandoned: nobody else will use or release these resources
        }
      }
    });
    long start = System.nanoTime();
    try {
      while (true) {
        long left = start + baseNanos + extraNanos.getAsLong() - System.nanoTime();
        try {
          return future.get(Math.max(0, Math.min(left, 1_000_000_000L)), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          if (left <= 0 && state.compareAndSet(RUNNING, ABANDONED)) {
            abandon(future, runner.get());
            throw new AnalysisException(ErrorClass.TIMEOUT, stage.name(), String.format(
                "abandoned after %.1f s in stage %s (--maxSecondsPerFile)", (System.nanoTime() - start) / 1e9,
                stage.name()));
          }
          // Either budget is left, or the work finished just now: its result is about to be ready.
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Exception checked) {
        throw (E) checked;
      }
      throw new IllegalStateException(cause); // an Error such as OutOfMemoryError: the file fails, not the worker
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (state.compareAndSet(RUNNING, ABANDONED)) {
        abandon(future, runner.get());
      }
      throw new AnalysisException(ErrorClass.INTERNAL, stage.name(), "interrupted while waiting for the file");
    }
  }

  /** Interrupts the work and leaves its thread to it; the next call gets a new thread. */
  private void abandon(Future<?> future, Thread runner) {
    abandoned = true;
    future.cancel(true);
    if (runner != null) {
      runner.interrupt();
    }
    thread.shutdown();
    thread = null;
  }

  /** Whether the last {@link #run} abandoned its work: what that work used is lost to the caller. */
  public boolean abandoned() {
    return abandoned;
  }

  private ExecutorService thread() {
    if (thread == null) {
      thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "audioflow-file-" + THREADS.incrementAndGet());
        t.setDaemon(true); // an abandoned call stuck in native code must not keep the JVM alive
        return t;
      });
    }
    return thread;
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.shutdownNow();
      thread = null;
    }
  }
}
