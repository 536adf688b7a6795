package io.audioflow.transforms.features;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A 2-D little-endian float32 or float64 {@code .npy} (format 1.0) as {@code [row][column]}, in C or Fortran order:
 * the reference chroma and MFCC arrays are stored in Fortran order, which the shared {@code Npy} reader declines.
 */
final class ReferenceArray {
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'<f([48])'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

  private ReferenceArray() {}

  static double[][] read(Path file) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    if (in.get() != (byte) 0x93 || in.get() != 'N' || in.get() != 'U' || in.get() != 'M' || in.get() != 'P'
        || in.get() != 'Y' || in.get() != 1) {
      throw new IOException(file + ": not a .npy file of format 1.x");
    }
    in.get(); // minor version
    byte[] header = new byte[Short.toUnsignedInt(in.getShort())];
    in.get(header);
    String h = new String(header, StandardCharsets.US_ASCII);
    Matcher descr = find(DESCR, h, file);
    Matcher shape = find(SHAPE, h, file);
    boolean fortran = find(FORTRAN, h, file).group(1).equals("True");
    boolean float32 = descr.group(1).equals("4");
    int rows = Integer.parseInt(shape.group(1));
    int cols = Integer.parseInt(shape.group(2));
    if (in.remaining() != (long) rows * cols * (float32 ? 4 : 8)) {
      throw new IOException(file + ": data size does not match the shape");
    }
    double[][] out = new double[rows][cols];
    for (int i = 0; i < rows * cols; i++) {
      double v = float32 ? in.getFloat() : in.getDouble();
      if (fortran) {
        out[i % rows][i / rows] = v;
      } else {
        out[i / cols][i % cols] = v;
      }
    }
    return out;
  }

  private static Matcher find(Pattern p, String header, Path file) throws IOException {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new IOException(file + ": unsupported header " + header);
    }
    return m;
  }
}
