package io.audioflow.transforms.decode;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import io.audioflow.transforms.analysis.AnalysisException;
import io.audioflow.transforms.analysis.ErrorClass;
import io.audioflow.transforms.audio.PcmBlockListener;
import io.audioflow.transforms.audio.StreamInfo;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.util.Set;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Decodes the first audio stream of any container and codec FFmpeg knows, in-process, streaming: the file is read
 * through a channel in 64 KiB pieces and handed to the listener frame by frame as planar float at its native rate
 * and channel layout. Nothing is sized from the header. One instance decodes one file; not thread-safe.
 */
public final class AudioDecoder implements AutoCloseable {
  /** AVFMT_FLAG_CUSTOM_IO from avformat.h, which the bindings do not export: the caller owns the AVIOContext. */
  private static final int AVFMT_FLAG_CUSTOM_IO = 0x0080;
  private static final String STAGE_OPEN = "open";
  /** The highest sample rate accepted: DXD's 352.8 kHz and 768 kHz PCM are the highest in use. */
  public static final int MAX_SAMPLE_RATE = 768_000;
  private static final String STAGE_DECODE = "decode";
  private static final Set<String> LOSSLESS_CODECS =
      Set.of("flac", "alac", "wavpack", "tta", "ape", "mlp", "truehd", "shorten", "wmalossless", "als");

  static {
    av_log_set_level(AV_LOG_QUIET); // outcomes are reported through return codes, not FFmpeg's stderr
  }

  private final HashingChannelReader reader;
  private final FfmpegIo io;
  private AVFormatContext format;
  private AVCodecContext codec;
  private final int streamIndex;
  private final StreamInfo info;

  private AudioDecoder(ReadableByteChannel channel, long sizeBytes, String name) throws AnalysisException {
    reader = new HashingChannelReader(channel, sizeBytes);
    io = new FfmpegIo(reader);
    try {
      format = avformat_alloc_context();
      format.pb(io.context());
      format.flags(format.flags() | AVFMT_FLAG_CUSTOM_IO);
      int ret = avformat_open_input(format, name, null, null);
      if (ret < 0) {
        format = null; // FFmpeg frees the context on failure
        throw openFailure("FFmpeg could not open the container", ret);
      }
      ret = avformat_find_stream_info(format, (org.bytedeco.javacpp.PointerPointer<?>) null);
      if (ret < 0) {
        throw openFailure("FFmpeg could not read stream information", ret);
      }
      streamIndex = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, -1, (AVCodec) null, 0);
      if (streamIndex < 0) {
        throw new AnalysisException(
            ErrorClass.UNREADABLE,
            STAGE_OPEN,
            "no audio stream (FFmpeg reads it as '" + format.iformat().name().getString() + "')");
      }
      AVStream stream = format.streams(streamIndex);
      AVCodecParameters params = stream.codecpar();
      AVCodec decoder = avcodec_find_decoder(params.codec_id());
      if (decoder == null) {
        throw new AnalysisException(
            ErrorClass.UNREADABLE, STAGE_OPEN, "no decoder for codec " + avcodec_get_name(params.codec_id()).getString());
      }
      codec = avcodec_alloc_context3(decoder);
      avcodec_parameters_to_context(codec, params);
      codec.pkt_timebase(stream.time_base());
      codec.thread_count(1); // the job parallelises across files; codec threads would oversubscribe the cores
      codec.err_recognition(codec.err_recognition() | AV_EF_CRCCHECK);
      ret = avcodec_open2(codec, decoder, (org.bytedeco.ffmpeg.avutil.AVDictionary) null);
      if (ret < 0) {
        throw openFailure("FFmpeg could not open the decoder", ret);
      }
      info = describe(stream, params);
      if (info.sampleRate() <= 0 || info.channels() <= 0) {
        throw new AnalysisException(
            ErrorClass.UNREADABLE,
            STAGE_OPEN,
            "audio stream has no sample rate or channel count (" + info.codec() + ")");
      }
      // Resamplers, filters and FFT plans are sized by the rate: a header's absurd claim must not size them.
      if (info.sampleRate() > MAX_SAMPLE_RATE) {
        throw new AnalysisException(ErrorClass.UNREADABLE, STAGE_OPEN, "audio stream claims " + info.sampleRate()
            + " Hz, above the " + MAX_SAMPLE_RATE + " Hz of any audio format (" + info.codec() + ")");
      }
    } catch (AnalysisException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Opens {@code channel} (seekable channels allow containers that need seeking, such as MP4 with its index at the
   * end). {@code name} is the file name or URI; FFmpeg uses its extension as a probing hint, as its CLI does.
   */
  public static AudioDecoder open(ReadableByteChannel channel, long sizeBytes, String name)
      throws AnalysisException {
    return new AudioDecoder(channel, sizeBytes, name);
  }

  public StreamInfo info() {
    return info;
  }

  /**
   * Decodes the whole stream into {@code listener}, stopping with TOO_LONG past {@code maxFrames} per channel, and
   * completes the file's hash.
   */
  public DecodeResult decode(PcmBlockListener listener, long maxFrames) throws AnalysisException {
    int channels = info.channels();
    float[][] block = new float[channels][0];
    SampleConverter converter = new SampleConverter();
    AVPacket packet = av_packet_alloc();
    AVFrame frame = av_frame_alloc();
    long frames = 0;
    int corrupt = 0;
    String firstCorruption = null;
    try {
      boolean draining = false;
      while (true) {
        int ret;
        if (!draining) {
          ret = av_read_frame(format, packet);
          if (ret == AVERROR_EOF() || ret == AVERROR_EOF) {
            draining = true;
            ret = avcodec_send_packet(codec, null);
          } else if (ret < 0) {
            if (io.failure() != null) {
              throw readFailure(io.failure());
            }
            // A demuxer error mid-file: count it and stop reading, as the data after it is unusable.
            corrupt++;
            firstCorruption = firstCorruption != null ? firstCorruption : describe("demuxer: ", ret, frames);
            draining = true;
            ret = avcodec_send_packet(codec, null);
          } else {
            if (packet.stream_index() != streamIndex) {
              av_packet_unref(packet);
              continue;
            }
            ret = avcodec_send_packet(codec, packet);
            av_packet_unref(packet);
          }
          if (ret < 0 && ret != AVERROR_EAGAIN()) {
            corrupt++;
            firstCorruption = firstCorruption != null ? firstCorruption : describe("", ret, frames);
          }
        }
        while (true) {
          ret = avcodec_receive_frame(codec, frame);
          if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
            break;
          }
          if (ret < 0) {
            corrupt++;
            firstCorruption = firstCorruption != null ? firstCorruption : describe("", ret, frames);
            break;
          }
          int n = frame.nb_samples();
          if (frame.ch_layout().nb_channels() != channels || frame.sample_rate() != info.sampleRate()) {
            throw new AnalysisException(
                ErrorClass.DECODE_ERRORS,
                STAGE_DECODE,
                "stream changes format mid-file at sample " + frames + " (" + frame.ch_layout().nb_channels()
                    + " channels, " + frame.sample_rate() + " Hz)");
          }
          if (block[0].length < n) {
            block = new float[channels][n];
          }
          converter.convert(frame, channels, block);
          av_frame_unref(frame);
          frames += n;
          if (frames > maxFrames) {
            throw new AnalysisException(
                ErrorClass.TOO_LONG,
                STAGE_DECODE,
                "longer than the maximum of " + maxFrames / info.sampleRate() + " s");
          }
          listener.onBlock(block, n);
        }
        if (draining && ret == AVERROR_EOF()) {
          break;
        }
      }
      String sha256;
      try {
        sha256 = reader.sha256Hex();
      } catch (IOException e) {
        throw readFailure(e);
      }
      return new DecodeResult(frames, corrupt, firstCorruption, sha256, reader.bytesRead());
    } finally {
      av_frame_free(frame);
      av_packet_free(packet);
    }
  }

  @Override
  public void close() {
    if (codec != null) {
      avcodec_free_context(codec);
      codec = null;
    }
    if (format != null) {
      avformat_close_input(format);
      format = null;
    }
    io.close();
  }

  private StreamInfo describe(AVStream stream, AVCodecParameters params) {
    String codecName = avcodec_get_name(params.codec_id()).getString();
    int rate = params.sample_rate();
    Long declared = HeaderDeclaredLength.declaredFrames(reader.head(), reader.headLength());
    if (declared == null && stream.duration() != AV_NOPTS_VALUE && rate > 0) {
      AVRational perSample = av_make_q(1, rate);
      declared = av_rescale_q(stream.duration(), stream.time_base(), perSample);
    }
    long mask = params.ch_layout().order() == AV_CHANNEL_ORDER_NATIVE ? params.ch_layout().u_mask() : 0L;
    boolean lossless = codecName.startsWith("pcm_") || LOSSLESS_CODECS.contains(codecName);
    return new StreamInfo(
        format.iformat().name().getString(),
        codecName,
        rate,
        params.ch_layout().nb_channels(),
        mask,
        declared,
        lossless);
  }

  private AnalysisException openFailure(String what, int ret) {
    if (io.failure() != null) {
      return readFailure(io.failure());
    }
    if (reader.bytesRead() == 0) { // what the channel gave, not what a listing claimed
      return new AnalysisException(ErrorClass.EMPTY, STAGE_OPEN, "file has 0 bytes");
    }
    return new AnalysisException(ErrorClass.UNREADABLE, STAGE_OPEN, what + ": " + errorText(ret));
  }

  /** A failed read; filesystems that let a directory be opened fail its first read with EISDIR. */
  private static AnalysisException readFailure(IOException e) {
    boolean directory = "Is a directory".equals(e.getMessage());
    return new AnalysisException(
        directory ? ErrorClass.NOT_A_FILE : ErrorClass.UNREADABLE,
        "read",
        (directory ? "a directory, not a file: " : "I/O error: ") + e.getMessage(),
        e);
  }

  private String describe(String prefix, int ret, long frames) {
    return prefix + errorText(ret) + " after " + String.format("%.3f", frames / (double) info.sampleRate()) + " s";
  }

  static String errorText(int ret) {
    byte[] buf = new byte[256];
    av_strerror(ret, buf, buf.length);
    int len = 0;
    while (len < buf.length && buf[len] != 0) {
      len++;
    }
    return new String(buf, 0, len, java.nio.charset.StandardCharsets.UTF_8);
  }
}
