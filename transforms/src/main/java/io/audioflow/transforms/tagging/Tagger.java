package io.audioflow.transforms.tagging;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.audioflow.models.FrontEnd;
import io.audioflow.models.ModelManifest;
import io.audioflow.models.TensorBuffers;
import io.audioflow.transforms.mel.MelFrameListener;
import io.audioflow.transforms.mel.MelScaling;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tags one track at a time with a patch extractor (MusiCNN-style: input [batch, frames, mels]) and the classifier
 * heads on its embeddings. Mel power frames of its {@link FrontEnd} come in one by one, are scaled
 * {@code log10(1 + 10000 S)}, cut into patches and run in batches as they fill; per-patch outputs are added to
 * running sums, so memory does not grow with the track. Every head runs on each patch's embedding and its
 * probabilities are averaged over patches, as Essentia applies heads.
 *
 * <p>Not thread-safe: one per DoFn instance; the sessions themselves may be shared.
 */
public final class Tagger implements MelFrameListener {
  /** A manifest and the session that runs it. */
  public record Model(ModelManifest manifest, OrtSession session) {}

  private final Model extractor;
  private final List<Model> heads;
  private final int batchSize;
  private final int frames;
  private final int mels;
  private final PatchAssembler assembler;
  private final float[] scaled;
  /**
   * [patches][frames][mels], direct: patches are written here and the extractor reads them in place. It grows with
   * the patches tracks actually give, up to {@code batchSize}: a large batch option costs memory only for tracks
   * long enough to fill it.
   */
  private FloatBuffer batch = TensorBuffers.directFloats(0);
  private int filled;
  private final double[] tagSums;
  private double[] embeddingSums;
  private final double[][] headSums;
  /** Per-patch probabilities of the extractor, then of each head, for the track; null when not kept. */
  private final List<List<float[]>> patchRows;

  /**
   * @param extractor a model with an embeddings output whose input is [batch, frames, mels]
   * @param heads models whose input is the extractor's embedding [batch, dim]
   * @param batchSize patches per extractor run
   * @param hop frames between patch starts
   * @param keepPatches whether to keep each patch's probabilities for {@link Prediction#patchProbabilities()}
   *     (memory: a float per label and patch, about 0.7 MB per hour of audio with a 50-label extractor and a head)
   */
  public Tagger(
      Model extractor, List<Model> heads, int batchSize, int hop, LastPatch lastPatch, boolean keepPatches) {
    ModelManifest m = extractor.manifest();
    if (m.embeddings() == null) {
      throw new IllegalArgumentException(m.name() + ": a patch extractor needs an embeddings output");
    }
    List<Long> shape = m.input().shape();
    if (shape.size() < 2 || shape.get(shape.size() - 1) < 1 || shape.get(shape.size() - 2) < 1) {
      throw new IllegalArgumentException(
          m.manifestUri() + ": input shape " + shape + " does not end in [frames, mels]");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("inference batch size must be >= 1, got " + batchSize);
    }
    this.extractor = extractor;
    this.heads = List.copyOf(heads);
    this.batchSize = batchSize;
    this.frames = Math.toIntExact(shape.get(shape.size() - 2));
    this.mels = Math.toIntExact(shape.get(shape.size() - 1));
    this.assembler = new PatchAssembler(frames, mels, hop, lastPatch, this::onPatch);
    this.scaled = new float[mels];
    this.tagSums = new double[m.labels().size()];
    this.headSums = new double[heads.size()][];
    for (int h = 0; h < heads.size(); h++) {
      headSums[h] = new double[heads.get(h).manifest().labels().size()];
    }
    this.patchRows = keepPatches ? new ArrayList<>() : null;
    for (int i = 0; keepPatches && i <= heads.size(); i++) {
      patchRows.add(new ArrayList<>());
    }
  }

  /** Starts a new track, forgetting the previous one. */
  public void start() {
    assembler.reset();
    filled = 0;
    Arrays.fill(tagSums, 0);
    embeddingSums = null;
    for (double[] sums : headSums) {
      Arrays.fill(sums, 0);
    }
    if (patchRows != null) {
      patchRows.forEach(List::clear);
    }
  }

  @Override
  public void onFrame(double[] melPower) {
    for (int i = 0; i < mels; i++) {
      scaled[i] = (float) MelScaling.LOG10.apply(melPower[i]);
    }
    assembler.add(scaled);
  }

  /** Runs what is left and returns the extractor's prediction, then each head's. */
  public List<Prediction> finish() {
    assembler.finish();
    if (filled > 0) {
      run();
    }
    int patches = assembler.patches();
    List<Prediction> out = new ArrayList<>();
    ModelManifest m = extractor.manifest();
    out.add(new Prediction(m.name(), m.kind(), m.labels(), mean(tagSums, patches), mean(embeddingSums, patches),
        patches, patchRows == null ? null : List.copyOf(patchRows.get(0))));
    for (int h = 0; h < heads.size(); h++) {
      ModelManifest head = heads.get(h).manifest();
      out.add(new Prediction(head.name(), head.kind(), head.labels(), mean(headSums[h], patches), null, patches,
          patchRows == null ? null : List.copyOf(patchRows.get(h + 1))));
    }
    return out;
  }

  private void onPatch(float[] patch) {
    if (batch.capacity() < (filled + 1) * patch.length) {
      FloatBuffer grown = TensorBuffers.directFloats(Math.min(batchSize, 2 * filled + 1) * patch.length);
      batch = grown.put(0, batch, 0, filled * patch.length);
    }
    batch.put(filled * patch.length, patch);
    if (++filled == batchSize) {
      run();
    }
  }

  private void run() {
    ModelManifest m = extractor.manifest();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int n = filled;
    filled = 0;
    try (OnnxTensor input = OnnxTensor.createTensor(
            env, batch.slice(0, n * frames * mels), new long[] {n, frames, mels});
        OrtSession.Result result =
            extractor.session().run(
                Map.of(m.input().name(), input), Set.of(m.predictions().name(), m.embeddings().name()))) {
      FloatBuffer tags = values(result, m.predictions().name(), m, n, tagSums.length);
      FloatBuffer embeddings = values(result, m.embeddings().name(), m, n, -1);
      int dim = embeddings.remaining() / n;
      if (embeddingSums == null) {
        embeddingSums = new double[dim];
      }
      add(tagSums, tags, n);
      keep(0, tags, n);
      add(embeddingSums, embeddings, n);
      if (!heads.isEmpty()) {
        runHeads((OnnxTensor) result.get(m.embeddings().name()).orElseThrow(), n);
      }
    } catch (OrtException e) {
      throw new IllegalStateException(m.name() + ": inference failed: " + e.getMessage(), e);
    }
  }

  /**
   * Runs every head on the extractor's own embeddings tensor, still open in its result: ONNX Runtime reads it in
   * place, so the heads copy nothing.
   */
  private void runHeads(OnnxTensor embeddings, int n) throws OrtException {
    long[] shape = embeddings.getInfo().getShape();
    if (shape.length != 2) {
      throw new IllegalStateException(extractor.manifest().manifestUri() + ": embeddings output has shape "
          + Arrays.toString(shape) + "; heads read [" + n + ", dim]");
    }
    for (int h = 0; h < heads.size(); h++) {
      ModelManifest head = heads.get(h).manifest();
      try (OrtSession.Result probabilities =
          heads.get(h).session().run(Map.of(head.input().name(), embeddings), Set.of(head.predictions().name()))) {
        FloatBuffer rows = values(probabilities, head.predictions().name(), head, n, headSums[h].length);
        add(headSums[h], rows, n);
        keep(h + 1, rows, n);
      }
    }
  }

  /**
   * The output's values, row-major from position 0 (ONNX Runtime's copy of the tensor), checking it has
   * {@code width} columns per patch (any when negative).
   */
  private static FloatBuffer values(OrtSession.Result result, String name, ModelManifest m, int n, int width) {
    FloatBuffer values = ((OnnxTensor) result.get(name).orElseThrow()).getFloatBuffer();
    int count = values.remaining();
    if (count % n != 0 || (width >= 0 && count != n * width)) {
      throw new IllegalStateException(m.manifestUri() + ": output " + name + " has " + count
          + " values for " + n + " patches; the manifest lists " + width + " labels");
    }
    return values;
  }

  /** Keeps each of the {@code n} patches' rows for model {@code slot} (0: the extractor) when asked to. */
  private void keep(int slot, FloatBuffer rows, int n) {
    if (patchRows != null) {
      int width = rows.remaining() / n;
      for (int r = 0; r < n; r++) {
        float[] row = new float[width];
        rows.get(r * width, row);
        patchRows.get(slot).add(row);
      }
    }
  }

  private static void add(double[] sums, FloatBuffer rows, int n) {
    int width = sums.length;
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < width; i++) {
        sums[i] += rows.get(r * width + i);
      }
    }
  }

  private static float[] mean(double[] sums, int count) {
    if (sums == null || count == 0) {
      return null;
    }
    float[] mean = new float[sums.length];
    for (int i = 0; i < sums.length; i++) {
      mean[i] = (float) (sums[i] / count);
    }
    return mean;
  }
}
