package dev.coati.nativeio.udp;

/**
 * A batch of datagrams in pooled heap buffers, filled by {@link UdpBind#receive} or read by {@link
 * UdpBind#send(Datagrams, int)}. Slot {@code i} holds {@code length[i]} bytes at the start of
 * {@code data[i]}, the peer's IPv4 address (network order in an int, see {@link #ipv4}) and port,
 * and on receive the local address the datagram was sent to (IP_PKTINFO on a wildcard socket, the
 * IPv4 header's destination on a raw socket, else the bound address). Not thread-safe: one batch
 * per thread.
 */
public final class Datagrams {
  public final byte[][] data;
  public final int[] length;
  public final int[] peerAddress;
  public final int[] peerPort;
  public final int[] localAddress;

  /** {@code capacity} slots of {@code bufferSize} bytes each (65535 holds any UDP datagram). */
  public Datagrams(int capacity, int bufferSize) {
    if (capacity < 1 || bufferSize < 1) {
      throw new IllegalArgumentException("capacity and bufferSize must be positive");
    }
    data = new byte[capacity][bufferSize];
    length = new int[capacity];
    peerAddress = new int[capacity];
    peerPort = new int[capacity];
    localAddress = new int[capacity];
  }

  public int capacity() {
    return data.length;
  }

  /** Sets slot {@code i} for sending: its length and destination. */
  public void set(int i, int len, int address, int port) {
    length[i] = len;
    peerAddress[i] = address;
    peerPort[i] = port;
  }

  /** The int form of a 4-byte IPv4 address. */
  public static int ipv4(byte[] a) {
    if (a.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + a.length + " bytes");
    }
    return (a[0] & 0xff) << 24 | (a[1] & 0xff) << 16 | (a[2] & 0xff) << 8 | (a[3] & 0xff);
  }

  /** The 4-byte form of an int IPv4 address. */
  public static byte[] ipv4(int a) {
    return new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
  }

  /** Dotted-quad text of an int IPv4 address (for messages, not the hot path). */
  public static String text(int a) {
    return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
  }
}
