package dev.coati.ppp;

import dev.coati.ppp.wire.ControlPacket;
import dev.coati.ppp.wire.PppFrame;
import dev.coati.ppp.wire.PppProtocol;
import dev.coati.ppp.wire.PppProtocolException;

/**
 * The option negotiation automaton of RFC 1661 section 4, shared by LCP and the NCPs (IPCP); what
 * differs per protocol is its {@link OptionPolicy}. No I/O and no clock: packets go to the {@link
 * AutomatonListener}, time comes in as {@code now} and the owner calls {@link #tick} once {@link
 * #deadline()} has passed.
 *
 * <p>Events (section 4.3) map to methods: Up/Down ({@link #up}, {@link #down}), Open/Close, TO+/TO-
 * ({@link #tick}), and RCR+/RCR-/RCA/RCN/RTR/RTA/RUC/RXJ+/RXJ-/RXR from {@link #receive}. The
 * transitions follow the state table of section 4.1.
 */
public final class OptionAutomaton {
  /** The ten states of RFC 1661 section 4.2. */
  public enum State {
    INITIAL,
    STARTING,
    CLOSED,
    STOPPED,
    CLOSING,
    STOPPING,
    REQ_SENT,
    ACK_RCVD,
    ACK_SENT,
    OPENED
  }

  private final PppProtocol protocol;
  private final OptionPolicy policy;
  private final RestartConfig config;
  private final AutomatonListener listener;
  private State state = State.INITIAL;
  private int failureCount;
  private final Transmitter tx;

  public OptionAutomaton(
      PppProtocol protocol, OptionPolicy policy, RestartConfig config, AutomatonListener listener) {
    this.protocol = protocol;
    this.policy = policy;
    this.config = config;
    this.listener = listener;
    this.tx = new Transmitter(policy, config, listener);
  }

  public State state() {
    return state;
  }

  public PppProtocol protocol() {
    return protocol;
  }

  public boolean isOpened() {
    return state == State.OPENED;
  }

  /** When the restart timer expires, {@code Long.MAX_VALUE} if it is not running. */
  public long deadline() {
    return tx.deadline();
  }

  /** Up: the lower layer is ready. */
  public void up(long now) {
    switch (state) {
      case INITIAL -> state = State.CLOSED;
      case STARTING -> {
        tx.initConfigure();
        tx.configureRequest(now);
        state = State.REQ_SENT;
      }
      default -> {}
    }
  }

  /** Down: the lower layer is gone. */
  public void down() {
    switch (state) {
      case CLOSED, CLOSING -> enter(State.INITIAL);
      case STOPPED -> {
        listener.thisLayerStarted();
        enter(State.STARTING);
      }
      case STOPPING, REQ_SENT, ACK_RCVD, ACK_SENT -> enter(State.STARTING);
      case OPENED -> {
        listener.thisLayerDown();
        enter(State.STARTING);
      }
      default -> {}
    }
  }

  /** Open: the administrator (or the layer above) allows the link. */
  public void open(long now) {
    switch (state) {
      case INITIAL -> {
        listener.thisLayerStarted();
        state = State.STARTING;
      }
      case CLOSED -> {
        tx.initConfigure();
        tx.configureRequest(now);
        state = State.REQ_SENT;
      }
      case CLOSING -> state = State.STOPPING;
      default -> {}
    }
  }

  /** Close: the link is to be terminated. */
  public void close(long now) {
    switch (state) {
      case STARTING -> {
        listener.thisLayerFinished();
        enter(State.INITIAL);
      }
      case STOPPED -> state = State.CLOSED;
      case STOPPING -> state = State.CLOSING;
      case REQ_SENT, ACK_RCVD, ACK_SENT -> terminate(now, State.CLOSING);
      case OPENED -> {
        listener.thisLayerDown();
        terminate(now, State.CLOSING);
      }
      default -> {}
    }
  }

  /** TO+ or TO- when the restart timer has expired at {@code now}. */
  public void tick(long now) {
    if (!tx.expired(now)) {
      return;
    }
    tx.stopTimer();
    if (tx.retriesLeft()) {
      switch (state) {
        case CLOSING, STOPPING -> tx.terminateRequest(now);
        case REQ_SENT, ACK_RCVD -> {
          tx.configureRequest(now);
          state = State.REQ_SENT;
        }
        case ACK_SENT -> tx.configureRequest(now);
        default -> {}
      }
      return;
    }
    switch (state) {
      case CLOSING -> finish(State.CLOSED);
      case STOPPING, REQ_SENT, ACK_RCVD, ACK_SENT -> finish(State.STOPPED);
      default -> {}
    }
  }

  /**
   * A packet of this protocol arrived. Malformed packets are silently discarded (section 5), as is
   * everything before Up.
   */
  public void receive(ControlPacket p, long now) {
    if (state == State.INITIAL || state == State.STARTING) {
      return;
    }
    try {
      switch (p.code()) {
        case ControlPacket.CONFIGURE_REQUEST -> receiveConfigureRequest(p, now);
        case ControlPacket.CONFIGURE_ACK -> receiveConfigureAck(p, now);
        case ControlPacket.CONFIGURE_NAK, ControlPacket.CONFIGURE_REJECT ->
            receiveConfigureNakOrReject(p, now);
        case ControlPacket.TERMINATE_REQUEST -> receiveTerminateRequest(p, now);
        case ControlPacket.TERMINATE_ACK -> receiveTerminateAck(now);
        case ControlPacket.CODE_REJECT -> receiveCodeReject(p, now);
        case ControlPacket.PROTOCOL_REJECT -> receiveProtocolReject(p, now);
        default -> receiveOtherCode(p);
      }
    } catch (PppProtocolException malformed) {
      // silently discarded (RFC 1661 section 5: invalid packets)
    }
  }

  /**
   * Answers a frame of a protocol we do not run with a Protocol-Reject (section 5.7). Only LCP
   * sends them and only while Opened; returns whether one was sent.
   */
  public boolean protocolReject(PppFrame frame, int peerMru) {
    if (state != State.OPENED) {
      return false;
    }
    tx.protocolReject(frame, peerMru);
    return true;
  }

  private void receiveConfigureRequest(ControlPacket p, long now) {
    switch (state) {
      case CLOSED -> tx.terminateAck(p.identifier());
      case CLOSING, STOPPING -> {}
      default -> {
        RequestJudge.Reply reply =
            RequestJudge.judge(policy, p, failureCount >= config.maxFailure());
        onConfigureRequest(reply, now);
      }
    }
  }

  private void onConfigureRequest(RequestJudge.Reply reply, long now) {
    State from = state;
    if (from == State.OPENED) {
      listener.thisLayerDown();
      tx.configureRequest(now);
    } else if (from == State.STOPPED) {
      tx.initConfigure();
      tx.configureRequest(now);
    }
    if (reply.good()) {
      failureCount = 0;
    } else if (reply.packet().code() == ControlPacket.CONFIGURE_NAK) {
      failureCount++;
    }
    listener.send(reply.packet());
    if (reply.good()) {
      if (from == State.ACK_RCVD) {
        enter(State.OPENED);
        listener.thisLayerUp();
      } else {
        state = State.ACK_SENT;
      }
    } else {
      state = from == State.ACK_RCVD ? State.ACK_RCVD : State.REQ_SENT;
    }
  }

  private void receiveConfigureAck(ControlPacket p, long now) {
    if (!tx.matchesLastRequest(p, true)) {
      return;
    }
    switch (state) {
      case CLOSED, STOPPED -> tx.terminateAck(p.identifier());
      case REQ_SENT -> {
        policy.peerAck(p.options());
        tx.initConfigure();
        state = State.ACK_RCVD;
      }
      case ACK_RCVD -> {
        tx.configureRequest(now);
        state = State.REQ_SENT;
      }
      case ACK_SENT -> {
        policy.peerAck(p.options());
        tx.initConfigure();
        enter(State.OPENED);
        listener.thisLayerUp();
      }
      case OPENED -> {
        listener.thisLayerDown();
        tx.configureRequest(now);
        state = State.REQ_SENT;
      }
      default -> {}
    }
  }

  private void receiveConfigureNakOrReject(ControlPacket p, long now) {
    if (!tx.matchesLastRequest(p, false)) {
      return;
    }
    switch (state) {
      case CLOSED, STOPPED -> tx.terminateAck(p.identifier());
      case REQ_SENT, ACK_SENT -> {
        adjust(p);
        tx.initConfigure();
        tx.configureRequest(now);
      }
      case ACK_RCVD, OPENED -> {
        if (state == State.OPENED) {
          listener.thisLayerDown();
        }
        adjust(p);
        tx.configureRequest(now);
        state = State.REQ_SENT;
      }
      default -> {}
    }
  }

  private void adjust(ControlPacket p) {
    if (p.code() == ControlPacket.CONFIGURE_NAK) {
      policy.peerNak(p.options());
    } else {
      policy.peerReject(p.options());
    }
  }

  private void receiveTerminateRequest(ControlPacket p, long now) {
    if (state == State.OPENED) {
      listener.thisLayerDown();
      tx.zeroCounter(now);
      tx.terminateAck(p.identifier());
      state = State.STOPPING;
      return;
    }
    tx.terminateAck(p.identifier());
    if (state == State.ACK_RCVD || state == State.ACK_SENT) {
      state = State.REQ_SENT;
    }
  }

  private void receiveTerminateAck(long now) {
    switch (state) {
      case CLOSING -> finish(State.CLOSED);
      case STOPPING -> finish(State.STOPPED);
      case ACK_RCVD -> state = State.REQ_SENT;
      case OPENED -> {
        listener.thisLayerDown();
        tx.configureRequest(now);
        state = State.REQ_SENT;
      }
      default -> {}
    }
  }

  private void receiveCodeReject(ControlPacket p, long now) {
    byte[] d = p.data();
    if (d.length == 0) {
      throw new PppProtocolException("empty Code-Reject");
    }
    int code = d[0] & 0xff;
    boolean catastrophic = code >= 1 && code <= 7;
    rejected(catastrophic, now);
  }

  private void receiveProtocolReject(ControlPacket p, long now) {
    if (!policy.knowsCode(ControlPacket.PROTOCOL_REJECT)) {
      receiveOtherCode(p);
      return;
    }
    PppProtocol rejected = p.rejectedProtocol();
    if (!rejected.equals(protocol)) {
      listener.protocolRejected(rejected);
    }
    rejected(rejected.equals(protocol), now);
  }

  /** RXJ+ (permitted: nothing changes, but Ack-Rcvd goes back to Req-Sent) or RXJ-. */
  private void rejected(boolean catastrophic, long now) {
    if (!catastrophic) {
      if (state == State.ACK_RCVD) {
        state = State.REQ_SENT;
      }
      return;
    }
    switch (state) {
      case CLOSED, CLOSING -> finish(State.CLOSED);
      case STOPPED, STOPPING, REQ_SENT, ACK_RCVD, ACK_SENT -> finish(State.STOPPED);
      case OPENED -> {
        listener.thisLayerDown();
        terminate(now, State.STOPPING);
      }
      default -> {}
    }
  }

  /** RXR and LCP's other codes go to the policy; unknown codes get a Code-Reject (RUC). */
  private void receiveOtherCode(ControlPacket p) {
    if (policy.knowsCode(p.code())) {
      policy.extension(p, state == State.OPENED).ifPresent(listener::send);
      return;
    }
    tx.codeReject(p);
  }

  private void terminate(long now, State next) {
    tx.startTerminate(now);
    state = next;
  }

  private void finish(State next) {
    enter(next);
    listener.thisLayerFinished();
  }

  private void enter(State next) {
    state = next;
    if (next.ordinal() < State.CLOSING.ordinal() || next == State.OPENED) {
      tx.stopTimer();
    }
  }
}
