package io.audioflow.transforms.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.transforms.analysis.AnalysisException;
import io.audioflow.transforms.analysis.ErrorClass;
import io.audioflow.transforms.testing.CorpusTable;
import io.audioflow.transforms.testing.DecodedFile;
import io.audioflow.transforms.testing.SharedTestData;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AudioDecoderTest {

  static Stream<CorpusTable.Entry> synthetic() {
    return CorpusTable.synthetic().stream();
  }

  static DecodedFile.Decoded decode(Path file) throws IOException, AnalysisException {
    return DecodedFile.stream(file, info -> (planar, frames) -> {});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("synthetic")
  void decodesExactSampleCountAndHashesTheBytes(CorpusTable.Entry entry) throws Exception {
    Path file = SharedTestData.resolve("corpus/synthetic/" + entry.file());
    DecodedFile.Decoded d = decode(file);
    assertEquals(entry.frames(), d.result().frames(), "decoded samples per channel");
    assertEquals(entry.sampleRate(), d.info().sampleRate());
    assertEquals(entry.channels(), d.info().channels());
    assertEquals(entry.codec(), d.info().codec());
    assertEquals(entry.container(), d.info().container());
    assertEquals(0, d.result().corruptPackets(), () -> "corruption: " + d.result().firstCorruption());
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    assertEquals(expected, d.result().sha256());
  }

  @Test
  void randomBytesAreUnreadable() {
    AnalysisException e =
        assertThrows(AnalysisException.class, () -> decode(SharedTestData.resolve("corpus/bad/random_bytes.mp3")));
    assertEquals(ErrorClass.UNREADABLE, e.errorClass(), e.getMessage());
  }

  @Test
  void textWithAudioExtensionHasNoAudioStream() {
    AnalysisException e =
        assertThrows(AnalysisException.class, () -> decode(SharedTestData.resolve("corpus/bad/text_named.flac")));
    assertEquals(ErrorClass.UNREADABLE, e.errorClass());
    assertTrue(e.getMessage().contains("no audio stream"), e.getMessage());
  }

  @Test
  void corruptFlacReportsCorruptPackets() throws Exception {
    DecodedFile.Decoded d = decode(SharedTestData.resolve("corpus/bad/corrupt_middle.flac"));
    assertTrue(d.result().corruptPackets() > 0, "CRC errors must be detected");
  }

  @Test
  void headerLengthIsNeverTrusted() throws Exception {
    DecodedFile.Decoded d = decode(SharedTestData.resolve("corpus/bad/header_claims_6h_silence.wav"));
    assertEquals(8000, d.result().frames());
    assertTrue(d.info().declaredFrames() > 6L * 3600 * 8000 - 8000, "the header's claim is reported, not used");
  }

  @Test
  void aDirectoryIsNotAFile() {
    AnalysisException e =
        assertThrows(AnalysisException.class, () -> decode(SharedTestData.resolve("corpus/bad/not_a_file.wav")));
    assertEquals(ErrorClass.NOT_A_FILE, e.errorClass(), e.getMessage());
  }

  @Test
  void tooLongStopsDecoding() {
    AnalysisException e =
        assertThrows(
            AnalysisException.class,
            () -> {
              Path file = SharedTestData.resolve("corpus/synthetic/sine440_s16_44100_mono_5s.wav");
              try (FileChannel channel = FileChannel.open(file);
                  AudioDecoder decoder = AudioDecoder.open(channel, Files.size(file), file.toString())) {
                decoder.decode((planar, frames) -> {}, 44100);
              }
            });
    assertEquals(ErrorClass.TOO_LONG, e.errorClass());
  }
}
