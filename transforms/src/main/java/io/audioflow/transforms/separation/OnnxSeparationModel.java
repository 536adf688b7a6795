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
 * and checked against its SHA-256 by {@link OnnxSeparationCore#lease}) and an {@link OnnxSeparationCore} on it.
 * Not thread-safe, like the cores: one per thread; the sessions are shared. Closing releases the cores, then the
 * leases.
 */
public final class OnnxSeparationModel implements AutoCloseable {
  private final List<SharedSessions.Lease> leases = new ArrayList<>();
  private final List<OnnxSeparationCore> cores = new ArrayList<>();
  private final SeparationModel model;

  /** The bag on the CPU. */
  public OnnxSeparationModel(SeparationBag bag, ModelStore store, int intraOpThreads) {
    this(bag, store, InferenceDevice.CPU, false, intraOpThreads);
  }

  /**
   * @param device where the sessions run; an unusable one falls back to the CPU ({@link #device()}) unless
   *     {@code requireDevice}
   * @param intraOpThreads ONNX Runtime intra-op threads of each shared session (0: one per core)
   * @throws io.audioflow.models.ModelException naming the file when a member is missing, corrupt or not the model
   *     its manifest describes
   * @throws io.audioflow.models.DeviceUnavailableException when the device is unusable and required
   */
  public OnnxSeparationModel(
      SeparationBag bag, ModelStore store, InferenceDevice device, boolean requireDevice, int intraOpThreads) {
    try {
      for (SeparationManifest member : bag.models()) {
        SharedSessions.Lease lease = OnnxSeparationCore.lease(member, store, device, requireDevice, intraOpThreads);
        leases.add(lease);
        cores.add(new OnnxSeparationCore(lease.session(), member));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    model = new SeparationModel(List.copyOf(cores), bag.weights());
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
    cores.forEach(OnnxSeparationCore::close);
    leases.forEach(SharedSessions.Lease::close);
  }
}
