package dev.coati.crypto;

import java.util.Arrays;

/**
 * The MD4 message digest (RFC 1320), needed only for the NT password hash of MS-CHAPv2 (RFC 2759
 * §8.3). MD4 is broken as a general hash; never use it for anything else. The JCE ships no MD4
 * provider, so this is a direct transcription of RFC 1320 §3.
 */
public final class Md4 {
  private static final int[] S1 = {3, 7, 11, 19};
  private static final int[] S2 = {3, 5, 9, 13};
  private static final int[] S3 = {3, 9, 11, 15};
  private static final int[] R3_ORDER = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};

  private Md4() {}

  /** MD4 of {@code message}: 16 bytes. */
  public static byte[] digest(byte[] message) {
    byte[] padded = pad(message);
    int[] state = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    int[] x = new int[16];
    for (int off = 0; off < padded.length; off += 64) {
      for (int i = 0; i < 16; i++) {
        int p = off + 4 * i;
        x[i] =
            (padded[p] & 0xff)
                | (padded[p + 1] & 0xff) << 8
                | (padded[p + 2] & 0xff) << 16
                | (padded[p + 3] & 0xff) << 24;
      }
      block(state, x);
    }
    byte[] out = new byte[16];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        out[4 * i + j] = (byte) (state[i] >>> (8 * j));
      }
    }
    Arrays.fill(x, 0);
    Arrays.fill(padded, (byte) 0);
    return out;
  }

  /** RFC 1320 §3.1–3.2: a 1 bit, zeros to 448 mod 512, then the bit length little-endian. */
  private static byte[] pad(byte[] message) {
    int blocks = (message.length + 8) / 64 + 1;
    byte[] padded = new byte[blocks * 64];
    System.arraycopy(message, 0, padded, 0, message.length);
    padded[message.length] = (byte) 0x80;
    long bits = (long) message.length * 8;
    for (int i = 0; i < 8; i++) {
      padded[padded.length - 8 + i] = (byte) (bits >>> (8 * i));
    }
    return padded;
  }

  /** RFC 1320 §3.4: the three rounds over one 16-word block. */
  private static void block(int[] state, int[] x) {
    int a = state[0];
    int b = state[1];
    int c = state[2];
    int d = state[3];
    for (int i = 0; i < 16; i++) {
      int f = (b & c) | (~b & d);
      int t = Integer.rotateLeft(a + f + x[i], S1[i % 4]);
      a = d;
      d = c;
      c = b;
      b = t;
    }
    for (int i = 0; i < 16; i++) {
      int k = (i % 4) * 4 + i / 4;
      int g = (b & c) | (b & d) | (c & d);
      int t = Integer.rotateLeft(a + g + x[k] + 0x5a827999, S2[i % 4]);
      a = d;
      d = c;
      c = b;
      b = t;
    }
    for (int i = 0; i < 16; i++) {
      int h = b ^ c ^ d;
      int t = Integer.rotateLeft(a + h + x[R3_ORDER[i]] + 0x6ed9eba1, S3[i % 4]);
      a = d;
      d = c;
      c = b;
      b = t;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
  }
}
