package dev.coati.server.dataplane;

import dev.coati.ike.Informational;
import dev.coati.ike.PeerAddress;
import dev.coati.util.RandomSource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Answers ESP for an SPI the gateway does not know (a client from before a restart, or a stale SA)
 * with an unprotected INVALID-SPI notify to the sender's IKE port, rate-limited so it can be
 * neither a flood nor a reflector: at most one per source address per {@link #PER_SOURCE_MILLIS}
 * and {@link #GLOBAL_PER_SECOND} in all, each no larger than the ESP packet that caused it. Socket
 * thread only.
 */
public final class InvalidSpiNotifier {
  static final long PER_SOURCE_MILLIS = 1000;
  static final int GLOBAL_PER_SECOND = 50;
  static final int MAX_SOURCES = 4096;

  /** Sends an IKE datagram (the socket loop's IKE path: adds the non-ESP marker on 4500). */
  public interface Sender {
    void send(PeerAddress from, PeerAddress to, byte[] datagram);
  }

  private final Sender sender;
  private final RandomSource random;
  private final LongSupplier clock;
  private final Map<Integer, Long> lastBySource = new HashMap<>();
  private long second;
  private int thisSecond;
  private final LongAdder sent = new LongAdder();
  private final LongAdder suppressed = new LongAdder();

  public InvalidSpiNotifier(Sender sender, RandomSource random, LongSupplier clock) {
    this.sender = sender;
    this.random = random;
    this.clock = clock;
  }

  /**
   * ESP for {@code spi} from {@code peer} ({@code udp}: ESP-in-UDP from that port, else raw ESP,
   * answered to port 500) arrived at {@code local} ({@code local.port()}: the IKE port to answer
   * from); {@code espLength}: the size of what arrived.
   */
  public void unknownSpi(
      int spi, byte[] peer, int peerPort, boolean udp, PeerAddress local, int espLength) {
    long now = clock.getAsLong();
    int key =
        (peer[0] & 0xff) << 24 | (peer[1] & 0xff) << 16 | (peer[2] & 0xff) << 8 | peer[3] & 0xff;
    Long last = lastBySource.get(key);
    if (now / 1000 != second) {
      second = now / 1000;
      thisSecond = 0;
    }
    if ((last != null && now - last < PER_SOURCE_MILLIS)
        || thisSecond >= GLOBAL_PER_SECOND
        || espLength < 48) { // never more bytes back than came in (44 + the 4-byte marker)
      suppressed.increment();
      return;
    }
    if (lastBySource.size() >= MAX_SOURCES) {
      lastBySource.clear();
    }
    lastBySource.put(key, now);
    thisSecond++;
    long cookie = 0;
    while (cookie == 0) {
      cookie = random.nextLong();
    }
    sender.send(
        local, new PeerAddress(peer, udp ? peerPort : 500), Informational.invalidSpi(cookie, spi));
    sent.increment();
  }

  /** Notifies sent (any thread). */
  public long sent() {
    return sent.sum();
  }

  /** Unknown-SPI packets not answered (rate limit or too small; any thread). */
  public long suppressed() {
    return suppressed.sum();
  }
}
