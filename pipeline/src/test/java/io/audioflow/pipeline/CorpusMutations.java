package io.audioflow.pipeline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of real audio files, the kinds a collection of millions holds: cut off at any point, bits
 * flipped, headers overwritten, size fields that claim gigabytes, zero channels or rate, odd bit depths, and
 * garbage or empty files with audio extensions. Field offsets follow each format's published layout (RIFF/WAVE
 * fmt and data chunks, AIFF COMM, FLAC STREAMINFO, ISO BMFF boxes), so the mutations reach the fields decoders trust.
 */
final class CorpusMutations {
  /** One mutated file and what was done to it. */
  record Case(Path file, String mutation) {}

  private static final String[] EXTENSIONS = {"wav", "aiff", "flac", "mp3", "m4a", "ogg", "opus"};

  private final Random random;
  private final Path dir;
  private final List<Case> cases = new ArrayList<>();

  CorpusMutations(long seed, Path dir) {
    this.random = new Random(seed);
    this.dir = dir;
  }

  List<Case> cases() {
    return cases;
  }

  /** Writes {@code perBase} generic mutations of each base file plus its format's header-field mutations. */
  void mutate(List<Path> bases, int perBase) throws IOException {
    for (Path base : bases) {
      byte[] original = Files.readAllBytes(base);
      String name = base.getFileName().toString();
      String ext = name.substring(name.lastIndexOf('.') + 1);
      for (int i = 0; i < perBase; i++) {
        byte[] b = original.clone();
        switch (i % 4) {
          case 0 -> add(ext, "truncated", Arrays.copyOf(b, random.nextInt(b.length)));
          case 1 -> add(ext, "bit flips in header", flipBits(b, 1 + random.nextInt(40), Math.min(b.length, 512)));
          case 2 -> add(ext, "bit flips", flipBits(b, 1 + random.nextInt(200), b.length));
          default -> {
            int n = Math.min(b.length, 16 + random.nextInt(240));
            byte[] junk = new byte[n];
            random.nextBytes(junk);
            System.arraycopy(junk, 0, b, 0, n);
            add(ext, "random header", b);
          }
        }
      }
      switch (ext) {
        case "wav" -> wavFields(ext, original);
        case "aiff" -> aiffFields(ext, original);
        case "flac" -> flacFields(ext, original);
        case "m4a" -> mp4Fields(ext, original);
        default -> { }
      }
    }
  }

  /** Garbage and empty files with every audio extension. */
  void garbage() throws IOException {
    for (String ext : EXTENSIONS) {
      byte[] junk = new byte[random.nextInt(1 << 16)];
      random.nextBytes(junk);
      add(ext, "garbage", junk);
      add(ext, "empty", new byte[0]);
      byte[] magicThenJunk = new byte[64 + random.nextInt(4096)];
      random.nextBytes(magicThenJunk);
      byte[] magic = magic(ext);
      System.arraycopy(magic, 0, magicThenJunk, 0, magic.length);
      add(ext, "magic then garbage", magicThenJunk);
    }
  }

  private static byte[] magic(String ext) {
    return switch (ext) {
      case "wav" -> "RIFF\u00ff\u00ff\u00ff\u00ffWAVEfmt ".getBytes(StandardCharsets.ISO_8859_1);
      case "aiff" -> "FORM\u0000\u0000\u0010\u0000AIFFCOMM".getBytes(StandardCharsets.ISO_8859_1);
      case "flac" -> "fLaC\u0000\u0000\u0000\"".getBytes(StandardCharsets.ISO_8859_1);
      case "mp3" -> new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64};
      case "m4a" -> "\u0000\u0000\u0000\u0020ftypM4A ".getBytes(StandardCharsets.ISO_8859_1);
      default -> "OggS".getBytes(StandardCharsets.ISO_8859_1);
    };
  }

  /** RIFF/WAVE: the RIFF and data sizes, and the fmt chunk's channels, rate, block align and bit depth. */
  private void wavFields(String ext, byte[] original) throws IOException {
    int fmt = chunk(original, "fmt ", 12, ByteOrder.LITTLE_ENDIAN);
    int data = chunk(original, "data", 12, ByteOrder.LITTLE_ENDIAN);
    add(ext, "RIFF size 0xFFFFFFFF", putInt(original, 4, -1, ByteOrder.LITTLE_ENDIAN));
    add(ext, "data size 0xFFFFFFFF", putInt(original, data + 4, -1, ByteOrder.LITTLE_ENDIAN));
    add(ext, "data size 0x7FFFFFFF", putInt(original, data + 4, Integer.MAX_VALUE, ByteOrder.LITTLE_ENDIAN));
    add(ext, "data size 0", putInt(original, data + 4, 0, ByteOrder.LITTLE_ENDIAN));
    add(ext, "fmt size 0xFFFFFFF0", putInt(original, fmt + 4, 0xFFFFFFF0, ByteOrder.LITTLE_ENDIAN));
    add(ext, "zero channels", putShort(original, fmt + 10, 0, ByteOrder.LITTLE_ENDIAN));
    add(ext, "65535 channels", putShort(original, fmt + 10, 65535, ByteOrder.LITTLE_ENDIAN));
    add(ext, "zero sample rate", putInt(original, fmt + 12, 0, ByteOrder.LITTLE_ENDIAN));
    add(ext, "sample rate 2^31-1", putInt(original, fmt + 12, Integer.MAX_VALUE, ByteOrder.LITTLE_ENDIAN));
    add(ext, "block align 0", putShort(original, fmt + 20, 0, ByteOrder.LITTLE_ENDIAN));
    for (int bits : new int[] {0, 7, 13, 64, 255}) {
      add(ext, bits + "-bit samples", putShort(original, fmt + 22, bits, ByteOrder.LITTLE_ENDIAN));
    }
    add(ext, "format tag 0xFFFF", putShort(original, fmt + 8, 0xFFFF, ByteOrder.LITTLE_ENDIAN));
  }

  /** AIFF: FORM size and the COMM chunk's channels, frame count, sample size and 80-bit rate. */
  private void aiffFields(String ext, byte[] original) throws IOException {
    int comm = chunk(original, "COMM", 12, ByteOrder.BIG_ENDIAN);
    add(ext, "FORM size 0xFFFFFFFF", putInt(original, 4, -1, ByteOrder.BIG_ENDIAN));
    add(ext, "zero channels", putShort(original, comm + 8, 0, ByteOrder.BIG_ENDIAN));
    add(ext, "frames 0xFFFFFFFF", putInt(original, comm + 10, -1, ByteOrder.BIG_ENDIAN));
    add(ext, "0-bit samples", putShort(original, comm + 14, 0, ByteOrder.BIG_ENDIAN));
    add(ext, "13-bit samples", putShort(original, comm + 14, 13, ByteOrder.BIG_ENDIAN));
    byte[] zeroRate = original.clone();
    Arrays.fill(zeroRate, comm + 16, comm + 26, (byte) 0);
    add(ext, "zero sample rate", zeroRate);
    byte[] hugeRate = original.clone();
    hugeRate[comm + 16] = 0x7F;
    hugeRate[comm + 17] = (byte) 0xFE;
    add(ext, "sample rate 2^16383", hugeRate);
  }

  /** FLAC STREAMINFO (the first metadata block, at byte 8): block sizes, rate, channels, depth, total samples. */
  private void flacFields(String ext, byte[] original) throws IOException {
    int info = 8;
    add(ext, "block sizes 0", putInt(original, info, 0, ByteOrder.BIG_ENDIAN));
    byte[] zeroRate = original.clone();
    zeroRate[info + 10] = 0;
    zeroRate[info + 11] = 0;
    zeroRate[info + 12] &= 0x0F;
    add(ext, "zero sample rate", zeroRate);
    byte[] depth = original.clone();
    depth[info + 12] = (byte) (depth[info + 12] | 0x0F); // channels 8, depth's high bit
    depth[info + 13] = (byte) (depth[info + 13] | 0xF0);
    add(ext, "8 channels, 32-bit", depth);
    byte[] total = original.clone();
    total[info + 13] |= 0x0F;
    Arrays.fill(total, info + 14, info + 18, (byte) 0xFF);
    add(ext, "total samples 2^36-1", total);
    add(ext, "metadata block length 0xFFFFFF", putInt(original, 4, 0x00FFFFFF, ByteOrder.BIG_ENDIAN));
  }

  /** ISO BMFF (MP4/M4A): box sizes and the entry counts of the sample tables. */
  private void mp4Fields(String ext, byte[] original) throws IOException {
    for (String box : new String[] {"moov", "trak", "mdhd", "stsz", "stco", "stts", "stsc", "esds"}) {
      int at = indexOf(original, box.getBytes(StandardCharsets.ISO_8859_1));
      if (at < 4) {
        continue;
      }
      add(ext, box + " size 0xFFFFFFFF", putInt(original, at - 4, -1, ByteOrder.BIG_ENDIAN));
      // After the type: version/flags, then (for the sample tables) counts that size the parsers' arrays.
      add(ext, box + " count 0x7FFFFFFF", putInt(original, at + 8, Integer.MAX_VALUE, ByteOrder.BIG_ENDIAN));
    }
  }

  /** The offset of the chunk {@code id} (its id's first byte), walking chunks from {@code from}. */
  private static int chunk(byte[] b, String id, int from, ByteOrder order) {
    ByteBuffer buf = ByteBuffer.wrap(b).order(order);
    int at = from;
    while (at + 8 <= b.length) {
      if (new String(b, at, 4, StandardCharsets.ISO_8859_1).equals(id)) {
        return at;
      }
      long size = Integer.toUnsignedLong(buf.getInt(at + 4));
      at += 8 + (int) Math.min(size + (size & 1), b.length);
    }
    throw new IllegalArgumentException("no " + id + " chunk");
  }

  private static int indexOf(byte[] b, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= b.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (b[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] putInt(byte[] original, int at, int value, ByteOrder order) {
    byte[] b = original.clone();
    ByteBuffer.wrap(b).order(order).putInt(at, value);
    return b;
  }

  private static byte[] putShort(byte[] original, int at, int value, ByteOrder order) {
    byte[] b = original.clone();
    ByteBuffer.wrap(b).order(order).putShort(at, (short) value);
    return b;
  }

  private byte[] flipBits(byte[] b, int count, int within) {
    for (int i = 0; i < count && within > 0; i++) {
      int bit = random.nextInt(within * 8);
      b[bit / 8] ^= (byte) (1 << (bit % 8));
    }
    return b;
  }

  private void add(String ext, String mutation, byte[] bytes) throws IOException {
    Path file = dir.resolve(String.format("case%03d.%s", cases.size(), ext));
    Files.write(file, bytes);
    cases.add(new Case(file, mutation));
  }
}
