package io.audioflow.transforms.separation;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The last step of a track separated in spans: each source's parts ({@link StemParts}), read back in span order one
 * block at a time, go through the stem's encoder and its statistics, so the stem file and its loudness, RMS and
 * energy share are those of the whole stem, as the unsplit run gives them. Memory holds one block (and the loudness
 * meter's 100 ms energies), whatever the track's length.
 */
public final class StemAssembler {
  /** Opens span {@code span}'s part of {@code source}. */
  @FunctionalInterface
  public interface Parts {
    ReadableByteChannel open(int span, String source) throws IOException;
  }

  static final int BLOCK_FRAMES = 1 << 14;

  private final List<String> sources;
  private final int sampleRate;
  private final int channels;
  private final StemFormat format;

  public StemAssembler(List<String> sources, int sampleRate, int channels, StemFormat format) {
    this.sources = List.copyOf(sources);
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.format = format;
  }

  /**
   * Writes one stem file per source under {@code directory} from {@code spans} spans' parts; on failure deletes them.
   *
   * @param mixEnergy the model-rate mix's energy over the whole track (each span reports it)
   */
  public List<TrackSeparator.Stem> assemble(Parts parts, int spans, double mixEnergy, Path directory)
      throws IOException {
    List<Path> written = new ArrayList<>();
    try {
      List<TrackSeparator.Stem> stems = new ArrayList<>();
      for (String source : sources) {
        Path file = directory.resolve(source + "." + format.extension());
        written.add(file);
        StemStatistics stats = new StemStatistics(sampleRate, channels);
        try (StemWriter writer = format.open(file, sampleRate, channels)) {
          for (int span = 0; span < spans; span++) {
            try (ReadableByteChannel part = parts.open(span, source)) {
              StemParts.Reader reader = new StemParts.Reader(part, channels, BLOCK_FRAMES);
              for (int frames = reader.read(); frames > 0; frames = reader.read()) {
                writer.write(reader.block(), frames);
                stats.accept(reader.block(), frames);
              }
            }
          }
        }
        stems.add(stats.stem(source, file, mixEnergy));
      }
      return stems;
    } catch (IOException | RuntimeException e) {
      for (Path file : written) {
        Files.deleteIfExists(file);
      }
      throw e;
    }
  }
}
