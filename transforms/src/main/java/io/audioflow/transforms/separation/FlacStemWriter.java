package io.audioflow.transforms.separation;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;

/**
 * FLAC, 24 bits per sample, through FFmpeg's encoder and muxer into a local file. Samples beyond full scale are
 * clipped (the stems table's true peak reports them).
 */
final class FlacStemWriter implements StemWriter {
  private static final double FULL_SCALE_24 = 8388607.0;
  private final int channels;
  private final AVFormatContext format;
  private final AVCodecContext codec;
  private final AVStream stream;
  private final AVFrame frame;
  private final AVPacket packet;
  private final int frameSize;
  private final int[] interleaved;
  private int buffered;
  private long pts;
  private boolean closed;

  FlacStemWriter(Path path, int sampleRate, int channels) throws IOException {
    this.channels = channels;
    format = new AVFormatContext(null);
    check(avformat_alloc_output_context2(format, null, "flac", path.toString()), "alloc output");
    AVCodec encoder = avcodec_find_encoder(AV_CODEC_ID_FLAC);
    if (encoder == null) {
      throw new IOException("FFmpeg has no FLAC encoder");
    }
    stream = avformat_new_stream(format, null);
    codec = avcodec_alloc_context3(encoder);
    codec.sample_rate(sampleRate);
    av_channel_layout_default(codec.ch_layout(), channels);
    codec.sample_fmt(AV_SAMPLE_FMT_S32);
    codec.bits_per_raw_sample(24);
    codec.time_base(av_make_q(1, sampleRate));
    check(avcodec_open2(codec, encoder, (AVDictionary) null), "open FLAC encoder");
    check(avcodec_parameters_from_context(stream.codecpar(), codec), "codec parameters");
    stream.time_base(codec.time_base());
    AVIOContext io = new AVIOContext(null);
    check(avio_open(io, path.toString(), AVIO_FLAG_WRITE), "open " + path);
    format.pb(io);
    check(avformat_write_header(format, (AVDictionary) null), "write header");
    frameSize = codec.frame_size() > 0 ? codec.frame_size() : 4608;
    frame = av_frame_alloc();
    frame.nb_samples(frameSize);
    frame.format(AV_SAMPLE_FMT_S32);
    frame.sample_rate(sampleRate);
    check(av_channel_layout_copy(frame.ch_layout(), codec.ch_layout()), "channel layout");
    check(av_frame_get_buffer(frame, 0), "frame buffer");
    packet = av_packet_alloc();
    interleaved = new int[frameSize * channels];
  }

  @Override
  public void write(float[][] planar, int frames) throws IOException {
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < channels; c++) {
        double v = Math.max(-1.0, Math.min(1.0, planar[c][i]));
        // FFmpeg's FLAC encoder takes the top 24 bits of each 32-bit sample.
        interleaved[buffered * channels + c] = (int) Math.round(v * FULL_SCALE_24) << 8;
      }
      if (++buffered == frameSize) {
        sendFrame();
      }
    }
  }

  private void sendFrame() throws IOException {
    check(av_frame_make_writable(frame), "frame writable");
    frame.nb_samples(buffered);
    new IntPointer(frame.data(0)).put(interleaved, 0, buffered * channels);
    frame.pts(pts);
    pts += buffered;
    buffered = 0;
    check(avcodec_send_frame(codec, frame), "encode");
    drain();
  }

  private void drain() throws IOException {
    while (true) {
      int ret = avcodec_receive_packet(codec, packet);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF) {
        return;
      }
      check(ret, "encode");
      av_packet_rescale_ts(packet, codec.time_base(), stream.time_base());
      packet.stream_index(stream.index());
      check(av_interleaved_write_frame(format, packet), "write");
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (buffered > 0) {
        sendFrame();
      }
      check(avcodec_send_frame(codec, null), "flush");
      drain();
      check(av_write_trailer(format), "trailer");
    } finally {
      av_packet_free(packet);
      av_frame_free(frame);
      avcodec_free_context(codec);
      avio_closep(format.pb());
      avformat_free_context(format);
    }
  }

  private static void check(int ret, String what) throws IOException {
    if (ret < 0) {
      BytePointer message = new BytePointer(256);
      av_strerror(ret, message, 256);
      throw new IOException("FLAC " + what + ": " + message.getString());
    }
  }
}
