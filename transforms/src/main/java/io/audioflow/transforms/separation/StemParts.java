package io.audioflow.transforms.separation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A span's stem part: the span's frames as interleaved 32-bit little-endian floats, no header (the span and the
 * model say the rest). Lossless, so the assembled stem is what the unsplit run encodes.
 */
public final class StemParts {
  public static final String EXTENSION = "f32";

  private StemParts() {}

  static StemWriter writer(Path file, int sampleRate, int channels) throws IOException {
    return new RawFloatStemWriter(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING), channels);
  }

  /** Reads a part back one block at a time: the reader holds one block, whatever the part's length. */
  static final class Reader {
    private final ReadableByteChannel in;
    private final int channels;
    private final ByteBuffer bytes;
    private final float[][] planar;

    Reader(ReadableByteChannel in, int channels, int blockFrames) {
      this.in = in;
      this.channels = channels;
      this.bytes = ByteBuffer.allocate(blockFrames * channels * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      this.planar = new float[channels][blockFrames];
    }

    /** The block {@link #read} fills, [channel][frame]. */
    float[][] block() {
      return planar;
    }

    /** Fills {@link #block} with the next frames; returns how many, 0 at the end. */
    int read() throws IOException {
      bytes.clear();
      while (bytes.hasRemaining() && in.read(bytes) >= 0) {
        // a channel may return fewer bytes than asked for
      }
      bytes.flip();
      int frameBytes = channels * Float.BYTES;
      if (bytes.remaining() % frameBytes != 0) {
        throw new IOException("stem part ends inside a frame: " + bytes.remaining() % frameBytes + " stray bytes");
      }
      int frames = bytes.remaining() / frameBytes;
      for (int i = 0; i < frames; i++) {
        for (int c = 0; c < channels; c++) {
          planar[c][i] = bytes.getFloat();
        }
      }
      return frames;
    }
  }
}
