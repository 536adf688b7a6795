package io.audioflow.transforms.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy {@code .npy} files of format 1.0: little-endian float32 ({@code <f4}) or float64 ({@code <f8}), C
 * order. Values come back as doubles (widening float32 is exact); {@link #floats()} gives float32 data back bit for
 * bit.
 *
 * @param shape the array's shape ({@code []} for a scalar)
 * @param float32 whether the file stores float32 ({@code <f4}) rather than float64
 * @param data every value in C order (Fortran-order files are reordered on reading)
 */
public record Npy(int[] shape, boolean float32, double[] data) {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  public static Npy read(Path file) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[MAGIC.length];
    in.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IOException(file + ": not a .npy file");
    }
    int major = in.get();
    int minor = in.get();
    if (major != 1) {
      throw new IOException(file + ": .npy format " + major + "." + minor + " is not supported (only 1.0)");
    }
    byte[] headerBytes = new byte[Short.toUnsignedInt(in.getShort())];
    in.get(headerBytes);
    String header = new String(headerBytes, StandardCharsets.US_ASCII);

    String descr = group(DESCR, header, file);
    boolean float32;
    if (descr.equals("<f4")) {
      float32 = true;
    } else if (descr.equals("<f8")) {
      float32 = false;
    } else {
      throw new IOException(file + ": dtype " + descr + " is not supported (only <f4, <f8)");
    }
    boolean fortran = group(FORTRAN, header, file).equals("True");
    int[] shape = Arrays.stream(group(SHAPE, header, file).split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .mapToInt(Integer::parseInt)
        .toArray();

    int size = Math.toIntExact(Arrays.stream(shape).asLongStream().reduce(1, Math::multiplyExact));
    if (in.remaining() != (long) size * (float32 ? 4 : 8)) {
      throw new IOException(file + ": " + in.remaining() + " data bytes do not match shape " + Arrays.toString(shape));
    }
    double[] data = new double[size];
    int[] index = new int[shape.length];
    for (int i = 0; i < size; i++) {
      double value = float32 ? in.getFloat() : in.getDouble();
      if (!fortran) {
        data[i] = value;
        continue;
      }
      // Fortran order: the first axis varies fastest in the file; store in C order.
      int c = 0;
      for (int axis = 0; axis < shape.length; axis++) {
        c = c * shape[axis] + index[axis];
      }
      data[c] = value;
      for (int axis = 0; axis < shape.length && ++index[axis] == shape[axis]; axis++) {
        index[axis] = 0;
      }
    }
    return new Npy(shape, float32, data);
  }

  /** The data as float32; only for float32 files, so nothing is rounded silently. */
  public float[] floats() {
    if (!float32) {
      throw new IllegalStateException("float64 data: narrowing to float32 would round");
    }
    float[] out = new float[data.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) data[i];
    }
    return out;
  }

  /** A 2-D array as {@code [row][column]}. */
  public double[][] matrix() {
    if (shape.length != 2) {
      throw new IllegalStateException("not 2-D: shape " + Arrays.toString(shape));
    }
    double[][] out = new double[shape[0]][];
    for (int r = 0; r < shape[0]; r++) {
      out[r] = Arrays.copyOfRange(data, r * shape[1], (r + 1) * shape[1]);
    }
    return out;
  }

  private static String group(Pattern pattern, String header, Path file) throws IOException {
    Matcher m = pattern.matcher(header);
    if (!m.find()) {
      throw new IOException(file + ": header lacks " + pattern.pattern() + ": " + header);
    }
    return m.group(1);
  }
}
