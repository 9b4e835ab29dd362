package dev.coati.ppp;

import dev.coati.ppp.wire.ControlPacket;
import dev.coati.ppp.wire.PppFrame;
import dev.coati.ppp.wire.PppOption;
import java.util.Arrays;
import java.util.List;

/**
 * What the automaton sends and when (RFC 1661 section 4.6, Counters and Timers): the restart timer
 * and counter, the identifiers, and the last Configure-Request, which an Ack, Nak or Reject must
 * match (section 5.2).
 */
final class Transmitter {
  static final long NO_DEADLINE = Long.MAX_VALUE;

  private final OptionPolicy policy;
  private final RestartConfig config;
  private final AutomatonListener listener;
  private int restartCount;
  private long deadline = NO_DEADLINE;
  private int nextId;
  private ControlPacket lastRequest;

  Transmitter(OptionPolicy policy, RestartConfig config, AutomatonListener listener) {
    this.policy = policy;
    this.config = config;
    this.listener = listener;
  }

  long deadline() {
    return deadline;
  }

  boolean expired(long now) {
    return now >= deadline;
  }

  void stopTimer() {
    deadline = NO_DEADLINE;
  }

  /** Transmissions left before TO- (the restart counter is positive). */
  boolean retriesLeft() {
    return restartCount > 0;
  }

  /** irc for Configure-Requests. */
  void initConfigure() {
    restartCount = config.maxConfigure();
  }

  /** zrc: counter to zero, timer running (Terminate-Request received while Opened). */
  void zeroCounter(long now) {
    restartCount = 0;
    deadline = now + config.restartMillis();
  }

  /** scr: a Configure-Request with the policy's current options. */
  void configureRequest(long now) {
    List<PppOption> options = policy.request();
    lastRequest =
        ControlPacket.withOptions(ControlPacket.CONFIGURE_REQUEST, nextIdentifier(), options);
    restartCount--;
    deadline = now + config.restartMillis();
    listener.send(lastRequest);
  }

  /** irc for Terminate-Requests, then str. */
  void startTerminate(long now) {
    restartCount = config.maxTerminate();
    terminateRequest(now);
  }

  /** str. */
  void terminateRequest(long now) {
    restartCount--;
    deadline = now + config.restartMillis();
    listener.send(
        new ControlPacket(ControlPacket.TERMINATE_REQUEST, nextIdentifier(), new byte[0]));
  }

  /** sta. */
  void terminateAck(int identifier) {
    listener.send(new ControlPacket(ControlPacket.TERMINATE_ACK, identifier, new byte[0]));
  }

  /** scj: the unknown packet back, bounded by the peer's MRU. */
  void codeReject(ControlPacket p) {
    listener.send(ControlPacket.codeReject(nextIdentifier(), p.encode(), policy.peerMru()));
  }

  /** A Protocol-Reject for a frame of a protocol we do not run (section 5.7). */
  void protocolReject(PppFrame frame, int peerMru) {
    listener.send(ControlPacket.protocolReject(nextIdentifier(), frame, peerMru));
  }

  /**
   * Whether {@code p} answers our last Configure-Request: same identifier and, for an Ack, the same
   * options; the options must parse (a malformed packet throws and is discarded).
   */
  boolean matchesLastRequest(ControlPacket p, boolean ack) {
    if (lastRequest == null || p.identifier() != lastRequest.identifier()) {
      return false;
    }
    if (ack && !Arrays.equals(p.data(), lastRequest.data())) {
      return false;
    }
    p.options();
    return true;
  }

  private int nextIdentifier() {
    int id = nextId;
    nextId = (nextId + 1) & 0xff;
    return id;
  }
}
