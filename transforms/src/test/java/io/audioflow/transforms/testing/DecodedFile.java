package io.audioflow.transforms.testing;

import io.audioflow.transforms.analysis.AnalysisException;
import io.audioflow.transforms.audio.PcmBlockListener;
import io.audioflow.transforms.audio.StreamInfo;
import io.audioflow.transforms.decode.AudioDecoder;
import io.audioflow.transforms.decode.DecodeResult;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** Streams a file through the project's decoder, for tests that need real decoded blocks. */
public final class DecodedFile {
  private DecodedFile() {}

  public record Decoded(StreamInfo info, DecodeResult result) {}

  /** Decodes {@code file} into the listener that {@code listenerFor} makes once the stream is known. */
  public static Decoded stream(Path file, Function<StreamInfo, PcmBlockListener> listenerFor)
      throws IOException, AnalysisException {
    try (FileChannel channel = FileChannel.open(file);
        AudioDecoder decoder = AudioDecoder.open(channel, Files.size(file), file.toString())) {
      DecodeResult result = decoder.decode(listenerFor.apply(decoder.info()), Long.MAX_VALUE);
      return new Decoded(decoder.info(), result);
    }
  }
}
