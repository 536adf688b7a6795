package io.audioflow.models;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ONNX Runtime session per (model file, device, memory pattern) per JVM, shared by every thread and DoFn
 * instance.
 *
 * <p>Usage: {@code try (SharedSessions.Lease lease = SharedSessions.acquire(file, policy)) { lease.session().run(..);
 * }}, or acquire in {@code @Setup} and close in {@code @Teardown}. The first acquire creates the session; each
 * acquire returns a lease; the session closes when its last lease has been closed for
 * {@code audioflow.sessionIdleCloseMillis} (system property, default 30 s; 0 closes at once). The grace period
 * matters because runners set up and tear down DoFn instances at different times (Flink finishes an idle subtask
 * while another is still being deployed): without it a JVM could load the same model again. {@link OrtSession#run}
 * is thread-safe, so leases may be used concurrently. The first acquire's thread settings apply to the shared
 * session.
 *
 * <p>Device policy: when CUDA is asked for but this ONNX Runtime build or machine cannot use it (no CUDA provider, the
 * provider fails to load, or a session does not start on the device while the model loads on the CPU), one WARN line
 * and the CPU, or {@link DeviceUnavailableException} when {@link SessionPolicy#requireDevice()}.
 */
public final class SharedSessions {
  private static final Logger LOG = LoggerFactory.getLogger(SharedSessions.class);

  private record Key(Path model, InferenceDevice device, boolean memoryPattern) {}

  private static final class Entry {
    final OrtSession session;
    final InferenceDevice device;
    int leases;
    ScheduledFuture<?> pendingClose;

    Entry(OrtSession session, InferenceDevice device) {
      this.session = session;
      this.device = device;
    }
  }

  private static final Map<Key, Entry> OPEN = new HashMap<>();
  private static final AtomicLong CREATED = new AtomicLong();
  private static final long IDLE_CLOSE_MILLIS = Long.getLong("audioflow.sessionIdleCloseMillis", 30_000);
  private static final ScheduledExecutorService CLOSER =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "audioflow-session-closer");
        t.setDaemon(true);
        return t;
      });
  /** Devices whose fallback was already logged in this JVM: the warning appears once, not once per session. */
  private static final Set<InferenceDevice> WARNED = ConcurrentHashMap.newKeySet();

  private SharedSessions() {}

  /**
   * A lease on the shared session of {@code model} on the policy's device, creating the session if none is open.
   *
   * @throws ModelException naming the file when ONNX Runtime cannot load it
   * @throws DeviceUnavailableException when the device is unusable and the policy requires it
   */
  public static Lease acquire(Path model, SessionPolicy policy) {
    Key key = new Key(model.toAbsolutePath().normalize(), policy.device(), policy.memoryPattern());
    synchronized (OPEN) {
      Entry entry = OPEN.get(key);
      if (entry == null) {
        entry = create(key.model(), policy);
        OPEN.put(key, entry);
        CREATED.incrementAndGet();
      } else if (policy.requireDevice() && !entry.device.equals(policy.device())) {
        throw new DeviceUnavailableException("inference device " + policy.device() + " is unusable: the open"
            + " session of " + key.model() + " fell back to " + entry.device + "; the device is required", null);
      } else if (entry.pendingClose != null) {
        entry.pendingClose.cancel(false);
        entry.pendingClose = null;
      }
      entry.leases++;
      return new Lease(key, entry);
    }
  }

  /** Sessions created in this JVM since it started (for tests and metrics). */
  public static long sessionsCreated() {
    return CREATED.get();
  }

  /** Sessions open now, including those whose last lease closed less than the grace period ago. */
  public static int openSessions() {
    synchronized (OPEN) {
      return OPEN.size();
    }
  }

  /**
   * The device sessions under {@code policy} will run on, checked without loading a model: the launcher calls it so
   * an unusable required device fails the job before it starts.
   *
   * @throws DeviceUnavailableException when the device is unusable and the policy requires it
   */
  public static InferenceDevice usableDevice(SessionPolicy policy) {
    if (!policy.device().cuda()) {
      return policy.device();
    }
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      return addCuda(options, policy.device(), policy.requireDevice());
    }
  }

  private static Entry create(Path model, SessionPolicy policy) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtException cudaFailure = null;
    try {
      if (policy.device().cuda()) {
        try (OrtSession.SessionOptions options = options(policy)) {
          InferenceDevice device = addCuda(options, policy.device(), policy.requireDevice());
          if (device.cuda()) {
            return new Entry(env.createSession(model.toString(), options), device);
          }
        } catch (OrtException e) {
          // The provider loaded but the session did not start on the device (no such device, driver, memory).
          cudaFailure = e;
        }
      }
      try (OrtSession.SessionOptions options = options(policy)) {
        OrtSession session = env.createSession(model.toString(), options);
        if (cudaFailure != null) { // the model loads on the CPU, so the device was the cause
          try {
            unusable(policy.device(), policy.requireDevice(), "the CUDA session failed: " + cudaFailure.getMessage(),
                cudaFailure);
          } catch (DeviceUnavailableException e) {
            session.close();
            throw e;
          }
        }
        return new Entry(session, InferenceDevice.CPU);
      }
    } catch (OrtException e) {
      throw new ModelException(model.toString(), "ONNX Runtime cannot load the model: " + e.getMessage(), e);
    }
  }

  private static OrtSession.SessionOptions options(SessionPolicy policy) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(policy.intraOpThreads());
    options.setInterOpNumThreads(1);
    options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    options.setMemoryPatternOptimization(policy.memoryPattern());
    return options;
  }

  /** Adds the CUDA provider, or returns {@link InferenceDevice#CPU} after one WARN line when it is unusable. */
  private static InferenceDevice addCuda(OrtSession.SessionOptions options, InferenceDevice device, boolean require) {
    Exception cause = null;
    if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      try {
        options.addCUDA(device.index());
        return device;
      } catch (OrtException | RuntimeException e) {
        cause = e;
      }
    }
    return unusable(device, require,
        cause == null
            ? "this ONNX Runtime build has no CUDA provider (build with -Pgpu for onnxruntime_gpu)"
            : "the CUDA provider failed: " + cause.getMessage(),
        cause);
  }

  /** {@link InferenceDevice#CPU} after one WARN line per device, or the failure when the device is required. */
  private static InferenceDevice unusable(InferenceDevice device, boolean require, String why, Exception cause) {
    if (require) {
      throw new DeviceUnavailableException("inference device " + device + " is unusable: " + why
          + "; not falling back to the CPU because the device is required", cause);
    }
    if (WARNED.add(device)) {
      LOG.warn("Inference device {} is unusable, running on the CPU instead: {}", device, why);
    }
    return InferenceDevice.CPU;
  }

  /** A reference on a shared session; close it exactly when done (closing twice is harmless). */
  public static final class Lease implements AutoCloseable {
    private final Key key;
    private final Entry entry;
    private boolean closed;

    private Lease(Key key, Entry entry) {
      this.key = key;
      this.entry = entry;
    }

    public OrtSession session() {
      if (closed) {
        throw new IllegalStateException("lease on " + key.model() + " is closed");
      }
      return entry.session;
    }

    /** The device the session really runs on (the CPU after a fallback). */
    public InferenceDevice device() {
      return entry.device;
    }

    @Override
    public void close() {
      synchronized (OPEN) {
        if (closed) {
          return;
        }
        closed = true;
        if (--entry.leases == 0) {
          if (IDLE_CLOSE_MILLIS <= 0) {
            closeIfIdle(key, entry);
          } else {
            entry.pendingClose =
                CLOSER.schedule(() -> closeIfIdle(key, entry), IDLE_CLOSE_MILLIS, TimeUnit.MILLISECONDS);
          }
        }
      }
    }
  }

  private static void closeIfIdle(Key key, Entry entry) {
    synchronized (OPEN) {
      if (entry.leases > 0 || OPEN.get(key) != entry) {
        return;
      }
      OPEN.remove(key);
      try {
        entry.session.close();
      } catch (OrtException e) {
        LOG.warn("Closing the session of {} failed: {}", key.model(), e.getMessage());
      }
    }
  }

  /** Waits up to {@code timeoutMillis} for every session to close (tests, and a clean worker shutdown). */
  public static boolean awaitAllClosed(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (openSessions() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }
}
