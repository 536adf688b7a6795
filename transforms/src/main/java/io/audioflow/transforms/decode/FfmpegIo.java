package io.audioflow.transforms.decode;

import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_SIZE;
import static org.bytedeco.ffmpeg.global.avformat.avio_alloc_context;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.Read_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.avformat.Seek_Pointer_long_int;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Lets FFmpeg read from a Java channel (any Beam filesystem) through a custom AVIOContext.
 *
 * <p>JavaCPP callbacks are native thunks of which only a few instances may exist, so one read and one seek callback
 * serve every open file; FFmpeg's opaque pointer identifies the file's reader in a registry.
 */
final class FfmpegIo implements AutoCloseable {
  private static final int BUFFER_SIZE = 1 << 16;
  private static final int AVERROR_EIO = -5;
  private static final int SEEK_SET = 0;
  private static final int SEEK_CUR = 1;
  private static final int SEEK_END = 2;
  private static final int AVSEEK_FORCE = 0x20000;

  private static final Map<Long, FfmpegIo> OPEN = new ConcurrentHashMap<>();
  private static final ReadCallback READ = new ReadCallback();
  private static final SeekCallback SEEK = new SeekCallback();

  private final HashingChannelReader reader;
  private final LongPointer opaque = new LongPointer(1);
  private final AVIOContext context;
  private IOException failure;

  FfmpegIo(HashingChannelReader reader) {
    this.reader = reader;
    OPEN.put(opaque.address(), this);
    BytePointer buffer = new BytePointer(av_malloc(BUFFER_SIZE));
    context = avio_alloc_context(buffer, BUFFER_SIZE, 0, opaque, READ, null, reader.seekable() ? SEEK : null);
    if (context == null) {
      OPEN.remove(opaque.address());
      throw new OutOfMemoryError("avio_alloc_context failed");
    }
  }

  AVIOContext context() {
    return context;
  }

  /** The I/O error that made a read fail, if any: it is the real cause behind FFmpeg's generic EIO. */
  IOException failure() {
    return failure;
  }

  @Override
  public void close() {
    OPEN.remove(opaque.address());
    // FFmpeg may have replaced the buffer it was given; free the one it holds now.
    av_free(context.buffer());
    context.buffer(null);
    org.bytedeco.ffmpeg.global.avformat.avio_context_free(context);
    opaque.close();
  }

  private int read(BytePointer target, int size) {
    try {
      int n = reader.read(size);
      if (n < 0) {
        return AVERROR_EOF;
      }
      target.position(0).put(reader.chunk(), 0, n);
      return n;
    } catch (IOException e) {
      failure = e;
      return AVERROR_EIO;
    }
  }

  private long seek(long offset, int whence) {
    try {
      switch (whence & ~AVSEEK_FORCE) {
        case AVSEEK_SIZE:
          return reader.size();
        case SEEK_SET:
          reader.seek(offset);
          break;
        case SEEK_CUR:
          reader.seek(reader.position() + offset);
          break;
        case SEEK_END:
          reader.seek(reader.size() + offset);
          break;
        default:
          return -1;
      }
      return reader.position();
    } catch (IOException e) {
      failure = e;
      return -1;
    }
  }

  private static final class ReadCallback extends Read_packet_Pointer_BytePointer_int {
    @Override
    public int call(Pointer opaque, BytePointer buf, int size) {
      FfmpegIo io = OPEN.get(opaque.address());
      return io == null ? AVERROR_EIO : io.read(buf, size);
    }
  }

  private static final class SeekCallback extends Seek_Pointer_long_int {
    @Override
    public long call(Pointer opaque, long offset, int whence) {
      FfmpegIo io = OPEN.get(opaque.address());
      return io == null ? -1 : io.seek(offset, whence);
    }
  }
}
