package dev.coati.ip;

/**
 * ICMP Destination Unreachable, Fragmentation Needed and DF Set (RFC 792, type 3 code 4) with the
 * Next-Hop MTU of RFC 1191 section 4, for Path MTU Discovery through the tunnel. Built into a
 * caller's buffer without allocation: an IPv4 header from the gateway's address to the sender, then
 * the ICMP message quoting the offending packet's header and as much of its data as fits in 576
 * bytes (RFC 1812 section 4.3.2.3). Never sent about an ICMP error, a fragment other than the
 * first, or a packet from a source that cannot be answered (RFC 1122 section 3.2.2).
 */
public final class IcmpError {
  public static final int TYPE_DESTINATION_UNREACHABLE = 3;
  public static final int CODE_FRAGMENTATION_NEEDED = 4;

  /** The largest error datagram (RFC 1812 section 4.3.2.3). */
  public static final int MAX_LENGTH = 576;

  private static final int IPV4_HEADER = 20;
  private static final int ICMP_HEADER = 8;
  private static final int PROTO_ICMP = 1;
  private static final int TTL = 64;

  private IcmpError() {}

  /**
   * Writes the error about the IPv4 packet {@code p[off, off+len)} into {@code out} at {@code
   * outOff} (room for {@link #MAX_LENGTH} bytes), from {@code source} (the gateway's address, in
   * network order as an int); returns its length, or 0 when no error may be sent about it.
   */
  public static int fragmentationNeeded(
      byte[] p, int off, int len, int nextHopMtu, int source, byte[] out, int outOff) {
    if (len < IPV4_HEADER || (p[off] & 0xf0) != 0x40 || !answerable(p, off, len)) {
      return 0;
    }
    int quote = Math.min(len, MAX_LENGTH - IPV4_HEADER - ICMP_HEADER);
    int total = IPV4_HEADER + ICMP_HEADER + quote;
    int ip = outOff;
    out[ip] = 0x45;
    out[ip + 1] = (byte) 0xc0; // DSCP CS6, as routers send ICMP
    out[ip + 2] = (byte) (total >>> 8);
    out[ip + 3] = (byte) total;
    for (int i = 4; i < 8; i++) {
      out[ip + i] = 0; // identification, flags, fragment offset
    }
    out[ip + 8] = (byte) TTL;
    out[ip + 9] = PROTO_ICMP;
    putInt(out, ip + 12, source);
    System.arraycopy(p, off + 12, out, ip + 16, 4); // back to the packet's source
    InternetChecksum.ipv4Header(out, ip, IPV4_HEADER);
    int icmp = ip + IPV4_HEADER;
    out[icmp] = TYPE_DESTINATION_UNREACHABLE;
    out[icmp + 1] = CODE_FRAGMENTATION_NEEDED;
    out[icmp + 2] = 0;
    out[icmp + 3] = 0;
    out[icmp + 4] = 0;
    out[icmp + 5] = 0;
    out[icmp + 6] = (byte) (nextHopMtu >>> 8);
    out[icmp + 7] = (byte) nextHopMtu;
    System.arraycopy(p, off, out, icmp + ICMP_HEADER, quote);
    int c = InternetChecksum.finish(InternetChecksum.add(out, icmp, ICMP_HEADER + quote, 0));
    out[icmp + 2] = (byte) (c >>> 8);
    out[icmp + 3] = (byte) c;
    return total;
  }

  /** Not an ICMP error, not a later fragment, not from 0.0.0.0, broadcast or multicast. */
  private static boolean answerable(byte[] p, int off, int len) {
    int ihl = (p[off] & 0x0f) * 4;
    if (((p[off + 6] & 0x1f) | p[off + 7]) != 0) {
      return false;
    }
    int src = p[off + 12] & 0xff;
    boolean zero = (p[off + 12] | p[off + 13] | p[off + 14] | p[off + 15]) == 0;
    if (zero || src >= 224) {
      return false;
    }
    if ((p[off + 9] & 0xff) == PROTO_ICMP) {
      if (len < ihl + 1) {
        return false;
      }
      int type = p[off + ihl] & 0xff;
      return type == 0 || type == 8 || type == 13 || type == 14; // echo and timestamp only
    }
    return true;
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
