package io.audioflow.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * What {@code tools/demucs/export_htdemucs.py} writes beside a separation model's ONNX file: the core's geometry
 * (sources in output order, rate, channels, segment, STFT) and its tensor names. The ONNX path is relative to the
 * manifest; both are read through Beam's FileSystems, so any registered filesystem works.
 *
 * @param uri where the manifest was read from (not part of the JSON)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SeparationManifest(
    @JsonProperty("format") String format,
    @JsonProperty("name") String name,
    @JsonProperty("architecture") String architecture,
    @JsonProperty("onnx") String onnx,
    @JsonProperty("sha256") String sha256,
    @JsonProperty("sources") List<String> sources,
    @JsonProperty("sample_rate") int sampleRate,
    @JsonProperty("channels") int channels,
    @JsonProperty("segment_samples") int segmentSamples,
    @JsonProperty("stft") Stft stft,
    @JsonProperty("inputs") Inputs inputs,
    @JsonProperty("outputs") Outputs outputs,
    String uri) {

  public static final String FORMAT = "audioflow-separation/1";

  /** Demucs's spectrogram: {@code bins} = n_fft / 2 (its Nyquist bin dropped), {@code frames} per segment. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Stft(
      @JsonProperty("n_fft") int nFft,
      @JsonProperty("hop_length") int hopLength,
      @JsonProperty("window") String window,
      @JsonProperty("normalized") boolean normalized,
      @JsonProperty("complex_as_channels") boolean complexAsChannels,
      @JsonProperty("bins") int bins,
      @JsonProperty("frames") int frames) {}

  /** A tensor's name and shape; -1 marks the dynamic batch axis. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Tensor(@JsonProperty("name") String name, @JsonProperty("shape") long[] shape) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Inputs(@JsonProperty("mix") Tensor mix, @JsonProperty("spectrogram") Tensor spectrogram) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Outputs(@JsonProperty("freq") Tensor freq, @JsonProperty("time") Tensor time) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

  /** Reads and checks a manifest; a missing or inconsistent field is an {@link IOException} naming it. */
  public static SeparationManifest read(String manifestUri) throws IOException {
    ResourceId resource = FileSystems.matchSingleFileSpec(manifestUri).resourceId();
    SeparationManifest parsed;
    try (InputStream in = Channels.newInputStream(FileSystems.open(resource))) {
      parsed = JSON.readValue(in, SeparationManifest.class);
    } catch (IOException e) {
      throw new IOException("cannot read separation manifest " + manifestUri + ": " + e.getMessage(), e);
    }
    SeparationManifest manifest = parsed.withUri(resource.toString());
    manifest.validate();
    return manifest;
  }

  private SeparationManifest withUri(String newUri) {
    return new SeparationManifest(format, name, architecture, onnx, sha256, sources, sampleRate, channels,
        segmentSamples, stft, inputs, outputs, newUri);
  }

  private void validate() throws IOException {
    require(FORMAT.equals(format), "format is " + format + ", expected " + FORMAT);
    require("htdemucs".equals(architecture), "architecture " + architecture + " is not supported (htdemucs only)");
    require(name != null && !name.isBlank(), "no name");
    require(onnx != null && sha256 != null, "no onnx file or sha256");
    require(sources != null && !sources.isEmpty(), "no sources");
    require(sampleRate > 0 && channels > 0 && segmentSamples > 0, "sample_rate, channels, segment_samples must be > 0");
    require(stft != null && inputs != null && outputs != null, "stft, inputs and outputs are required");
    require(stft.normalized() && stft.complexAsChannels() && "hann".equals(stft.window()),
        "only Demucs's normalised Hann complex-as-channels STFT is supported");
    require(stft.nFft() == 4 * stft.hopLength() && stft.bins() == stft.nFft() / 2,
        "Demucs's STFT has hop n_fft/4 and n_fft/2 bins");
    require(stft.frames() == (segmentSamples + stft.hopLength() - 1) / stft.hopLength(),
        "frames must be ceil(segment / hop)");
    require(inputs.mix() != null && inputs.spectrogram() != null && outputs.freq() != null && outputs.time() != null,
        "tensor names missing");
  }

  private void require(boolean ok, String message) throws IOException {
    if (!ok) {
      throw new IOException("separation manifest " + uri + ": " + message);
    }
  }

  /** The ONNX file's URI, resolved against the manifest's directory. */
  public String onnxUri() {
    ResourceId manifest = FileSystems.matchNewResource(uri, false);
    return manifest.getCurrentDirectory().resolve(onnx, StandardResolveOptions.RESOLVE_FILE).toString();
  }
}
