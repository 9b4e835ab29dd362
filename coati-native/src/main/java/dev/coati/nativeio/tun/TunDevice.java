package dev.coati.nativeio.tun;

import java.io.IOException;

/** A layer-3 TUN device: one IP packet per read or write (wireguard-go's tun.Device, batch 1). */
public interface TunDevice extends AutoCloseable {
  String name();

  int mtu();

  /** Blocks for the next packet; returns its length. */
  int read(byte[] buf, int off, int len) throws IOException;

  void write(byte[] buf, int off, int len) throws IOException;

  @Override
  void close();
}
