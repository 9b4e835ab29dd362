package dev.coati.server.dataplane;

import dev.coati.ip.IcmpError;
import dev.coati.ip.Ipv4Fragmenter;
import dev.coati.ip.VirtioNetHdr;
import dev.coati.nativeio.tun.TunDevice;
import java.io.IOException;

/**
 * ESP fragmentation towards a peer (seed 002's {@code esp_frag 552}, {@code esp.fragment_size}): an
 * inner IPv4 packet larger than the peer's size is cut into fragments before encryption, each sent
 * in its own ESP packet, so no path sees a fragmented UDP datagram; a packet with Don't Fragment
 * set is answered on the TUN with ICMP fragmentation needed carrying the size as next-hop MTU (Path
 * MTU Discovery), and dropped. TUN thread only: the buffers are reused.
 */
final class InnerFragmentation {
  /** Encrypts and sends one inner packet (a fragment) on a route. */
  interface Seal {
    void send(DataPlane.Route r, byte[] p, int off, int n, byte[] out);
  }

  private final TunDevice tun;
  private final DropCounters drops;
  private final byte[] fragment = new byte[65536];
  private final byte[] icmp;

  InnerFragmentation(TunDevice tun, DropCounters drops) {
    this.tun = tun;
    this.drops = drops;
    this.icmp = new byte[tun.vnetHeaderLength() + IcmpError.MAX_LENGTH];
  }

  /** Sends {@code p[off, off+n)} as fragments of at most {@code size} bytes, or answers it. */
  void send(DataPlane.Route r, byte[] p, int off, int n, byte[] out, Seal seal) {
    int size = r.fragmentSize();
    int count = Ipv4Fragmenter.count(p, off, n, size);
    if (count == Ipv4Fragmenter.DONT_FRAGMENT) {
      drops.count(DropCounters.Reason.FRAGMENTATION_NEEDED);
      answer(p, off, n, size);
      return;
    }
    if (count < 1) {
      drops.count(DropCounters.Reason.MALFORMED);
      return;
    }
    if (count == Ipv4Fragmenter.FITS) {
      seal.send(r, p, off, n, out);
      return;
    }
    for (int i = 0; i < count; i++) {
      int len = Ipv4Fragmenter.fragment(p, off, n, size, i, fragment, 0);
      seal.send(r, fragment, 0, len, out);
    }
  }

  private void answer(byte[] p, int off, int n, int size) {
    int h = tun.vnetHeaderLength();
    int destination =
        ((p[off + 16] & 0xff) << 24)
            | ((p[off + 17] & 0xff) << 16)
            | ((p[off + 18] & 0xff) << 8)
            | (p[off + 19] & 0xff);
    int m = IcmpError.fragmentationNeeded(p, off, n, size, destination, icmp, h);
    if (m == 0) {
      return;
    }
    if (h != 0) {
      VirtioNetHdr.writePlain(icmp, 0);
    }
    try {
      tun.write(icmp, 0, h + m);
    } catch (IOException e) {
      drops.count(DropCounters.Reason.TUN_WRITE);
    }
  }
}
