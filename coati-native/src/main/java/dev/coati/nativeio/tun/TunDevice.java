package dev.coati.nativeio.tun;

import java.io.IOException;

/**
 * A layer-3 TUN device: one IP packet per read or write (wireguard-go's tun.Device, batch 1); with
 * offloads, one read may be a TCP super-packet that the caller segments ({@code ip.TcpSegmenter}).
 */
public interface TunDevice extends AutoCloseable {
  String name();

  int mtu();

  /**
   * 0 for a plain device; else the length of the {@code struct virtio_net_hdr} (kernel {@code
   * include/uapi/linux/virtio_net.h}) that comes first in every {@link #read} and must come first
   * in every {@link #write} (all zero: a complete packet, checksums valid, no GSO).
   */
  default int vnetHeaderLength() {
    return 0;
  }

  /** Blocks for the next packet; returns its length (with the virtio_net_hdr, if any). */
  int read(byte[] buf, int off, int len) throws IOException;

  /** Writes one packet (after its virtio_net_hdr, if {@link #vnetHeaderLength()} is not 0). */
  void write(byte[] buf, int off, int len) throws IOException;

  @Override
  void close();
}
