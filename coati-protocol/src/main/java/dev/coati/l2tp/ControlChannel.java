package dev.coati.l2tp;

import dev.coati.l2tp.wire.ControlMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The reliable delivery of control messages of one tunnel (RFC 2661 section 5.8). Pure: no I/O, no
 * clock, no threads; every call takes the time and returns what to put on the wire and what to
 * deliver up, in order.
 *
 * <ul>
 *   <li>Ns is assigned when a message goes on the wire, at most the peer's Receive Window Size of
 *       them unacknowledged (the rest wait); Nr piggybacks on every message sent.
 *   <li>Unacknowledged messages are retransmitted with the same Ns after a timeout that doubles up
 *       to a cap; after {@link Config#maxRetransmits} retransmits the tunnel is dead.
 *   <li>Messages from the peer are delivered in Ns order exactly once; those ahead of the expected
 *       Ns but within our receive window wait, duplicates are dropped and acknowledged at once,
 *       anything else is dropped.
 *   <li>When nothing piggybacks an acknowledgement within {@link Config#ackDelayMillis}, a ZLB
 *       carries it.
 * </ul>
 *
 * Sequence numbers are 16-bit and compared modulo 2^16 (section 5.8: a message is "before" another
 * when it is less than 32768 behind).
 */
public final class ControlChannel {
  /**
   * @param receiveWindow how many out-of-order messages we queue (advertise it in the Receive
   *     Window Size AVP)
   */
  public record Config(
      int receiveWindow,
      long initialTimeoutMillis,
      long maxTimeoutMillis,
      int maxRetransmits,
      long ackDelayMillis) {
    public static final Config DEFAULT = new Config(16, 1000, 8000, 5, 100);

    public Config {
      if (receiveWindow < 1
          || initialTimeoutMillis < 1
          || maxTimeoutMillis < initialTimeoutMillis
          || maxRetransmits < 0
          || ackDelayMillis < 0) {
        throw new IllegalArgumentException("bad control channel config");
      }
    }
  }

  /**
   * What a call produced.
   *
   * @param transmit messages to encode and send, in this order
   * @param deliver peer messages to process, in Ns order (never ZLBs)
   * @param dead true once the peer failed to acknowledge a message in time: tear the tunnel down
   */
  public record Output(List<ControlMessage> transmit, List<ControlMessage> deliver, boolean dead) {}

  /** RFC 2661 section 5.8: without a Receive Window Size AVP the peer's window is 4. */
  public static final int DEFAULT_PEER_WINDOW = 4;

  private static final class Pending {
    final ControlMessage message;
    long deadline;
    long timeout;
    int retransmits;

    Pending(ControlMessage message, long deadline, long timeout) {
      this.message = message;
      this.deadline = deadline;
      this.timeout = timeout;
    }
  }

  private final Config config;
  private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
  private final ArrayDeque<ControlMessage> waiting = new ArrayDeque<>();
  private final Map<Integer, ControlMessage> outOfOrder = new HashMap<>();
  private int ns;
  private int nr;
  private int peerWindow = DEFAULT_PEER_WINDOW;
  private int peerTunnelId;
  private long ackDueAt = -1;
  private boolean dead;

  public ControlChannel(Config config) {
    this.config = config;
  }

  /** The peer's Assigned Tunnel ID: the Tunnel ID of ZLBs we send. */
  public void peerTunnelId(int id) {
    peerTunnelId = id & 0xffff;
  }

  /** The peer's Receive Window Size AVP value (0 is treated as 1). */
  public void peerReceiveWindow(int size) {
    peerWindow = Math.max(1, size);
  }

  public boolean dead() {
    return dead;
  }

  /** Unacknowledged plus waiting messages. */
  public int outstanding() {
    return inFlight.size() + waiting.size();
  }

  /** Queues {@code message} (its Ns/Nr are overwritten) and sends what the window allows. */
  public Output send(ControlMessage message, long nowMillis) {
    if (message.isZlb()) {
      throw new IllegalArgumentException("ZLBs are the channel's own business");
    }
    List<ControlMessage> tx = new ArrayList<>();
    if (!dead) {
      waiting.add(message);
      flush(nowMillis, tx);
    }
    return new Output(tx, List.of(), dead);
  }

  /** Takes a decoded control message from the peer. */
  public Output receive(ControlMessage message, long nowMillis) {
    List<ControlMessage> tx = new ArrayList<>();
    List<ControlMessage> up = new ArrayList<>();
    if (dead) {
      return new Output(tx, up, true);
    }
    acknowledge(message.nr());
    if (!message.isZlb()) {
      accept(message, nowMillis, tx, up);
    }
    flush(nowMillis, tx);
    if (ackDueAt >= 0 && ackDueAt <= nowMillis) {
      tx.add(zlb());
    }
    return new Output(tx, up, false);
  }

  /** Retransmits what timed out and sends a pending ZLB; call at {@link #nextDeadline()}. */
  public Output tick(long nowMillis) {
    List<ControlMessage> tx = new ArrayList<>();
    if (dead) {
      return new Output(tx, List.of(), true);
    }
    for (Pending p : inFlight) {
      if (p.deadline > nowMillis) {
        continue;
      }
      if (p.retransmits == config.maxRetransmits()) {
        dead = true;
        inFlight.clear();
        waiting.clear();
        return new Output(List.of(), List.of(), true);
      }
      p.retransmits++;
      p.timeout = Math.min(p.timeout * 2, config.maxTimeoutMillis());
      p.deadline = nowMillis + p.timeout;
      tx.add(p.message.withSequence(p.message.ns(), nr));
      ackDueAt = -1;
    }
    if (ackDueAt >= 0 && ackDueAt <= nowMillis) {
      tx.add(zlb());
    }
    return new Output(tx, List.of(), false);
  }

  /** The earliest time {@link #tick} has something to do, or {@code Long.MAX_VALUE}. */
  public long nextDeadline() {
    long t = ackDueAt >= 0 ? ackDueAt : Long.MAX_VALUE;
    for (Pending p : inFlight) {
      t = Math.min(t, p.deadline);
    }
    return t;
  }

  private void acknowledge(int peerNr) {
    Iterator<Pending> it = inFlight.iterator();
    while (it.hasNext()) {
      if (!before(it.next().message.ns(), peerNr)) {
        break;
      }
      it.remove();
    }
  }

  private void accept(
      ControlMessage m, long now, List<ControlMessage> tx, List<ControlMessage> up) {
    int ahead = (m.ns() - nr) & 0xffff;
    if (ahead == 0) {
      up.add(m);
      nr = (nr + 1) & 0xffff;
      for (ControlMessage next; (next = outOfOrder.remove(nr)) != null; ) {
        up.add(next);
        nr = (nr + 1) & 0xffff;
      }
      if (ackDueAt < 0) {
        ackDueAt = now + config.ackDelayMillis();
      }
    } else if (ahead >= 0x8000) {
      ackDueAt = now; // a duplicate: our ack was lost, repeat it now
    } else if (ahead < config.receiveWindow()) {
      outOfOrder.putIfAbsent(m.ns(), m);
    }
  }

  private void flush(long now, List<ControlMessage> tx) {
    while (inFlight.size() < peerWindow && !waiting.isEmpty()) {
      ControlMessage m = waiting.poll().withSequence(ns, nr);
      ns = (ns + 1) & 0xffff;
      inFlight.add(
          new Pending(m, now + config.initialTimeoutMillis(), config.initialTimeoutMillis()));
      tx.add(m);
      ackDueAt = -1;
    }
  }

  private ControlMessage zlb() {
    ackDueAt = -1;
    return ControlMessage.zlb(peerTunnelId, ns, nr);
  }

  /** True when {@code a} precedes {@code b} modulo 2^16. */
  static boolean before(int a, int b) {
    int d = (b - a) & 0xffff;
    return d != 0 && d < 0x8000;
  }
}
