package io.audioflow.transforms.decode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads a file's bytes for the demuxer and computes their SHA-256 on the way, so the file is read once.
 *
 * <p>Demuxers seek (an MP4 whose index sits at the end, probing), so bytes are hashed only when they extend the
 * contiguous hashed prefix; {@link #sha256Hex()} reads whatever the demuxer skipped to complete the hash.
 */
final class HashingChannelReader {
  private final ReadableByteChannel channel;
  private final SeekableByteChannel seekable;
  private final long size;
  private final MessageDigest digest;
  private byte[] chunk = new byte[0];
  /** The file's first bytes, kept for header checks FFmpeg does not expose. */
  private final byte[] head = new byte[4096];
  private int headLength;
  private long position;
  private long hashedUpTo;
  private long bytesRead;

  HashingChannelReader(ReadableByteChannel channel, long size) {
    this.channel = channel;
    this.seekable = channel instanceof SeekableByteChannel s ? s : null;
    this.size = size;
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }

  /** Reads up to {@code length} bytes into {@code chunk()}; returns the count, or -1 at end of file. */
  int read(int length) throws IOException {
    if (chunk.length < length) {
      chunk = new byte[length];
    }
    ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, length);
    int n;
    do {
      n = channel.read(buffer);
    } while (n == 0);
    if (n < 0) {
      return -1;
    }
    long start = position;
    if (start < head.length) {
      int keep = (int) Math.min(n, head.length - start);
      System.arraycopy(chunk, 0, head, (int) start, keep);
      headLength = Math.max(headLength, (int) start + keep);
    }
    position += n;
    bytesRead += n;
    if (start <= hashedUpTo && position > hashedUpTo) {
      int from = (int) (hashedUpTo - start);
      digest.update(chunk, from, n - from);
      hashedUpTo = position;
    }
    return n;
  }

  byte[] chunk() {
    return chunk;
  }

  byte[] head() {
    return head;
  }

  int headLength() {
    return headLength;
  }

  boolean seekable() {
    return seekable != null;
  }

  long size() {
    return size;
  }

  long position() {
    return position;
  }

  void seek(long target) throws IOException {
    if (seekable == null) {
      throw new IOException("channel is not seekable");
    }
    seekable.position(target);
    position = target;
  }

  /** Total bytes pulled from the channel, including re-reads after seeks. */
  long bytesRead() {
    return bytesRead;
  }

  /** Completes the hash over bytes the demuxer never read (or read only out of order) and returns it. */
  String sha256Hex() throws IOException {
    if (hashedUpTo < size || seekable == null) {
      if (seekable != null) {
        seek(hashedUpTo);
      } else if (position != hashedUpTo) {
        throw new IOException("cannot complete the hash on a non-seekable channel");
      }
      while (read(1 << 16) >= 0) {
        // read() extends the hashed prefix.
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
