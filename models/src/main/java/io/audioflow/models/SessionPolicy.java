package io.audioflow.models;

import java.io.Serializable;

/**
 * How {@link SharedSessions} opens a session.
 *
 * @param device where to run
 * @param requireDevice fail instead of falling back to the CPU when {@code device} is unusable
 * @param intraOpThreads ONNX Runtime intra-op threads (inter-op is always 1)
 * @param memoryPattern ONNX Runtime's memory-pattern optimisation, planned per input shape: on where runs keep one
 *     shape (separation's fixed chunks), off where new shapes keep coming (tagging's last batch of each track:
 *     measured slower, docs/benchmarks.md)
 */
public record SessionPolicy(InferenceDevice device, boolean requireDevice, int intraOpThreads, boolean memoryPattern)
    implements Serializable {

  public SessionPolicy {
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("intraOpThreads must be >= 1, got " + intraOpThreads);
    }
  }

  /** A policy with the memory pattern off, for input shapes that vary. */
  public SessionPolicy(InferenceDevice device, boolean requireDevice, int intraOpThreads) {
    this(device, requireDevice, intraOpThreads, false);
  }

  /**
   * {@code max(1, cores / workerThreads)}: N worker threads each running ONNX Runtime with its own thread pool
   * would otherwise oversubscribe the cores.
   */
  public static int defaultIntraOpThreads(int workerThreads) {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, workerThreads));
  }
}
