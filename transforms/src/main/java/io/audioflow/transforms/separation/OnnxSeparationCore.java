package io.audioflow.transforms.separation;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.audioflow.models.InferenceDevice;
import io.audioflow.models.ModelException;
import io.audioflow.models.ModelStore;
import io.audioflow.models.SeparationManifest;
import io.audioflow.models.SessionPolicy;
import io.audioflow.models.SharedSessions;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@link SeparationCore} on an ONNX Runtime session made by {@code tools/demucs/export_htdemucs.py}. Inputs and
 * outputs live in direct buffers owned here and bound to the session (outputs pinned); the inputs are lent to the
 * caller, so a run copies no tensor at all. Not thread-safe: one per thread (the session itself may be shared).
 */
public final class OnnxSeparationCore implements SeparationCore, AutoCloseable {
  private final OrtSession session;
  private final SeparationGeometry geometry;
  private final SeparationManifest manifest;
  private final Map<Integer, Bound> boundByBatch = new HashMap<>();
  /**
   * One set of buffers for the largest capacity lent; each batch size's tensors view their first chunks, so a track's
   * smaller last batch costs tensor headers, not another set of buffers (tens of MB per chunk for HTDemucs).
   */
  private final ChunkBuffers buffers;

  /** Tensors bound to one batch size, over the first chunks of the shared buffers. */
  private record Bound(FloatBuffer freq, FloatBuffer time, Map<String, OnnxTensor> inputs,
      Map<String, OnnxTensor> outputs) implements AutoCloseable {
    @Override
    public void close() {
      inputs.values().forEach(OnnxTensor::close);
      outputs.values().forEach(OnnxTensor::close);
    }
  }

  /** @throws ModelException naming the ONNX file when the session lacks a tensor the manifest names */
  public OnnxSeparationCore(OrtSession session, SeparationManifest manifest) {
    this.session = session;
    this.manifest = manifest;
    this.geometry = SeparationGeometry.of(manifest);
    this.buffers = new ChunkBuffers(geometry);
    requireTensors(session.getInputNames(), "input", manifest.inputs().mix(), manifest.inputs().spectrogram());
    requireTensors(session.getOutputNames(), "output", manifest.outputs().freq(), manifest.outputs().time());
  }

  private void requireTensors(Set<String> names, String role, SeparationManifest.Tensor... wanted) {
    for (SeparationManifest.Tensor tensor : wanted) {
      if (!names.contains(tensor.name())) {
        throw new ModelException(manifest.onnxUri(), "model " + manifest.name() + " has no " + role + " "
            + tensor.name() + " (manifest " + manifest.uri() + "); its " + role + "s are " + names);
      }
    }
  }

  /**
   * A lease on the JVM-wide shared session of the manifest's model on {@code device}, the model fetched into
   * {@code store}'s cache and verified against the manifest's SHA-256 first: the job, the benchmark and the tests all
   * run what the job runs. An unusable device falls back to the CPU unless {@code requireDevice}
   * ({@link SharedSessions}). Close the lease after the core.
   *
   * @param intraOpThreads ONNX Runtime intra-op threads (0: one per core for a single worker thread)
   * @throws io.audioflow.models.DeviceUnavailableException when the device is unusable and required
   */
  public static SharedSessions.Lease lease(SeparationManifest manifest, ModelStore store, InferenceDevice device,
      boolean requireDevice, int intraOpThreads) {
    Path model = store.fetch(manifest.onnxUri(), manifest.sha256());
    // Chunks have one shape (a batched track's last batch adds at most batch - 1 more): memory patterns pay off.
    SessionPolicy policy = new SessionPolicy(device, requireDevice,
        intraOpThreads > 0 ? intraOpThreads : SessionPolicy.defaultIntraOpThreads(1), true);
    try {
      return SharedSessions.acquire(model, policy);
    } catch (ModelException e) { // names the cached copy: name the file the manifest names
      throw new ModelException(manifest.onnxUri(), "not a loadable ONNX model (manifest " + manifest.uri() + "): "
          + e.getMessage(), e);
    }
  }

  @Override
  public SeparationGeometry geometry() {
    return geometry;
  }

  @Override
  public Inputs inputs(int capacity) {
    if (buffers.mustGrow(capacity)) {
      close(); // the bound tensors view the buffers about to be replaced
    }
    return buffers.inputs(capacity);
  }

  @Override
  public void run(int batch, Outputs outputs) throws SeparationException {
    buffers.requireBatch(batch);
    try {
      Bound bound = boundByBatch.get(batch);
      if (bound == null) {
        bound = bind(batch);
        boundByBatch.put(batch, bound);
      }
      session.run(bound.inputs(), bound.outputs()).close(); // pinned outputs: results are in bound's buffers
      outputs.accept(bound.freq().duplicate().rewind(), bound.time().duplicate().rewind());
    } catch (OrtException e) {
      throw new SeparationException("model " + manifest.name() + " failed on a batch of " + batch + ": "
          + e.getMessage(), e);
    }
  }

  private Bound bind(int batch) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int c = geometry.channels();
    int s = geometry.sources().size();
    FloatBuffer mix = buffers.mix(batch);
    FloatBuffer spectrogram = buffers.spectrogram(batch);
    FloatBuffer freq = buffers.freq(batch);
    FloatBuffer time = buffers.time(batch);
    Map<String, OnnxTensor> inputs = new HashMap<>();
    Map<String, OnnxTensor> outputs = new HashMap<>();
    inputs.put(manifest.inputs().mix().name(),
        OnnxTensor.createTensor(env, mix, new long[] {batch, c, geometry.segment()}));
    inputs.put(manifest.inputs().spectrogram().name(), OnnxTensor.createTensor(env, spectrogram,
        new long[] {batch, 2L * c, geometry.bins(), geometry.frames()}));
    outputs.put(manifest.outputs().freq().name(), OnnxTensor.createTensor(env, freq,
        new long[] {batch, s, 2L * c, geometry.bins(), geometry.frames()}));
    outputs.put(manifest.outputs().time().name(),
        OnnxTensor.createTensor(env, time, new long[] {batch, s, c, geometry.segment()}));
    return new Bound(freq, time, inputs, outputs);
  }

  /** Releases the bound tensors; the session belongs to the caller. */
  @Override
  public void close() {
    boundByBatch.values().forEach(Bound::close);
    boundByBatch.clear();
  }
}
