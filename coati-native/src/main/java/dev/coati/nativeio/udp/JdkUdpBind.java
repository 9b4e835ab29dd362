package dev.coati.nativeio.udp;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fallback when FFM or recvmmsg(2) is unavailable: a non-blocking JDK {@link DatagramChannel}
 * behind the same interface, one receive(2)/send(2) per datagram. It cannot learn a wildcard
 * socket's local destination address (no IP_PKTINFO), so it reports the bound address.
 */
final class JdkUdpBind implements UdpBind {
  private final DatagramChannel channel;
  private final int localAddress;
  private final int localPort;
  private final ThreadLocal<byte[]> peer = ThreadLocal.withInitial(() -> new byte[4]);
  private final LongAdder sendDrops = new LongAdder();
  private final LongAdder receiveDrops = new LongAdder();
  private final ByteBuffer scratch;

  private JdkUdpBind(DatagramChannel channel, int address, int port, int maxDatagram) {
    this.channel = channel;
    this.localAddress = address;
    this.localPort = port;
    this.scratch = ByteBuffer.allocate(maxDatagram + 1); // one more byte detects truncation
  }

  static JdkUdpBind open(int address, int port, UdpOptions o) throws IOException {
    DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
    try {
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      if (o.receiveBuffer() > 0) {
        ch.setOption(StandardSocketOptions.SO_RCVBUF, o.receiveBuffer());
      }
      if (o.sendBuffer() > 0) {
        ch.setOption(StandardSocketOptions.SO_SNDBUF, o.sendBuffer());
      }
      ch.bind(new InetSocketAddress(InetAddress.getByAddress(Datagrams.ipv4(address)), port));
      ch.configureBlocking(false);
      int bound = ((InetSocketAddress) ch.getLocalAddress()).getPort();
      return new JdkUdpBind(ch, address, bound, o.maxDatagram());
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  DatagramChannel channel() {
    return channel;
  }

  @Override
  public int localAddress() {
    return localAddress;
  }

  @Override
  public int localPort() {
    return localPort;
  }

  @Override
  public boolean isNative() {
    return false;
  }

  @Override
  public int receive(Datagrams into) throws IOException {
    int n = 0;
    while (n < into.capacity()) {
      scratch.clear();
      InetSocketAddress from = (InetSocketAddress) channel.receive(scratch);
      if (from == null) {
        break;
      }
      int len = scratch.position();
      if (len > into.data[n].length
          || len == scratch.capacity()
          || !(from.getAddress() instanceof Inet4Address)) {
        receiveDrops.increment();
        continue;
      }
      System.arraycopy(scratch.array(), 0, into.data[n], 0, len);
      into.length[n] = len;
      into.peerAddress[n] = Datagrams.ipv4(from.getAddress().getAddress());
      into.peerPort[n] = from.getPort();
      into.localAddress[n] = localAddress;
      n++;
    }
    return n;
  }

  @Override
  public boolean send(byte[] buf, int off, int len, int address, int port) {
    byte[] a = peer.get();
    a[0] = (byte) (address >>> 24);
    a[1] = (byte) (address >>> 16);
    a[2] = (byte) (address >>> 8);
    a[3] = (byte) address;
    try {
      InetSocketAddress to = new InetSocketAddress(InetAddress.getByAddress(a), port);
      if (channel.send(ByteBuffer.wrap(buf, off, len), to) == len) {
        return true;
      }
    } catch (IOException | RuntimeException e) {
      // counted below: no exception or log line per datagram
    }
    sendDrops.increment();
    return false;
  }

  @Override
  public int send(Datagrams from, int count) {
    int sent = 0;
    for (int i = 0; i < count; i++) {
      if (send(from.data[i], 0, from.length[i], from.peerAddress[i], from.peerPort[i])) {
        sent++;
      }
    }
    return sent;
  }

  @Override
  public long sendDrops() {
    return sendDrops.sum();
  }

  @Override
  public long receiveDrops() {
    return receiveDrops.sum();
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // closing a datagram channel has nothing to flush
    }
  }

  @Override
  public String toString() {
    return "UDP (JDK) " + Datagrams.text(localAddress) + ":" + localPort;
  }
}
