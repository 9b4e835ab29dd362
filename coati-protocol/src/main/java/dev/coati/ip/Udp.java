package dev.coati.ip;

/**
 * UDP headers (RFC 768) for transport-mode ESP, where the ESP payload is a bare UDP datagram (L2TP
 * on port 1701) and the outer IP header belongs to the socket.
 *
 * <pre>
 *  0      7 8     15 16    23 24    31
 * +--------+--------+--------+--------+
 * |     Source      |   Destination   |
 * |      Port       |      Port       |
 * +--------+--------+--------+--------+
 * |     Length      |    Checksum     |
 * +--------+--------+--------+--------+
 * </pre>
 *
 * The checksum covers the pseudo header (source and destination IPv4 address, zero, protocol 17,
 * UDP length). Through a NAT (RFC 3948 section 3.1.2) the sender computes it over its own view of
 * the addresses and the receiver fixes or ignores it using the peer's NAT-OA; since ESP already
 * authenticated the datagram, coati's receive path ignores it.
 */
public final class Udp {
  public static final int HEADER = 8;
  public static final int PROTOCOL = 17;

  private Udp() {}

  /**
   * Writes the header in front of the {@code payloadLen} bytes at {@code off + 8} and computes the
   * checksum over {@code src}/{@code dst}; returns the datagram length.
   */
  public static int write(
      byte[] b, int off, int payloadLen, byte[] src, int srcPort, byte[] dst, int dstPort) {
    int len = HEADER + payloadLen;
    put16(b, off, srcPort);
    put16(b, off + 2, dstPort);
    put16(b, off + 4, len);
    put16(b, off + 6, 0);
    int sum = checksum(b, off, len, src, dst);
    put16(b, off + 6, sum == 0 ? 0xffff : sum); // 0 would mean "no checksum"
    return len;
  }

  /** The checksum of the datagram {@code b[off, off+len)} with its pseudo header. */
  public static int checksum(byte[] b, int off, int len, byte[] src, byte[] dst) {
    long sum = 0;
    for (int i = 0; i < 4; i += 2) {
      sum += ((src[i] & 0xff) << 8) | (src[i + 1] & 0xff);
      sum += ((dst[i] & 0xff) << 8) | (dst[i + 1] & 0xff);
    }
    sum += PROTOCOL + len;
    int i = off;
    for (; i + 1 < off + len; i += 2) {
      sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }
    if (i < off + len) {
      sum += (b[i] & 0xff) << 8;
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }

  public static int srcPort(byte[] b, int off) {
    return get16(b, off);
  }

  public static int dstPort(byte[] b, int off) {
    return get16(b, off + 2);
  }

  /** The UDP length field, or -1 if it does not fit {@code available} bytes. */
  public static int length(byte[] b, int off, int available) {
    if (available < HEADER) {
      return -1;
    }
    int len = get16(b, off + 4);
    return len < HEADER || len > available ? -1 : len;
  }

  private static void put16(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }

  private static int get16(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }
}
