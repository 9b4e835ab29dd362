package dev.coati.ip;

/**
 * The {@code struct virtio_net_hdr} a Linux TUN device opened with {@code IFF_VNET_HDR} puts in
 * front of every packet (kernel {@code include/uapi/linux/virtio_net.h}; TUN side in {@code
 * drivers/net/tun.c}, {@code tun_put_user} / {@code tun_get_user}):
 *
 * <pre>
 *  u8  flags        VIRTIO_NET_HDR_F_NEEDS_CSUM 1, _DATA_VALID 2
 *  u8  gso_type     GSO_NONE 0, GSO_TCPV4 1, GSO_UDP 3, GSO_TCPV6 4, GSO_UDP_L4 5, | GSO_ECN 0x80
 *  u16 hdr_len      a hint: how much of the packet is linear (skb_headlen), not the header length
 *  u16 gso_size     payload bytes per segment (the MSS)
 *  u16 csum_start   where the checksummed region starts (from the IP header)
 *  u16 csum_offset  where the checksum lies within it (TCP 16, UDP 6)
 * </pre>
 *
 * The 16-bit fields are in "virtio legacy" byte order, which is the host's order unless
 * TUNSETVNETLE/BE says otherwise; coati reads them little-endian and {@code LinuxTun} enables the
 * header only on little-endian hosts. TUNSETVNETHDRSZ is left at (or set to) these 10 bytes.
 */
public final class VirtioNetHdr {
  public static final int LENGTH = 10;
  public static final int F_NEEDS_CSUM = 1;
  public static final int F_DATA_VALID = 2;
  public static final int GSO_NONE = 0;
  public static final int GSO_TCPV4 = 1;
  public static final int GSO_UDP = 3;
  public static final int GSO_TCPV6 = 4;
  public static final int GSO_UDP_L4 = 5;
  public static final int GSO_ECN = 0x80;

  private VirtioNetHdr() {}

  public static int flags(byte[] b, int off) {
    return b[off] & 0xff;
  }

  public static int gsoType(byte[] b, int off) {
    return b[off + 1] & 0xff;
  }

  public static int hdrLen(byte[] b, int off) {
    return le16(b, off + 2);
  }

  public static int gsoSize(byte[] b, int off) {
    return le16(b, off + 4);
  }

  public static int csumStart(byte[] b, int off) {
    return le16(b, off + 6);
  }

  public static int csumOffset(byte[] b, int off) {
    return le16(b, off + 8);
  }

  /** An all-zero header: a complete packet, no GSO, checksums already valid. */
  public static void writePlain(byte[] b, int off) {
    for (int i = 0; i < LENGTH; i++) {
      b[off + i] = 0;
    }
  }

  /** Writes every field (tests and tools build headers with it). */
  public static void write(
      byte[] b,
      int off,
      int flags,
      int gsoType,
      int hdrLen,
      int gsoSize,
      int csumStart,
      int csumOffset) {
    b[off] = (byte) flags;
    b[off + 1] = (byte) gsoType;
    putLe16(b, off + 2, hdrLen);
    putLe16(b, off + 4, gsoSize);
    putLe16(b, off + 6, csumStart);
    putLe16(b, off + 8, csumOffset);
  }

  private static int le16(byte[] b, int at) {
    return (b[at] & 0xff) | ((b[at + 1] & 0xff) << 8);
  }

  private static void putLe16(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
  }
}
