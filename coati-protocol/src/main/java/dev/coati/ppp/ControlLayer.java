package dev.coati.ppp;

import dev.coati.ppp.OptionAutomaton.State;
import dev.coati.ppp.wire.ControlPacket;
import dev.coati.ppp.wire.PppProtocol;
import java.util.Arrays;
import java.util.BitSet;
import java.util.function.BiConsumer;

/**
 * One control protocol of a {@link PppSession} (LCP or IPCP): its {@link OptionAutomaton}, its
 * packets out as frames of its protocol, and a filter for stale control packets (SoftEther Q18).
 *
 * <p>RFC 1661 makes an Opened automaton renegotiate on any Configure-Request, and on a
 * Configure-Ack/Nak/Reject of its last request. On L2TP, whose data channel may duplicate and
 * reorder, those are nearly always late copies: pppd retransmits a Configure-Request with the same
 * identifier, so its retransmission can arrive after we opened. While Opened we therefore answer a
 * copy of the request we acknowledged with the same Configure-Ack again, drop a Configure-Request
 * whose identifier we have already seen, and drop Configure-Ack/Nak/Reject (we have no request
 * outstanding). A Configure-Request with a new identifier still renegotiates, as the RFC says.
 */
final class ControlLayer implements AutomatonListener {
  /** The layer events towards the session (tlu, tld, tlf and RXJ+ of section 4.4). */
  interface Events {
    void up();

    default void down() {}

    void finished();

    default void rejected(PppProtocol protocol) {}
  }

  private final PppProtocol protocol;
  private final OptionAutomaton automaton;
  private final BiConsumer<PppProtocol, ControlPacket> out;
  private final Events events;
  private final BitSet seenRequests = new BitSet(256);
  private ControlPacket lastAck;

  ControlLayer(
      PppProtocol protocol,
      OptionPolicy policy,
      RestartConfig restart,
      BiConsumer<PppProtocol, ControlPacket> out,
      Events events) {
    this.protocol = protocol;
    this.out = out;
    this.events = events;
    this.automaton = new OptionAutomaton(protocol, policy, restart, this);
  }

  OptionAutomaton automaton() {
    return automaton;
  }

  boolean isOpened() {
    return automaton.isOpened();
  }

  State state() {
    return automaton.state();
  }

  long deadline() {
    return automaton.deadline();
  }

  /** Open and Up: our Configure-Request goes out. */
  void start(long now) {
    automaton.open(now);
    automaton.up(now);
  }

  void tick(long now) {
    automaton.tick(now);
  }

  void close(long now) {
    automaton.close(now);
  }

  void receive(ControlPacket p, long now) {
    if (automaton.isOpened() && stale(p)) {
      return;
    }
    if (p.code() == ControlPacket.CONFIGURE_REQUEST) {
      seenRequests.set(p.identifier());
    }
    automaton.receive(p, now);
  }

  private boolean stale(ControlPacket p) {
    return switch (p.code()) {
      case ControlPacket.CONFIGURE_REQUEST -> {
        if (lastAck != null
            && p.identifier() == lastAck.identifier()
            && Arrays.equals(p.data(), lastAck.data())) {
          out.accept(protocol, lastAck);
          yield true;
        }
        yield seenRequests.get(p.identifier());
      }
      case ControlPacket.CONFIGURE_ACK,
          ControlPacket.CONFIGURE_NAK,
          ControlPacket.CONFIGURE_REJECT ->
          true;
      default -> false;
    };
  }

  @Override
  public void send(ControlPacket packet) {
    if (packet.code() == ControlPacket.CONFIGURE_ACK) {
      lastAck = packet;
    }
    out.accept(protocol, packet);
  }

  @Override
  public void thisLayerUp() {
    events.up();
  }

  @Override
  public void thisLayerDown() {
    events.down();
  }

  @Override
  public void thisLayerFinished() {
    events.finished();
  }

  @Override
  public void protocolRejected(PppProtocol rejected) {
    events.rejected(rejected);
  }
}
