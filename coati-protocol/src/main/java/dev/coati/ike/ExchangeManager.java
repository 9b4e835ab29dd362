package dev.coati.ike;

import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IkeProtocolException;
import dev.coati.ike.wire.IsakmpCodec;
import dev.coati.ike.wire.IsakmpHeader;
import dev.coati.ike.wire.PayloadType;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Owns the messages of one IKE SA (strongSwan's task_manager_v1 role): message IDs, encryption and
 * IV commits, bounded retransmission of the last message while a reply is awaited, and duplicate
 * detection (a retransmitted request is answered with the cached response, never processed twice).
 */
final class ExchangeManager {
  private static final System.Logger LOG = System.getLogger("dev.coati.ike");

  /** How many finished exchanges are remembered to answer retransmitted requests. */
  static final int DONE_CACHE = 16;

  /** One exchange in flight or recently finished. */
  private static final class Exchange {
    final Task task;
    byte[] lastReceived;
    byte[] lastSent;
    boolean awaitingReply;
    int retransmits;
    long deadline;
    boolean done;

    Exchange(Task task) {
      this.task = task;
    }
  }

  private final IkeSa sa;
  private final IkeContext ctx;
  private final Map<Integer, Exchange> exchanges = new HashMap<>();
  private final ArrayDeque<Integer> finished = new ArrayDeque<>();

  ExchangeManager(IkeSa sa, IkeContext ctx) {
    this.sa = sa;
    this.ctx = ctx;
  }

  long now() {
    return ctx.clock().millis();
  }

  /** A fresh random message ID not in use on this SA (never 0). */
  int newMessageId() {
    for (int i = 0; i < 64; i++) {
      int mid = ctx.random().nextInt();
      if (mid != 0 && !exchanges.containsKey(mid)) {
        return mid;
      }
    }
    throw new IllegalStateException("no free message id");
  }

  boolean hasExchange(int messageId) {
    return exchanges.containsKey(messageId);
  }

  /** Starts an exchange we initiate. */
  void start(int messageId, Task task) {
    Exchange ex = new Exchange(task);
    exchanges.put(messageId, ex);
    OutboundMessage out = new OutboundMessage(task.exchangeType(), messageId);
    Status st = task.initiate(out);
    after(messageId, ex, st, out);
  }

  /** Registers a task the peer started with this message and processes it. */
  void receiveNew(int messageId, Task task, IsakmpHeader hdr, byte[] datagram, PeerAddress from) {
    Exchange ex = new Exchange(task);
    exchanges.put(messageId, ex);
    receive(hdr, datagram, from);
  }

  /**
   * Handles a datagram for an exchange already known. Returns false if no exchange has this message
   * ID (the caller decides whether it starts a new one).
   */
  boolean receive(IsakmpHeader hdr, byte[] datagram, PeerAddress from) {
    int mid = hdr.messageId();
    Exchange ex = exchanges.get(mid);
    if (ex == null) {
      return false;
    }
    if (ex.lastReceived != null && Arrays.equals(ex.lastReceived, datagram)) {
      if (ex.lastSent != null) {
        LOG.log(
            Level.DEBUG,
            "{0} retransmitted request {1}, resending cached response",
            sa.name(),
            Integer.toHexString(mid));
        ctx.outbox().send(sa.local(), sa.peer(), ex.lastSent);
      }
      return true;
    }
    if (ex.done) {
      return true;
    }
    InboundMessage in;
    try {
      in = InboundMessage.read(sa, hdr, datagram, from);
    } catch (IkeProtocolException e) {
      if (mid == 0 && hdr.isEncrypted() && sa.state() == IkeSa.State.CONNECTING) {
        // the first encrypted phase-1 message did not decrypt to valid payloads: the keys
        // differ, which with PSK authentication means the pre-shared keys do not match
        LOG.log(
            Level.INFO,
            "{0} phase 1 authentication failed: message did not decrypt (PSK mismatch?)",
            sa.name());
        sa.ivs().remove(mid);
        fail(mid, ex, "decryption failed");
        return true;
      }
      LOG.log(
          Level.INFO,
          "{0} dropped malformed message {1}: {2}",
          sa.name(),
          Integer.toHexString(mid),
          e.getMessage());
      return true;
    }
    OutboundMessage out = new OutboundMessage(ex.task.exchangeType(), mid);
    Status st;
    try {
      st = ex.task.process(in, out);
    } catch (IkeProtocolException e) {
      LOG.log(
          Level.INFO,
          "{0} exchange {1} failed: {2} ({3})",
          sa.name(),
          hdr.exchangeType(),
          e.getMessage(),
          e.notifyType());
      if (hdr.isEncrypted() || mid != 0) {
        sa.ivs().remove(mid);
      }
      fail(mid, ex, e.getMessage());
      Informational.sendError(sa, ctx, e.notifyType(), hdr.isEncrypted() || sa.hasKeys());
      return true;
    }
    if (hdr.isEncrypted() && st != Status.FAILED) {
      sa.ivs().confirm(mid);
    }
    ex.lastReceived = datagram;
    if (sa.hasKeys() && hdr.isEncrypted()) {
      sa.touch(now());
    }
    if (st != Status.FAILED && (hdr.isEncrypted() || st == Status.DONE)) {
      sa.authenticated(); // decrypted and processed, or a finished phase 1 (its HASH verified)
    }
    after(mid, ex, st, out);
    return true;
  }

  private void after(int mid, Exchange ex, Status st, OutboundMessage out) {
    if (st == Status.FAILED) {
      fail(mid, ex, "task failed");
      return;
    }
    if (!out.isEmpty()) {
      ex.lastSent = encode(out);
      ctx.outbox().send(sa.local(), sa.peer(), ex.lastSent);
    } else if (st == Status.NEED_MORE) {
      ex.lastSent = null;
    }
    ex.awaitingReply = st == Status.NEED_MORE;
    ex.retransmits = 0;
    ex.deadline = now() + ctx.retransmit().delay(0);
    if (st == Status.DONE) {
      ex.done = true;
      ex.awaitingReply = false;
      if (mid != 0) {
        finished.addLast(mid);
        while (finished.size() > DONE_CACHE) {
          Integer old = finished.removeFirst();
          exchanges.remove(old);
          sa.ivs().remove(old);
        }
      }
    }
  }

  private void fail(int mid, Exchange ex, String reason) {
    exchanges.remove(mid);
    ex.task.abort(reason);
  }

  /** Encodes, encrypts if asked, and returns the datagram. */
  byte[] encode(OutboundMessage out) {
    int flags = out.extraFlags() | (out.encrypted() ? IsakmpHeader.FLAG_ENCRYPTION : 0);
    IsakmpHeader hdr =
        new IsakmpHeader(
            sa.initiatorCookie(),
            sa.responderCookie(),
            PayloadType.NONE,
            1,
            0,
            out.exchangeType(),
            flags,
            out.messageId(),
            0);
    if (!out.encrypted()) {
      return IsakmpCodec.assemble(hdr, out.payloads());
    }
    byte[] plain = IsakmpCodec.encodePayloads(out.payloads());
    byte[] ct = sa.encrypt(out.messageId(), plain);
    return IsakmpCodec.assembleRaw(hdr, out.payloads().get(0).type(), ct);
  }

  /** Sends a one-shot message (informational) that expects no reply and is not retransmitted. */
  void sendOneShot(OutboundMessage out) {
    ctx.outbox().send(sa.local(), sa.peer(), encode(out));
    sa.ivs().remove(out.messageId());
  }

  /**
   * Retransmits what is due; returns the exchanges that ran out of retransmits (their tasks are
   * aborted). Phase 1 running out means the SA is dead: the caller deletes it.
   */
  boolean tick() {
    long now = now();
    boolean phase1Failed = false;
    for (Iterator<Map.Entry<Integer, Exchange>> it = exchanges.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<Integer, Exchange> e = it.next();
      Exchange ex = e.getValue();
      if (!ex.awaitingReply || now < ex.deadline) {
        continue;
      }
      if (ex.retransmits >= ctx.retransmit().maxRetransmits() || ex.lastSent == null) {
        it.remove();
        ex.task.abort("no reply after " + ex.retransmits + " retransmits");
        LOG.log(
            Level.INFO, "{0} exchange {1} timed out", sa.name(), Integer.toHexString(e.getKey()));
        phase1Failed |= e.getKey() == 0;
        continue;
      }
      ex.retransmits++;
      ex.deadline = now + ctx.retransmit().delay(ex.retransmits);
      LOG.log(
          Level.DEBUG,
          "{0} retransmit {1} of {2}",
          sa.name(),
          ex.retransmits,
          Integer.toHexString(e.getKey()));
      ctx.outbox().send(sa.local(), sa.peer(), ex.lastSent);
    }
    return phase1Failed;
  }

  /** Aborts every exchange (SA deletion). */
  void abortAll(String reason) {
    for (Exchange ex : exchanges.values()) {
      if (!ex.done) {
        ex.task.abort(reason);
      }
    }
    exchanges.clear();
  }

  /** The exchange type of the task running under {@code mid}, or null. */
  ExchangeType typeOf(int mid) {
    Exchange ex = exchanges.get(mid);
    return ex == null ? null : ex.task.exchangeType();
  }
}
