package dev.coati.ip;

/**
 * Software TCP segmentation of what a TUN device with {@code IFF_VNET_HDR} and {@code
 * TUNSETOFFLOAD(TUN_F_CSUM | TUN_F_TSO4)} hands userspace: a {@link VirtioNetHdr} and then either a
 * plain packet, perhaps with its checksum left to us ({@code VIRTIO_NET_HDR_F_NEEDS_CSUM}), or an
 * IPv4/TCP "super-packet" of up to 64 KB ({@code VIRTIO_NET_HDR_GSO_TCPV4}) to be cut into {@code
 * gso_size} segments, as the kernel's {@code tcp_gso_segment} (net/ipv4/tcp_offload.c) would:
 *
 * <ul>
 *   <li>each segment gets a copy of the IP and TCP headers (options included) and the next {@code
 *       gso_size} bytes of payload;
 *   <li>IPv4 total length, identification (+1 per segment) and header checksum are rewritten;
 *   <li>the sequence number advances by the payload already sent; FIN and PSH stay only on the last
 *       segment, CWR only on the first;
 *   <li>the TCP checksum is computed in full over the pseudo header, header and payload.
 * </ul>
 *
 * {@code hdr_len} is only a hint in the kernel ({@code virtio_net_hdr_from_skb} fills in {@code
 * skb_headlen}), so the header length is taken from IHL and the TCP data offset, as wireguard-go
 * does; a {@code hdr_len} beyond the packet is refused. Single owner (one per TUN thread), no
 * allocation: {@link #load} validates and remembers one packet, {@link #segment} writes one segment
 * into the caller's buffer. Malformed input is refused with a negative {@link Drop} code, never an
 * exception.
 */
public final class TcpSegmenter {
  /** Why a packet was refused ({@link #load} returns {@code -1 - ordinal}). */
  public enum Drop {
    TOO_SHORT,
    UNSUPPORTED_GSO,
    BAD_GSO_SIZE,
    BAD_HDR_LEN,
    BAD_CSUM_OFFSETS,
    MALFORMED_IP,
    NOT_TCP,
    MALFORMED_TCP;

    public static Drop of(int code) {
      return values()[-code - 1];
    }

    int code() {
      return -1 - ordinal();
    }
  }

  /** The largest IPv4 packet (and so segment) there can be. */
  public static final int MAX_PACKET = 65535;

  private static final int PROTO_TCP = 6;
  private static final int FIN = 0x01;
  private static final int PSH = 0x08;
  private static final int CWR = 0x80;

  private byte[] buf;
  private int ip;
  private int length;
  private boolean gso;
  private int ihl;
  private int headers;
  private int gsoSize;
  private int segments;

  /**
   * Takes {@code b[off, off+len)}: a virtio_net_hdr then the packet. A packet that is not GSO is
   * finished in place (its partial checksum completed if NEEDS_CSUM) and counts as one segment,
   * found at {@link #packetOffset()}; a GSO packet is left untouched. Returns the number of
   * segments (at least 1) or a negative {@link Drop} code.
   */
  public int load(byte[] b, int off, int len) {
    buf = b;
    gso = false;
    segments = 0;
    if (len < VirtioNetHdr.LENGTH) {
      return Drop.TOO_SHORT.code();
    }
    ip = off + VirtioNetHdr.LENGTH;
    length = len - VirtioNetHdr.LENGTH;
    int flags = VirtioNetHdr.flags(b, off);
    int type = VirtioNetHdr.gsoType(b, off) & ~VirtioNetHdr.GSO_ECN;
    if (type == VirtioNetHdr.GSO_NONE) {
      if ((flags & VirtioNetHdr.F_NEEDS_CSUM) != 0) {
        int r = completeChecksum(VirtioNetHdr.csumStart(b, off), VirtioNetHdr.csumOffset(b, off));
        if (r < 0) {
          return r;
        }
      }
      segments = 1;
      return 1;
    }
    if (type != VirtioNetHdr.GSO_TCPV4) {
      return Drop.UNSUPPORTED_GSO.code();
    }
    int r = checkTcpv4(b, off);
    if (r < 0) {
      return r;
    }
    gso = true;
    int payload = length - headers;
    segments = payload == 0 ? 1 : (payload + gsoSize - 1) / gsoSize;
    return segments;
  }

  private int checkTcpv4(byte[] b, int off) {
    gsoSize = VirtioNetHdr.gsoSize(b, off);
    if (gsoSize == 0) {
      return Drop.BAD_GSO_SIZE.code();
    }
    if (VirtioNetHdr.hdrLen(b, off) > length) {
      return Drop.BAD_HDR_LEN.code();
    }
    if (length < 20 || (b[ip] & 0xf0) != 0x40) {
      return Drop.MALFORMED_IP.code();
    }
    ihl = (b[ip] & 0x0f) * 4;
    boolean fragment = ((b[ip + 6] & 0x3f) | b[ip + 7]) != 0;
    if (ihl < 20 || get16(b, ip + 2) != length || fragment) {
      return Drop.MALFORMED_IP.code();
    }
    if ((b[ip + 9] & 0xff) != PROTO_TCP) {
      return Drop.NOT_TCP.code();
    }
    if (length < ihl + 20) {
      return Drop.MALFORMED_TCP.code();
    }
    int doff = ((b[ip + ihl + 12] & 0xf0) >>> 4) * 4;
    headers = ihl + doff;
    if (doff < 20 || headers > length) {
      return Drop.MALFORMED_TCP.code();
    }
    if (headers + gsoSize > MAX_PACKET) {
      return Drop.BAD_GSO_SIZE.code();
    }
    boolean partial = (VirtioNetHdr.flags(b, off) & VirtioNetHdr.F_NEEDS_CSUM) != 0;
    if (partial
        && (VirtioNetHdr.csumStart(b, off) != ihl || VirtioNetHdr.csumOffset(b, off) != 16)) {
      return Drop.BAD_CSUM_OFFSETS.code();
    }
    return 0;
  }

  /**
   * NEEDS_CSUM without GSO: the field at {@code start + offset} holds the pseudo-header sum; the
   * ones' complement sum from {@code start} to the end, complemented, goes there (the kernel's
   * {@code skb_checksum_help}, including its 0 → 0xffff, CSUM_MANGLED_0).
   */
  private int completeChecksum(int start, int offset) {
    int at = start + offset;
    if (start < 20 || (start & 1) != 0 || at + 2 > length) {
      return Drop.BAD_CSUM_OFFSETS.code();
    }
    int c = InternetChecksum.finish(InternetChecksum.add(buf, ip + start, length - start, 0));
    if (c == 0) {
      c = 0xffff;
    }
    buf[ip + at] = (byte) (c >>> 8);
    buf[ip + at + 1] = (byte) c;
    return 0;
  }

  /** Whether the loaded packet is a GSO super-packet (else it is ready at packetOffset). */
  public boolean gso() {
    return gso;
  }

  /** Where the loaded packet's IP header starts in the buffer given to {@link #load}. */
  public int packetOffset() {
    return ip;
  }

  /** The loaded packet's length without the virtio_net_hdr. */
  public int packetLength() {
    return length;
  }

  /** How many segments {@link #load} found (0 after a refusal). */
  public int segments() {
    return segments;
  }

  /** The loaded GSO packet's segment payload size. */
  public int gsoSize() {
    return gsoSize;
  }

  /** IP plus TCP header length of the loaded GSO packet. */
  public int headerLength() {
    return headers;
  }

  /** The largest segment the loaded packet yields (its length if not GSO). */
  public int maxSegmentLength() {
    return gso ? Math.min(length, headers + gsoSize) : length;
  }

  /**
   * Writes segment {@code index} (0 ≤ index < segments()) of the loaded packet at {@code
   * out[outOff]} and returns its length; {@code out} needs {@link #maxSegmentLength()} bytes there.
   * For a packet that is not GSO this copies it whole.
   */
  public int segment(int index, byte[] out, int outOff) {
    if (index < 0 || index >= segments) {
      throw new IndexOutOfBoundsException(index);
    }
    if (!gso) {
      System.arraycopy(buf, ip, out, outOff, length);
      return length;
    }
    int start = index * gsoSize;
    int slice = Math.min(gsoSize, length - headers - start);
    int seglen = headers + slice;
    System.arraycopy(buf, ip, out, outOff, headers);
    System.arraycopy(buf, ip + headers + start, out, outOff + headers, slice);
    put16(out, outOff + 2, seglen);
    put16(out, outOff + 4, get16(buf, ip + 4) + index);
    InternetChecksum.ipv4Header(out, outOff, ihl);
    int tcp = outOff + ihl;
    put32(out, tcp + 4, get32(buf, ip + ihl + 4) + start);
    int flags = out[tcp + 13] & 0xff;
    if (index < segments - 1) {
      flags &= ~(FIN | PSH);
    }
    if (index > 0) {
      flags &= ~CWR;
    }
    out[tcp + 13] = (byte) flags;
    out[tcp + 16] = 0;
    out[tcp + 17] = 0;
    long sum = InternetChecksum.pseudoHeader(out, outOff, PROTO_TCP, seglen - ihl);
    int c = InternetChecksum.finish(InternetChecksum.add(out, tcp, seglen - ihl, sum));
    put16(out, tcp + 16, c);
    return seglen;
  }

  private static int get16(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }

  private static void put16(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }

  private static int get32(byte[] b, int at) {
    return (get16(b, at) << 16) | get16(b, at + 2);
  }

  private static void put32(byte[] b, int at, int v) {
    put16(b, at, v >>> 16);
    put16(b, at + 2, v);
  }
}
