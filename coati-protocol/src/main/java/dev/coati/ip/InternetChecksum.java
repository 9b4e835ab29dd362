package dev.coati.ip;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the ones' complement sum of 16-bit big-endian words, here
 * accumulated four bytes at a time into a {@code long} and folded at the end (the sum is the same
 * for any word size, RFC 1071 section 2(B)). No allocation.
 */
public final class InternetChecksum {
  private static final VarHandle BE32 =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private InternetChecksum() {}

  /**
   * Adds {@code b[off, off+len)} to {@code acc}. The region must start on an even offset of the
   * checksummed data; an odd last byte counts as the high byte of a word padded with zero.
   */
  public static long add(byte[] b, int off, int len, long acc) {
    int i = off;
    int end = off + len;
    for (; i + 4 <= end; i += 4) {
      acc += Integer.toUnsignedLong((int) BE32.get(b, i));
    }
    if (i + 2 <= end) {
      acc += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
      i += 2;
    }
    if (i < end) {
      acc += (b[i] & 0xff) << 8;
    }
    return acc;
  }

  /**
   * The IPv4 pseudo header (RFC 793 section 3.1): addresses at {@code ip + 12}, protocol, length.
   */
  public static long pseudoHeader(byte[] p, int ip, int protocol, int length) {
    return add(p, ip + 12, 8, protocol + (long) length);
  }

  /** Folds the sum to 16 bits (end-around carry), not yet complemented. */
  public static int fold(long sum) {
    sum = (sum & 0xffffffffL) + (sum >>> 32);
    sum = (sum & 0xffffffffL) + (sum >>> 32);
    sum = (sum & 0xffff) + (sum >>> 16);
    sum = (sum & 0xffff) + (sum >>> 16);
    return (int) sum;
  }

  /** The checksum to store: the complement of the folded sum. */
  public static int finish(long sum) {
    return ~fold(sum) & 0xffff;
  }

  /** Recomputes an IPv4 header checksum in place ({@code ihl} bytes at {@code ip}). */
  public static void ipv4Header(byte[] p, int ip, int ihl) {
    p[ip + 10] = 0;
    p[ip + 11] = 0;
    int c = finish(add(p, ip, ihl, 0));
    p[ip + 10] = (byte) (c >>> 8);
    p[ip + 11] = (byte) c;
  }
}
