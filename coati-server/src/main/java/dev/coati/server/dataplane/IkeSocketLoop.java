package dev.coati.server.dataplane;

import dev.coati.ike.IkeEngine;
import dev.coati.ike.IkeSa;
import dev.coati.ike.PeerAddress;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The IKE side of the data plane on JDK sockets: UDP 500 and 4500 (RFC 3948 non-ESP marker) on each
 * listen address, one thread that owns the engine, and its timer. ESP-in-UDP datagrams are counted
 * and dropped until the ESP data plane arrives (issue #3).
 */
public final class IkeSocketLoop implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("dev.coati.server");
  private static final long TICK_MILLIS = 200;

  private record Bound(DatagramChannel channel, PeerAddress local) {}

  private final Selector selector;
  private final List<Bound> bound = new ArrayList<>();
  private final int natTPort;
  private IkeEngine engine;
  private Runnable onTick = () -> {};
  private DataPlane dataPlane;
  private final byte[] scratch = new byte[65536];
  private volatile boolean stopping;
  private long espDropped;
  private long keepalives;

  public IkeSocketLoop(List<String> addresses, int ikePort, int natTPort) throws IOException {
    this.selector = Selector.open();
    this.natTPort = natTPort;
    try {
      for (String a : addresses) {
        for (int port : new int[] {ikePort, natTPort}) {
          DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
          ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
          ch.bind(new InetSocketAddress(InetAddress.getByName(a), port));
          ch.configureBlocking(false);
          PeerAddress local = toPeer((InetSocketAddress) ch.getLocalAddress());
          Bound b = new Bound(ch, local);
          ch.register(selector, SelectionKey.OP_READ, b);
          bound.add(b);
        }
      }
    } catch (IOException e) {
      close();
      throw new IOException(
          "cannot listen on "
              + addresses
              + " ports "
              + ikePort
              + "/"
              + natTPort
              + ": "
              + e.getMessage()
              + " (ports below 1024 need root or CAP_NET_BIND_SERVICE)",
          e);
    }
  }

  /** Creates the engine with an outbox that sends through these sockets. */
  public IkeEngine attach(Function<dev.coati.ike.Outbox, IkeEngine> factory) {
    this.engine =
        factory.apply(
            new dev.coati.ike.Outbox() {
              @Override
              public void send(PeerAddress from, PeerAddress to, byte[] datagram) {
                IkeSocketLoop.this.send(from, to, datagram);
              }

              @Override
              public void keepalive(PeerAddress from, PeerAddress to) {
                sendEsp(from, to, new byte[] {(byte) 0xff}, 1);
              }
            });
    return engine;
  }

  /** Where ESP-in-UDP datagrams go; ESP leaves through {@link #sendEsp}. */
  public void dataPlane(DataPlane dp) {
    this.dataPlane = dp;
    dp.sender(this::sendEsp);
  }

  /** Sends an ESP packet (no non-ESP marker) from the NAT-T socket; thread-safe. */
  public void sendEsp(PeerAddress from, PeerAddress to, byte[] packet, int len) {
    for (Bound b : bound) {
      if (b.local.port() == natTPort
          && (Arrays.equals(b.local.address(), from.address()) || isWildcard(b.local))) {
        try {
          b.channel.send(ByteBuffer.wrap(packet, 0, len), toSocket(to));
        } catch (IOException e) {
          espDropped++;
        }
        return;
      }
    }
  }

  /** Work to run on the socket thread at every timer tick (after the engine's). */
  public void onTick(Runnable r) {
    this.onTick = r;
  }

  public static PeerAddress toPeer(InetSocketAddress a) {
    return new PeerAddress(a.getAddress().getAddress(), a.getPort());
  }

  static InetSocketAddress toSocket(PeerAddress p) throws IOException {
    return new InetSocketAddress(InetAddress.getByAddress(p.address()), p.port());
  }

  private void send(PeerAddress from, PeerAddress to, byte[] datagram) {
    for (Bound b : bound) {
      if (b.local.equals(from) || (b.local.port() == from.port() && isWildcard(b.local))) {
        byte[] out = datagram;
        if (from.port() == natTPort) {
          out = new byte[datagram.length + 4];
          System.arraycopy(datagram, 0, out, 4, datagram.length);
        }
        try {
          b.channel.send(ByteBuffer.wrap(out), toSocket(to));
        } catch (IOException e) {
          LOG.log(Level.WARNING, "send to {0} failed: {1}", to, e.getMessage());
        }
        return;
      }
    }
    LOG.log(Level.WARNING, "no socket for {0}", from);
  }

  private static boolean isWildcard(PeerAddress p) {
    return Arrays.equals(p.address(), new byte[4]);
  }

  /** Runs until {@link #stop()}; then deletes every SA politely and returns. */
  public void run() throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(65536);
    long nextTick = System.currentTimeMillis() + TICK_MILLIS;
    while (!stopping) {
      selector.select(Math.max(1, nextTick - System.currentTimeMillis()));
      for (SelectionKey k : selector.selectedKeys()) {
        Bound b = (Bound) k.attachment();
        buf.clear();
        InetSocketAddress from;
        while ((from = (InetSocketAddress) b.channel.receive(buf)) != null) {
          buf.flip();
          dispatch(b, toPeer(from), Arrays.copyOf(buf.array(), buf.limit()));
          buf.clear();
        }
      }
      selector.selectedKeys().clear();
      if (System.currentTimeMillis() >= nextTick) {
        engine.tick();
        onTick.run();
        nextTick = System.currentTimeMillis() + TICK_MILLIS;
      }
    }
    for (IkeSa sa : engine.sas()) {
      engine.delete(sa, "gateway shutting down");
    }
  }

  private void dispatch(Bound b, PeerAddress from, byte[] d) {
    PeerAddress local = b.local;
    if (b.local.port() != natTPort) {
      engine.receive(local, from, d);
      return;
    }
    if (d.length == 1 && d[0] == (byte) 0xff) {
      keepalives++;
      return;
    }
    if (d.length >= 4 && d[0] == 0 && d[1] == 0 && d[2] == 0 && d[3] == 0) {
      engine.receive(local, from, Arrays.copyOfRange(d, 4, d.length));
      return;
    }
    if (dataPlane != null) {
      dataPlane.inbound(d, 0, d.length, scratch);
    } else {
      espDropped++; // no TUN device configured: nowhere to put the traffic
    }
  }

  public void stop() {
    stopping = true;
    selector.wakeup();
  }

  public long espDropped() {
    return espDropped;
  }

  @Override
  public void close() throws IOException {
    for (Bound b : bound) {
      b.channel.close();
    }
    selector.close();
  }
}
