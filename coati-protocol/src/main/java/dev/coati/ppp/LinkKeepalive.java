package dev.coati.ppp;

import dev.coati.ppp.wire.ControlPacket;

/**
 * LCP echo keepalive (RFC 1661 section 5.8, pppd's lcp-echo-interval/lcp-echo-failure): once LCP is
 * Opened, an Echo-Request goes out every interval in which nothing was heard from the peer; any
 * frame from the peer counts as an answer. After {@code failures} Echo-Requests in a row without
 * one the link is dead. An interval of 0 turns the keepalive off.
 */
final class LinkKeepalive {
  /** What {@link #tick} asks of the session. */
  enum Action {
    NONE,
    ECHO,
    DEAD
  }

  private final long interval;
  private final int failures;
  private long due = Transmitter.NO_DEADLINE;
  private int unanswered;
  private int identifier;

  LinkKeepalive(long interval, int failures) {
    this.interval = interval;
    this.failures = failures;
  }

  void start(long now) {
    if (interval > 0) {
      unanswered = 0;
      due = now + interval;
    }
  }

  void stop() {
    due = Transmitter.NO_DEADLINE;
  }

  /** A frame from the peer arrived. */
  void heard(long now) {
    if (due != Transmitter.NO_DEADLINE) {
      unanswered = 0;
      due = now + interval;
    }
  }

  long deadline() {
    return due;
  }

  /** Unanswered Echo-Requests in a row. */
  int unanswered() {
    return unanswered;
  }

  Action tick(long now) {
    if (now < due) {
      return Action.NONE;
    }
    if (unanswered >= failures) {
      stop();
      return Action.DEAD;
    }
    unanswered++;
    due = now + interval;
    return Action.ECHO;
  }

  /** The next Echo-Request, with our magic number and no data. */
  ControlPacket echoRequest(long magic) {
    identifier = (identifier + 1) & 0xff;
    return ControlPacket.withMagic(ControlPacket.ECHO_REQUEST, identifier, magic, new byte[0]);
  }
}
