package io.audioflow.transforms.separation;

import io.audioflow.models.InferenceDevice;
import io.audioflow.models.ModelStore;
import io.audioflow.models.SeparationBag;
import io.audioflow.models.SeparationManifest;
import io.audioflow.models.SharedSessions;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SeparationBag} opened: for each member a lease on the JVM-wide shared session of its ONNX file (fetched
 * and checked against its SHA-256 by {@link OnnxSeparationCore#lease}) and a core on it: an
 * {@link OnnxSeparationCore} running the session itself, or, with batches of several chunks, a client of the JVM's
 * {@link ChunkBatcher} for that session, which merges the chunks of every thread's tracks. Not thread-safe, like the
 * cores: one per thread; the sessions and batchers are shared. Closing releases the cores, then the leases.
 */
public final class OnnxSeparationModel implements AutoCloseable {
  private final List<SharedSessions.Lease> leases = new ArrayList<>();
  /** Closes each core (neither kind throws). */
  private final List<Runnable> closers = new ArrayList<>();
  private final SeparationModel model;

  /** The bag on the CPU, one chunk per call. */
  public OnnxSeparationModel(SeparationBag bag, ModelStore store, int intraOpThreads) {
    this(bag, store, InferenceDevice.CPU, false, intraOpThreads, 1, 0);
  }

  /**
   * @param device where the sessions run; an unusable one falls back to the CPU ({@link #device()}) unless
   *     {@code requireDevice}
   * @param intraOpThreads ONNX Runtime intra-op threads of each shared session (0: one per core)
   * @param batchSize chunks per ONNX call; above 1 the chunks of every thread's tracks are merged by the JVM's
   *     {@link ChunkBatcher} for each session
   * @param batchWaitMillis how long a waiting chunk waits for others to fill a batch (0: never)
   * @throws io.audioflow.models.ModelException naming the file when a member is missing, corrupt or not the model
   *     its manifest describes
   * @throws io.audioflow.models.DeviceUnavailableException when the device is unusable and required
   */
  public OnnxSeparationModel(SeparationBag bag, ModelStore store, InferenceDevice device, boolean requireDevice,
      int intraOpThreads, int batchSize, long batchWaitMillis) {
    List<SeparationCore> opened = new ArrayList<>();
    try {
      for (SeparationManifest member : bag.models()) {
        SharedSessions.Lease lease = OnnxSeparationCore.lease(member, store, device, requireDevice, intraOpThreads);
        leases.add(lease);
        if (batchSize > 1) {
          ChunkBatcher.Client client = ChunkBatcher.client(lease.session(), member, batchSize, batchWaitMillis);
          closers.add(client::close);
          opened.add(client);
        } else {
          OnnxSeparationCore core = new OnnxSeparationCore(lease.session(), member);
          closers.add(core::close);
          opened.add(core);
        }
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    model = new SeparationModel(opened, bag.weights());
  }

  public SeparationModel model() {
    return model;
  }

  /** The device the sessions really run on: the CPU after a fallback. */
  public InferenceDevice device() {
    return leases.get(0).device();
  }

  @Override
  public void close() {
    closers.forEach(Runnable::run);
    leases.forEach(SharedSessions.Lease::close);
  }
}
