package dev.coati.l2tp;

import dev.coati.l2tp.wire.Avp;
import dev.coati.l2tp.wire.Avps;
import dev.coati.l2tp.wire.ControlMessage;
import dev.coati.l2tp.wire.L2tpProtocolException;
import dev.coati.l2tp.wire.MessageType;
import dev.coati.l2tp.wire.ResultCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One L2TP tunnel on the LNS side (RFC 2661 sections 7.2 and 10): the control connection (SCCRQ,
 * our SCCRP, SCCCN; HELLO; StopCCN) and its incoming calls (ICRQ, our ICRP, ICCN; CDN) over the
 * reliable {@link ControlChannel}. Pure: datagrams and time in, datagrams and events out. The
 * caller binds the tunnel to the ESP SA it arrived on, so any number of clients behind one NAT, all
 * using port 1701, each get their own tunnel. Tunnel authentication (Challenge AVPs) and the tie
 * breaker are not implemented (clients of an LNS send no SCCRQ of their own to collide with).
 */
public final class L2tpTunnel {
  /** Control connection states (RFC 2661 7.2.1, LNS side). */
  public enum State {
    IDLE,
    WAIT_CTL_CONN,
    ESTABLISHED,
    CLOSED
  }

  /** What the tunnel tells the layer above (PPP starts on {@code sessionUp}). */
  public interface Events {
    void sessionUp(int ourSessionId, int peerSessionId);

    void sessionDown(int ourSessionId, String reason);

    void tunnelDown(String reason);
  }

  private record Session(int peerId, boolean up) {}

  private final int ourTunnelId;
  private final String hostName;
  private final Events events;
  private final long helloMillis;
  private final ControlChannel channel;
  private final ControlChannel.Config config;
  private final Map<Integer, Session> sessions = new HashMap<>();
  private State state = State.IDLE;
  private int peerTunnelId;
  private int nextSessionId = 1;
  private long lastHeard;

  /** {@code helloMillis}: a HELLO after that long without a message from the peer (0: never). */
  public L2tpTunnel(
      int ourTunnelId, String hostName, Events events, long helloMillis, ControlChannel.Config c) {
    this.ourTunnelId = ourTunnelId;
    this.hostName = hostName;
    this.events = events;
    this.helloMillis = helloMillis;
    this.channel = new ControlChannel(c);
    this.config = c;
  }

  public State state() {
    return state;
  }

  public int ourTunnelId() {
    return ourTunnelId;
  }

  /** Sessions that completed ICCN and are not closed. */
  public int sessionsUp() {
    return (int) sessions.values().stream().filter(Session::up).count();
  }

  /** A control message from the peer (already known to belong to this tunnel); what to send. */
  public List<byte[]> receive(byte[] datagram, long now) {
    if (state == State.CLOSED) {
      return List.of();
    }
    ControlMessage m;
    try {
      m = ControlMessage.decode(datagram);
    } catch (L2tpProtocolException e) {
      return List.of(); // malformed or unknown mandatory content: dropped (counted above)
    }
    lastHeard = now;
    ControlChannel.Output o = channel.receive(m, now);
    List<ControlMessage> out = new ArrayList<>(o.transmit());
    for (ControlMessage d : o.deliver()) {
      handle(d, now, out);
    }
    return encode(out);
  }

  /** Retransmissions, ZLB acks and HELLO keepalives; a dead channel ends the tunnel. */
  public List<byte[]> tick(long now) {
    if (state == State.CLOSED) {
      return List.of();
    }
    List<ControlMessage> out = new ArrayList<>();
    if (state == State.ESTABLISHED
        && helloMillis > 0
        && now - lastHeard >= helloMillis
        && channel.outstanding() == 0) {
      lastHeard = now;
      send(ControlMessage.of(peerTunnelId, 0, MessageType.HELLO, List.of()), now, out);
    }
    ControlChannel.Output o = channel.tick(now);
    out.addAll(o.transmit());
    if (o.dead()) {
      down("peer stopped answering (retransmits exhausted)");
      return List.of();
    }
    return encode(out);
  }

  /** Closes the tunnel with StopCCN (result 1, general request to clear). */
  public List<byte[]> close(String reason, long now) {
    List<ControlMessage> out = new ArrayList<>();
    if (state != State.CLOSED && state != State.IDLE) {
      send(stopCcn(ResultCode.CLEAR_CONNECTION), now, out);
    }
    down(reason);
    return encode(out);
  }

  /** Ends one session with CDN (result 3: administrative, e.g. PPP ended or a kick). */
  public List<byte[]> closeSession(int ourSessionId, long now) {
    Session s = sessions.remove(ourSessionId);
    List<ControlMessage> out = new ArrayList<>();
    if (s != null) {
      send(cdn(s.peerId(), ourSessionId, 3), now, out);
      events.sessionDown(ourSessionId, "closed by the gateway");
    }
    return encode(out);
  }

  private void handle(ControlMessage m, long now, List<ControlMessage> out) {
    MessageType t = m.messageType().orElse(null);
    if (t == null) {
      return;
    }
    if (t.equals(MessageType.SCCRQ) && state == State.IDLE) {
      peerTunnelId = m.assignedTunnelId().orElse(0);
      channel.peerTunnelId(peerTunnelId);
      m.receiveWindowSize().ifPresent(channel::peerReceiveWindow);
      send(sccrp(), now, out);
      state = State.WAIT_CTL_CONN;
    } else if (t.equals(MessageType.SCCCN) && state == State.WAIT_CTL_CONN) {
      state = State.ESTABLISHED;
    } else if (t.equals(MessageType.STOP_CCN)) {
      down("StopCCN from the peer: " + m.resultCode().map(Object::toString).orElse("?"));
    } else if (t.equals(MessageType.ICRQ) && state == State.ESTABLISHED) {
      incomingCall(m, now, out);
    } else if (t.equals(MessageType.ICCN) && sessions.containsKey(m.sessionId())) {
      Session s = sessions.get(m.sessionId());
      if (!s.up()) {
        sessions.put(m.sessionId(), new Session(s.peerId(), true));
        events.sessionUp(m.sessionId(), s.peerId());
      }
    } else if (t.equals(MessageType.CDN) && sessions.remove(m.sessionId()) != null) {
      events.sessionDown(m.sessionId(), "CDN from the peer");
    } else if (!t.equals(MessageType.HELLO)) {
      send(stopCcn(ResultCode.FSM_ERROR), now, out); // a message this state cannot take
      down("unexpected " + t + " in state " + state);
    }
  }

  private void incomingCall(ControlMessage m, long now, List<ControlMessage> out) {
    int peerSession = m.assignedSessionId().orElse(0);
    int ours = allocateSession();
    sessions.put(ours, new Session(peerSession, false));
    send(
        ControlMessage.of(
            peerTunnelId, peerSession, MessageType.ICRP, List.of(Avps.assignedSessionId(ours))),
        now,
        out);
  }

  private int allocateSession() {
    for (int i = 0; i < 65535; i++) {
      int id = nextSessionId;
      nextSessionId = nextSessionId == 65535 ? 1 : nextSessionId + 1;
      if (!sessions.containsKey(id)) {
        return id;
      }
    }
    throw new IllegalStateException("no free session id");
  }

  private ControlMessage sccrp() {
    List<Avp> avps =
        List.of(
            Avps.protocolVersion(1, 0),
            Avps.framingCapabilities(Avps.FRAMING_SYNC | Avps.FRAMING_ASYNC),
            Avps.hostName(hostName),
            Avps.assignedTunnelId(ourTunnelId),
            Avps.receiveWindowSize(config.receiveWindow()),
            Avps.vendorName("coati"));
    return ControlMessage.of(peerTunnelId, 0, MessageType.SCCRP, avps);
  }

  private ControlMessage stopCcn(int result) {
    return ControlMessage.of(
        peerTunnelId,
        0,
        MessageType.STOP_CCN,
        List.of(
            Avps.assignedTunnelId(ourTunnelId), Avps.resultCode(new ResultCode(result, -1, ""))));
  }

  private ControlMessage cdn(int peerSession, int ourSession, int result) {
    return ControlMessage.of(
        peerTunnelId,
        peerSession,
        MessageType.CDN,
        List.of(
            Avps.resultCode(new ResultCode(result, -1, "")), Avps.assignedSessionId(ourSession)));
  }

  private void send(ControlMessage m, long now, List<ControlMessage> out) {
    out.addAll(channel.send(m, now).transmit());
  }

  private void down(String reason) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    for (Integer id : List.copyOf(sessions.keySet())) {
      events.sessionDown(id, "tunnel closed");
    }
    sessions.clear();
    events.tunnelDown(reason);
  }

  private static List<byte[]> encode(List<ControlMessage> ms) {
    List<byte[]> out = new ArrayList<>(ms.size());
    for (ControlMessage m : ms) {
      out.add(m.encode());
    }
    return out;
  }
}
