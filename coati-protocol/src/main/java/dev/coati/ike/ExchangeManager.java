package dev.coati.ike;

import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IkeProtocolException;
import dev.coati.ike.wire.IsakmpCodec;
import dev.coati.ike.wire.IsakmpHeader;
import dev.coati.ike.wire.PayloadType;
import dev.coati.util.LogSafe;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Owns the messages of one IKE SA (strongSwan's task_manager_v1 role): message IDs, encryption and
 * IV commits, bounded retransmission of the last message while a reply is awaited, and duplicate
 * detection (RFC 2408 section 5, RFC 2409 section 5): a retransmitted message of the peer is never
 * processed twice. It is answered with the cached answer only when that answer is not ours to
 * retransmit, i.e. in an exchange the peer started (our answer to its request) or when our message
 * was the last of the exchange (aggressive mode's HASH_I, quick mode's third message). Any other
 * copy, in particular the peer's answer to an exchange we started, is dropped and counted: our own
 * requests go out again only when our timer says so, so a peer that re-sends whenever it sees
 * something it ignores (vpnc) cannot turn a duplicate into a storm.
 */
final class ExchangeManager {
  private static final System.Logger LOG = System.getLogger("dev.coati.ike");
  // lines about single unauthenticated packets: rate-limited by the server's log
  private static final System.Logger PACKET = System.getLogger("dev.coati.ike.packet");

  /** How many finished exchanges are remembered to answer retransmitted requests. */
  static final int DONE_CACHE = 16;

  /** The most peer messages one exchange has (main mode: three); more are not remembered. */
  private static final int MAX_RECEIVED = 4;

  /** What became of a received datagram. */
  enum Receipt {
    /** No exchange has this message ID: the caller may start one. */
    UNKNOWN,
    /** Processed by the exchange's task (or dropped as malformed, or failed the exchange). */
    PROCESSED,
    /** A retransmitted request, answered with our cached answer. */
    DUPLICATE_ANSWERED,
    /** A copy of something already handled, or a message for a finished exchange: dropped. */
    DUPLICATE_DROPPED
  }

  /**
   * How many exchanges the peer may have open at once besides the finished ones kept for
   * retransmissions; a new one beyond it is dropped. Real peers run one or two at a time.
   */
  static final int MAX_OPEN = 16;

  /** One exchange in flight or recently finished. */
  private static final class Exchange {
    final Task task;
    final boolean ours;
    final List<byte[]> received = new ArrayList<>(2);
    byte[] lastSent;
    byte[] cachedAnswer;
    boolean awaitingReply;
    int retransmits;
    long deadline;
    boolean done;

    Exchange(Task task, boolean ours) {
      this.task = task;
      this.ours = ours;
    }

    /** Index of an identical datagram among those received, or -1. */
    int seen(byte[] datagram) {
      for (int i = received.size() - 1; i >= 0; i--) {
        if (Arrays.equals(received.get(i), datagram)) {
          return i;
        }
      }
      return -1;
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
    Exchange ex = new Exchange(task, true);
    exchanges.put(messageId, ex);
    OutboundMessage out = new OutboundMessage(task.exchangeType(), messageId);
    Status st = task.initiate(out);
    after(messageId, ex, st, out);
  }

  /**
   * Registers a task the peer started with this message and processes it; false (dropped) when
   * {@link #MAX_OPEN} exchanges are open already.
   */
  boolean receiveNew(
      int messageId, Task task, IsakmpHeader hdr, byte[] datagram, PeerAddress from) {
    if (exchanges.size() - finished.size() >= MAX_OPEN) {
      return false;
    }
    Exchange ex = new Exchange(task, false);
    exchanges.put(messageId, ex);
    receive(hdr, datagram, from);
    return true;
  }

  /** Exchanges held now, open and finished (for tests and the status view). */
  int size() {
    return exchanges.size();
  }

  /**
   * Handles a datagram for an exchange already known ({@link Receipt#UNKNOWN} if no exchange has
   * this message ID: the caller decides whether it starts a new one).
   */
  Receipt receive(IsakmpHeader hdr, byte[] datagram, PeerAddress from) {
    int mid = hdr.messageId();
    Exchange ex = exchanges.get(mid);
    if (ex == null) {
      return Receipt.UNKNOWN;
    }
    int seen = ex.seen(datagram);
    if (seen >= 0 || ex.done) {
      return duplicate(mid, ex, seen);
    }
    InboundMessage in = read(mid, ex, hdr, datagram, from);
    if (in == null) {
      return Receipt.PROCESSED;
    }
    OutboundMessage out = new OutboundMessage(ex.task.exchangeType(), mid);
    Status st;
    try {
      st = ex.task.process(in, out);
    } catch (IkeProtocolException e) {
      (sa.state() == IkeSa.State.ESTABLISHED ? LOG : PACKET)
          .log(
              Level.INFO,
              "{0} exchange {1} failed: {2} ({3})",
              sa.name(),
              hdr.exchangeType(),
              LogSafe.escape(e.getMessage()),
              e.notifyType());
      if (hdr.isEncrypted() || mid != 0) {
        sa.ivs().remove(mid);
      }
      fail(mid, ex, e.getMessage());
      Informational.sendError(sa, ctx, e.notifyType(), hdr.isEncrypted() || sa.hasKeys());
      return Receipt.PROCESSED;
    }
    if (hdr.isEncrypted() && st != Status.FAILED) {
      sa.ivs().confirm(mid);
    }
    if (ex.received.size() < MAX_RECEIVED) {
      ex.received.add(datagram);
    }
    if (sa.hasKeys() && hdr.isEncrypted()) {
      sa.touch(now());
    }
    if (st != Status.FAILED && (hdr.isEncrypted() || st == Status.DONE)) {
      sa.authenticated(); // decrypted and processed, or a finished phase 1 (its HASH verified)
    }
    after(mid, ex, st, out);
    return Receipt.PROCESSED;
  }

  /** Decrypts and decodes; null (logged, the exchange failed if phase 1 cannot go on) if not. */
  private InboundMessage read(
      int mid, Exchange ex, IsakmpHeader hdr, byte[] datagram, PeerAddress from) {
    try {
      return InboundMessage.read(sa, hdr, datagram, from);
    } catch (IkeProtocolException e) {
      if (mid == 0 && hdr.isEncrypted() && sa.state() == IkeSa.State.CONNECTING) {
        // the first encrypted phase-1 message did not decrypt to valid payloads: the keys
        // differ, which with PSK authentication means the pre-shared keys do not match
        PACKET.log(
            Level.INFO,
            "{0} phase 1 authentication failed peer={1} mode={2} reason=\"the first encrypted"
                + " message did not decrypt: the pre-shared keys differ\"",
            sa.name(),
            sa.peer(),
            ProposalText.mode(sa.mode()));
        sa.ivs().remove(mid);
        fail(mid, ex, "decryption failed");
        return null;
      }
      if (ex.received.isEmpty() && ex.lastSent == null) {
        // the first message of an exchange and it did not decrypt or parse: nothing was started,
        // so nothing is kept (spoofed garbage with this SA's cookies must not pile up)
        exchanges.remove(mid);
        sa.ivs().remove(mid);
      }
      (sa.state() == IkeSa.State.ESTABLISHED ? LOG : PACKET)
          .log(
              Level.INFO,
              "{0} dropped malformed message {1}: {2}",
              sa.name(),
              Integer.toHexString(mid),
              LogSafe.escape(e.getMessage()));
      return null;
    }
  }

  /**
   * A copy of a message already handled ({@code seen} is its index among the peer's messages of
   * this exchange, -1 for a new message to a finished exchange): only the latest message gets our
   * cached answer, and only if that answer is not retransmitted by our timer.
   */
  private Receipt duplicate(int mid, Exchange ex, int seen) {
    if (seen >= 0
        && seen == ex.received.size() - 1
        && ex.cachedAnswer != null
        && sa.resendAllowed()) {
      LOG.log(
          Level.DEBUG,
          "{0} retransmitted message {1}, resending our answer",
          sa.name(),
          Integer.toHexString(mid));
      ctx.outbox().send(sa.local(), sa.peer(), ex.cachedAnswer);
      return Receipt.DUPLICATE_ANSWERED;
    }
    LOG.log(
        Level.DEBUG,
        "{0} duplicate of message {1} dropped ({2})",
        sa.name(),
        Integer.toHexString(mid),
        ex.ours ? "our exchange" : "peer's exchange");
    return Receipt.DUPLICATE_DROPPED;
  }

  private void after(int mid, Exchange ex, Status st, OutboundMessage out) {
    if (st == Status.FAILED) {
      fail(mid, ex, "task failed");
      return;
    }
    if (!out.isEmpty()) {
      ex.lastSent = encode(out);
      ctx.outbox().send(sa.local(), sa.peer(), ex.lastSent);
      // answers to the peer's requests, and our last message of an exchange (which no timer
      // retransmits), go out again when the message they answer does
      ex.cachedAnswer = !ex.ours || st == Status.DONE ? ex.lastSent : null;
    } else {
      ex.cachedAnswer = null;
      if (st == Status.NEED_MORE) {
        ex.lastSent = null;
      }
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
      if (!ex.awaitingReply || now < ex.deadline || (sa.halfOpen() && !oneHalfOpenResend())) {
        continue; // a half-open SA gets no more timed retransmits; the engine times it out
      }
      if (ex.retransmits >= ctx.retransmit().maxRetransmits() || ex.lastSent == null) {
        it.remove();
        ex.task.abort("no reply after " + ex.retransmits + " retransmits");
        (sa.state() == IkeSa.State.ESTABLISHED ? LOG : PACKET)
            .log(
                Level.INFO,
                "{0} exchange {1} timed out",
                sa.name(),
                Integer.toHexString(e.getKey()));
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

  /**
   * Whether the timer may resend to a half-open (unverified, perhaps spoofed) peer: in aggressive
   * mode once, since a lost HASH_I leaves the responder nothing else to wait for (main mode's peer
   * retransmits its first message instead); never more than {@link IkeSa#resendAllowed} grants.
   */
  private boolean oneHalfOpenResend() {
    return ExchangeType.AGGRESSIVE.equals(sa.mode()) && sa.resendAllowed();
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
