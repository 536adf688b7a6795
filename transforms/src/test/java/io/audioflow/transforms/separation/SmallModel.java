package io.audioflow.transforms.separation;

import io.audioflow.models.InferenceDevice;
import io.audioflow.models.ModelStore;
import io.audioflow.models.SeparationManifest;
import io.audioflow.models.SharedSessions;
import io.audioflow.transforms.testing.Npy;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** The committed small HTDemucs (tools/demucs/export_htdemucs.py, seeded) and its PyTorch references. */
final class SmallModel {
  static final Path DIR = resource("separation");
  static final Path MANIFEST = DIR.resolve("htdemucs-small.json");
  static final Path REFERENCE = DIR.resolve("htdemucs-small-reference");

  private SmallModel() {}

  static SeparationManifest manifest() throws IOException {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    return SeparationManifest.read(MANIFEST.toString());
  }

  /** The shared session, as the job leases it (a verified copy in the model cache {@code cache}). */
  static SharedSessions.Lease lease(SeparationManifest manifest, Path cache, int threads) throws IOException {
    return OnnxSeparationCore.lease(manifest, new ModelStore(cache), InferenceDevice.CPU, false, threads);
  }

  static Npy reference(String name) throws IOException {
    return Npy.read(REFERENCE.resolve(name + ".npy"));
  }

  private static Path resource(String name) {
    try {
      return Path.of(SmallModel.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
