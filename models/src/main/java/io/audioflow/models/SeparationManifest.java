package io.audioflow.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.List;

/**
 * What {@code tools/demucs/export_htdemucs.py} writes beside a separation model's ONNX file: the core's geometry
 * (sources in output order, rate, channels, segment, STFT) and its tensor names. The JSON fields are the components'
 * names in snake case. The ONNX path is relative to the manifest; both are read through Beam's FileSystems, so any
 * registered filesystem works. A bag of several cores ({@link SeparationBag}) holds one of these per core.
 *
 * @param sha256 the ONNX file's SHA-256, hex (kept in lowercase)
 * @param uri where the manifest was read from (not part of the JSON); a bag's members carry the bag's
 */
public record SeparationManifest(
    String format,
    String name,
    String architecture,
    String onnx,
    String sha256,
    List<String> sources,
    int sampleRate,
    int channels,
    int segmentSamples,
    Stft stft,
    Inputs inputs,
    Outputs outputs,
    String uri) implements Serializable {

  public static final String FORMAT = "audioflow-separation/1";
  /** The only architecture the Java STFT and the exported core split support. */
  public static final String HTDEMUCS = "htdemucs";

  /** Demucs's spectrogram: {@code bins} = n_fft / 2 (its Nyquist bin dropped), {@code frames} per segment. */
  public record Stft(
      int nFft, int hopLength, String window, boolean normalized, boolean complexAsChannels, int bins, int frames)
      implements Serializable {}

  /** A tensor's name and shape; -1 marks the dynamic batch axis. */
  public record Tensor(String name, long[] shape) implements Serializable {}

  public record Inputs(Tensor mix, Tensor spectrogram) implements Serializable {}

  public record Outputs(Tensor freq, Tensor time) implements Serializable {}

  public SeparationManifest {
    sha256 = Sha256.normalized(sha256);
  }

  /** Reads and checks a manifest; an unreadable file or a missing or inconsistent field is a {@link ModelException}. */
  public static SeparationManifest read(String manifestUri) {
    return parse(ManifestFile.read(manifestUri, "separation manifest"), manifestUri, "");
  }

  /**
   * One core's manifest from {@code node}, checked.
   *
   * @param where prefixes messages: "" for a manifest file of its own, {@code "models[i]: "} for a bag's member
   */
  static SeparationManifest parse(JsonNode node, String manifestUri, String where) {
    String format = node.path("format").asText(null);
    if (!FORMAT.equals(format)) {
      throw new ModelException(manifestUri, "separation manifest: " + where + "format is " + format + ", expected "
          + FORMAT + (SeparationBag.FORMAT.equals(format) && !where.isEmpty() ? " (a bag cannot be a member of a bag)"
          : ""));
    }
    SeparationManifest parsed;
    try {
      parsed = ManifestFile.JSON.treeToValue(node, SeparationManifest.class);
    } catch (JsonProcessingException e) {
      String member = where.isEmpty() ? "" : " " + where.substring(0, where.length() - 2); // "models[i]"
      String at = e instanceof JsonMappingException mapping ? " at " + mapping.getPathReference() : "";
      throw new ModelException(manifestUri,
          "cannot read separation manifest" + member + at + ": " + e.getOriginalMessage(), e);
    }
    SeparationManifest manifest = parsed.withUri(manifestUri);
    manifest.validate(where);
    return manifest;
  }

  private SeparationManifest withUri(String newUri) {
    return new SeparationManifest(format, name, architecture, onnx, sha256, sources, sampleRate, channels,
        segmentSamples, stft, inputs, outputs, newUri);
  }

  private void validate(String where) {
    require(HTDEMUCS.equals(architecture), where, "architecture " + architecture + " is not supported: "
        + SeparationBag.SUPPORTED);
    require(name != null && !name.isBlank(), where, "no name");
    require(onnx != null && sha256 != null, where, "no onnx file or sha256");
    require(sources != null && !sources.isEmpty(), where, "no sources");
    require(sampleRate > 0 && channels > 0 && segmentSamples > 0, where,
        "sample_rate, channels, segment_samples must be > 0");
    require(stft != null && inputs != null && outputs != null, where, "stft, inputs and outputs are required");
    require(stft.normalized() && stft.complexAsChannels() && "hann".equals(stft.window()), where,
        "only Demucs's normalised Hann complex-as-channels STFT is supported");
    require(stft.nFft() == 4 * stft.hopLength() && stft.bins() == stft.nFft() / 2, where,
        "Demucs's STFT has hop n_fft/4 and n_fft/2 bins");
    require(stft.frames() == (segmentSamples + stft.hopLength() - 1) / stft.hopLength(), where,
        "frames must be ceil(segment / hop)");
    require(inputs.mix() != null && inputs.spectrogram() != null && outputs.freq() != null && outputs.time() != null,
        where, "tensor names missing");
  }

  private void require(boolean ok, String where, String message) {
    if (!ok) {
      throw new ModelException(uri, "separation manifest: " + where + message);
    }
  }

  /** The ONNX file's URI, resolved against the manifest's directory unless absolute. */
  public String onnxUri() {
    return ManifestFile.resolve(uri, onnx);
  }
}
