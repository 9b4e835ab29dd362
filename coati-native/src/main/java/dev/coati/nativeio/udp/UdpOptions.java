package dev.coati.nativeio.udp;

/**
 * How a socket is opened: the largest batch one {@link UdpBind#receive} returns, the largest
 * datagram (larger ones are dropped and counted), and the kernel buffer sizes (SO_RCVBUF,
 * SO_SNDBUF; the kernel caps them at net.core.rmem_max/wmem_max; 0 keeps its default).
 */
public record UdpOptions(int batch, int maxDatagram, int receiveBuffer, int sendBuffer) {
  /** 32 datagrams of up to 65535 bytes, 4 MiB kernel buffers. */
  public static final UdpOptions DEFAULT = new UdpOptions(32, 65535, 4 << 20, 4 << 20);

  public UdpOptions {
    if (batch < 1 || batch > 1024) {
      throw new IllegalArgumentException("batch must be 1..1024: " + batch);
    }
    if (maxDatagram < 1 || maxDatagram > 65535) {
      throw new IllegalArgumentException("maxDatagram must be 1..65535: " + maxDatagram);
    }
  }
}
