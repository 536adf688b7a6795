package io.audioflow.transforms.decode;

import static org.bytedeco.ffmpeg.global.avutil.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * Converts a decoded FFmpeg frame of any sample format to planar float with the same scaling FFmpeg's own
 * converter uses (s16 / 32768, s32 / 2^31, u8 centred on 128), reusing its scratch arrays.
 */
final class SampleConverter {
  private short[] shorts = new short[0];
  private int[] ints = new int[0];
  private double[] doubles = new double[0];
  private long[] longs = new long[0];
  private byte[] bytes = new byte[0];
  private float[] floats = new float[0];

  /** Writes {@code frame}'s samples into {@code out[ch][0..nb_samples)}; {@code out} must be large enough. */
  void convert(AVFrame frame, int channels, float[][] out) {
    int format = frame.format();
    int n = frame.nb_samples();
    boolean planar = av_sample_fmt_is_planar(format) != 0;
    int bytesPerSample = av_get_bytes_per_sample(format);
    if (planar) {
      for (int ch = 0; ch < channels; ch++) {
        ByteBuffer plane = buffer(frame.extended_data(ch), (long) n * bytesPerSample);
        toFloat(packed(format), plane, n, out[ch]);
      }
    } else {
      int total = n * channels;
      ByteBuffer data = buffer(frame.extended_data(0), (long) total * bytesPerSample);
      if (floats.length < total) {
        floats = new float[total];
      }
      toFloat(format, data, total, floats);
      for (int ch = 0; ch < channels; ch++) {
        float[] dst = out[ch];
        for (int i = 0, j = ch; i < n; i++, j += channels) {
          dst[i] = floats[j];
        }
      }
    }
  }

  private static ByteBuffer buffer(BytePointer p, long length) {
    return p.capacity(length).asByteBuffer().order(ByteOrder.nativeOrder());
  }

  private static int packed(int format) {
    return av_get_packed_sample_fmt(format);
  }

  private void toFloat(int format, ByteBuffer src, int count, float[] dst) {
    if (format == AV_SAMPLE_FMT_FLT) {
      src.asFloatBuffer().get(dst, 0, count);
    } else if (format == AV_SAMPLE_FMT_S16) {
      shorts = grow(shorts, count);
      src.asShortBuffer().get(shorts, 0, count);
      for (int i = 0; i < count; i++) {
        dst[i] = shorts[i] * (1f / 32768f);
      }
    } else if (format == AV_SAMPLE_FMT_S32) {
      ints = grow(ints, count);
      src.asIntBuffer().get(ints, 0, count);
      for (int i = 0; i < count; i++) {
        dst[i] = (float) (ints[i] * (1.0 / 2147483648.0));
      }
    } else if (format == AV_SAMPLE_FMT_DBL) {
      doubles = grow(doubles, count);
      src.asDoubleBuffer().get(doubles, 0, count);
      for (int i = 0; i < count; i++) {
        dst[i] = (float) doubles[i];
      }
    } else if (format == AV_SAMPLE_FMT_U8) {
      bytes = grow(bytes, count);
      src.get(bytes, 0, count);
      for (int i = 0; i < count; i++) {
        dst[i] = ((bytes[i] & 0xff) - 128) * (1f / 128f);
      }
    } else if (format == AV_SAMPLE_FMT_S64) {
      longs = grow(longs, count);
      src.asLongBuffer().get(longs, 0, count);
      for (int i = 0; i < count; i++) {
        dst[i] = (float) (longs[i] * 0x1p-63);
      }
    } else {
      throw new IllegalArgumentException("unsupported sample format " + av_get_sample_fmt_name(format).getString());
    }
  }

  private static short[] grow(short[] a, int n) {
    return a.length >= n ? a : new short[n];
  }

  private static int[] grow(int[] a, int n) {
    return a.length >= n ? a : new int[n];
  }

  private static double[] grow(double[] a, int n) {
    return a.length >= n ? a : new double[n];
  }

  private static long[] grow(long[] a, int n) {
    return a.length >= n ? a : new long[n];
  }

  private static byte[] grow(byte[] a, int n) {
    return a.length >= n ? a : new byte[n];
  }
}
