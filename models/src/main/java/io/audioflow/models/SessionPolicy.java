package io.audioflow.models;

import java.io.Serializable;

/**
 * How {@link SharedSessions} opens a session.
 *
 * @param device where to run
 * @param requireDevice fail instead of falling back to the CPU when {@code device} is unusable
 * @param intraOpThreads ONNX Runtime intra-op threads (inter-op is always 1)
 */
public record SessionPolicy(InferenceDevice device, boolean requireDevice, int intraOpThreads)
    implements Serializable {

  public SessionPolicy {
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("intraOpThreads must be >= 1, got " + intraOpThreads);
    }
  }

  /**
   * {@code max(1, cores / workerThreads)}: N worker threads each running ONNX Runtime with its own thread pool
   * would otherwise oversubscribe the cores.
   */
  public static int defaultIntraOpThreads(int workerThreads) {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, workerThreads));
  }
}
