package dev.coati.ike;

import dev.coati.util.ByteWriter;
import java.util.Arrays;

/**
 * A peer's IP address and UDP port as raw bytes (4 for IPv4, 16 for IPv6). The protocol module does
 * not use {@code java.net}; the server converts at the socket boundary.
 */
public record PeerAddress(byte[] address, int port) {
  public PeerAddress {
    if (address.length != 4 && address.length != 16) {
      throw new IllegalArgumentException("address must be 4 or 16 bytes");
    }
    if (port < 0 || port > 0xffff) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    address = address.clone();
  }

  public static PeerAddress ipv4(int a, int b, int c, int d, int port) {
    return new PeerAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}, port);
  }

  @Override
  public byte[] address() {
    return address.clone();
  }

  /**
   * The IPv4 address as a big-endian int, without the copy {@link #address()} makes (the data
   * plane's per-packet send path).
   */
  public int ipv4() {
    if (address.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + address.length + " bytes");
    }
    return (address[0] & 0xff) << 24
        | (address[1] & 0xff) << 16
        | (address[2] & 0xff) << 8
        | (address[3] & 0xff);
  }

  public PeerAddress withPort(int newPort) {
    return new PeerAddress(address, newPort);
  }

  /** Address followed by the 16-bit port, as NAT-D hashes it (RFC 3947 section 3.2). */
  public byte[] addressAndPort() {
    return new ByteWriter(address.length + 2).bytes(address).u16(port).toByteArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerAddress p && port == p.port && Arrays.equals(address, p.address);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(address) * 31 + port;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (address.length == 4) {
      for (int i = 0; i < 4; i++) {
        sb.append(i == 0 ? "" : ".").append(address[i] & 0xff);
      }
    } else {
      for (int i = 0; i < 16; i += 2) {
        sb.append(i == 0 ? "" : ":")
            .append(Integer.toHexString(((address[i] & 0xff) << 8) | (address[i + 1] & 0xff)));
      }
      sb.insert(0, '[').append(']');
    }
    return sb.append(':').append(port).toString();
  }
}
