package dev.coati.ip;

/**
 * TCP MSS clamping for packets crossing the tunnel: a SYN's MSS option is lowered so that full
 * segments fit the tunnel MTU after ESP and UDP overhead, and the TCP checksum is updated
 * incrementally (RFC 1624). Works in place; anything it does not understand is left alone.
 */
public final class MssClamp {
  private static final int PROTO_TCP = 6;
  private static final int SYN = 0x02;
  private static final int OPT_END = 0;
  private static final int OPT_NOP = 1;
  private static final int OPT_MSS = 2;

  private MssClamp() {}

  /** Lowers the MSS of an IPv4 TCP SYN to {@code maxMss}; returns true if it changed it. */
  public static boolean clamp(byte[] p, int off, int len, int maxMss) {
    if (len < 20 || (p[off] & 0xf0) != 0x40 || (p[off + 9] & 0xff) != PROTO_TCP) {
      return false;
    }
    int ihl = (p[off] & 0x0f) * 4;
    boolean fragment = ((p[off + 6] & 0x1f) | p[off + 7]) != 0;
    int tcp = off + ihl;
    if (fragment || ihl < 20 || len < ihl + 20 || (p[tcp + 13] & SYN) == 0) {
      return false;
    }
    int doff = ((p[tcp + 12] & 0xf0) >>> 4) * 4;
    int end = Math.min(tcp + doff, off + len);
    for (int i = tcp + 20; i < end; ) {
      int kind = p[i] & 0xff;
      if (kind == OPT_END) {
        return false;
      }
      if (kind == OPT_NOP) {
        i++;
        continue;
      }
      if (i + 1 >= end) {
        return false;
      }
      int olen = p[i + 1] & 0xff;
      if (olen < 2 || i + olen > end) {
        return false;
      }
      if (kind == OPT_MSS && olen == 4) {
        int mss = ((p[i + 2] & 0xff) << 8) | (p[i + 3] & 0xff);
        if (mss <= maxMss) {
          return false;
        }
        p[i + 2] = (byte) (maxMss >>> 8);
        p[i + 3] = (byte) maxMss;
        adjustChecksum(p, tcp + 16, mss, maxMss, (i - tcp) % 2 == 0);
        return true;
      }
      i += olen;
    }
    return false;
  }

  /** RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), for a 16-bit word changed from m to m'. */
  private static void adjustChecksum(byte[] p, int at, int old, int now, boolean aligned) {
    if (!aligned) {
      old = ((old & 0xff) << 8) | (old >>> 8);
      now = ((now & 0xff) << 8) | (now >>> 8);
    }
    int hc = ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
    int sum = (~hc & 0xffff) + (~old & 0xffff) + now;
    sum = (sum & 0xffff) + (sum >>> 16);
    sum = (sum & 0xffff) + (sum >>> 16);
    int result = ~sum & 0xffff;
    p[at] = (byte) (result >>> 8);
    p[at + 1] = (byte) result;
  }
}
