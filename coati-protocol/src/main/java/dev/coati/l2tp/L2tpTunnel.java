package dev.coati.l2tp;

import dev.coati.l2tp.wire.Avp;
import dev.coati.l2tp.wire.AvpType;
import dev.coati.l2tp.wire.Avps;
import dev.coati.l2tp.wire.ControlMessage;
import dev.coati.l2tp.wire.L2tpProtocolException;
import dev.coati.l2tp.wire.MessageType;
import dev.coati.l2tp.wire.ResultCode;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One L2TP tunnel on the LNS side (RFC 2661 sections 7.2 and 10): the control connection (SCCRQ,
 * our SCCRP, SCCCN; HELLO; StopCCN) and its incoming calls (ICRQ, our ICRP, ICCN; CDN) over the
 * reliable {@link ControlChannel}. Pure: datagrams and time in, datagrams and events out. The
 * caller binds the tunnel to the ESP SA it arrived on, so any number of clients behind one NAT, all
 * using port 1701, each get their own tunnel.
 *
 * <p>With a shared secret ({@link TunnelSecurity}): tunnel authentication (section 5.1.1) answers a
 * Challenge in the SCCRQ with a Challenge Response in our SCCRP and, when authentication is
 * required, sends a Challenge of our own in the SCCRP that the SCCCN must answer; hidden AVPs from
 * the peer are revealed, and with hiding on, what we send is hidden (section 4.3) except StopCCN,
 * which stays plain so that a peer with the wrong secret can still read why it was refused. A
 * missing or wrong Challenge Response, a Challenge or hidden AVPs when we have no secret: StopCCN
 * with result 4 (not authorized); a hidden AVP that does not reveal: StopCCN with result 2 and the
 * error code of the failure. The tie breaker is not implemented (clients of an LNS send no SCCRQ of
 * their own to collide with).
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
  private final TunnelSecurity security;
  private final Map<Integer, Session> sessions = new HashMap<>();
  private State state = State.IDLE;
  private int peerTunnelId;
  private int nextSessionId = 1;
  private long lastHeard;
  private byte[] ourChallenge; // sent in our SCCRP when authentication is required
  private String peerHostName;
  private String peerVendorName;

  /**
   * A tunnel without a secret ({@link TunnelSecurity#NONE}). {@code helloMillis}: a HELLO after
   * that long without a message from the peer (0: never).
   */
  public L2tpTunnel(
      int ourTunnelId, String hostName, Events events, long helloMillis, ControlChannel.Config c) {
    this(ourTunnelId, hostName, events, helloMillis, c, TunnelSecurity.NONE);
  }

  /** A tunnel with the shared secret and policy of {@code security}. */
  public L2tpTunnel(
      int ourTunnelId,
      String hostName,
      Events events,
      long helloMillis,
      ControlChannel.Config c,
      TunnelSecurity security) {
    this.ourTunnelId = ourTunnelId;
    this.hostName = hostName;
    this.events = events;
    this.helloMillis = helloMillis;
    this.channel = new ControlChannel(c);
    this.config = c;
    this.security = security;
  }

  public State state() {
    return state;
  }

  public int ourTunnelId() {
    return ourTunnelId;
  }

  /** The peer's Assigned Tunnel ID (0 before its SCCRQ): data messages to the peer carry it. */
  public int peerTunnelId() {
    return peerTunnelId;
  }

  /** The Host Name AVP of the peer's SCCRQ, or null. */
  public String peerHostName() {
    return peerHostName;
  }

  /** The Vendor Name AVP of the peer's SCCRQ (e.g. "Microsoft"), or null. */
  public String peerVendorName() {
    return peerVendorName;
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

  private void handle(ControlMessage hidden, long now, List<ControlMessage> out) {
    MessageType t = hidden.messageType().orElse(null);
    if (t == null || state == State.CLOSED) {
      return;
    }
    ControlMessage m;
    try {
      m = reveal(hidden);
    } catch (L2tpProtocolException e) {
      if (t.equals(MessageType.STOP_CCN)) {
        down("StopCCN from the peer, not revealed: " + e.getMessage()); // no StopCCN for a StopCCN
        return;
      }
      if (state == State.IDLE) {
        hidden.assignedTunnelId().ifPresent(this::peerTunnel); // when sent plain
      }
      refuse(e, now, out);
      return;
    }
    if (t.equals(MessageType.SCCRQ) && state == State.IDLE) {
      controlConnectionRequest(m, now, out);
    } else if (t.equals(MessageType.SCCCN) && state == State.WAIT_CTL_CONN) {
      controlConnectionConnected(m, now, out);
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

  private ControlMessage reveal(ControlMessage m) {
    if (!m.hasHidden()) {
      return m;
    }
    byte[] secret =
        security
            .secret()
            .orElseThrow(() -> notAuthorized("hidden AVPs but no tunnel secret configured"));
    return m.reveal(secret);
  }

  private void controlConnectionRequest(ControlMessage m, long now, List<ControlMessage> out) {
    peerTunnel(m.assignedTunnelId().orElse(0));
    peerHostName = m.hostName().orElse(null);
    peerVendorName = m.find(AvpType.VENDOR_NAME).map(Avp::text).orElse(null);
    m.receiveWindowSize().ifPresent(channel::peerReceiveWindow);
    Optional<byte[]> challenge = m.find(AvpType.CHALLENGE).map(Avp::value);
    if (challenge.isPresent() && security.secret().isEmpty()) {
      refuse(notAuthorized("challenged but no tunnel secret configured"), now, out);
      return;
    }
    List<Avp> auth = new ArrayList<>(2);
    challenge.ifPresent(
        c ->
            auth.add(
                Avps.challengeResponse(
                    TunnelSecurity.challengeResponse(
                        MessageType.SCCRP, security.secret().orElseThrow(), c))));
    if (security.requireAuthentication()) {
      ourChallenge = security.random().bytes(TunnelSecurity.CHALLENGE_LENGTH);
      auth.add(Avps.challenge(ourChallenge));
    }
    send(sccrp(auth), now, out);
    state = State.WAIT_CTL_CONN;
  }

  private void controlConnectionConnected(ControlMessage m, long now, List<ControlMessage> out) {
    if (ourChallenge != null) {
      byte[] expected =
          TunnelSecurity.challengeResponse(
              MessageType.SCCCN, security.secret().orElseThrow(), ourChallenge);
      Optional<byte[]> got = m.find(AvpType.CHALLENGE_RESPONSE).map(Avp::value);
      if (got.isEmpty() || !MessageDigest.isEqual(expected, got.get())) {
        refuse(
            notAuthorized(got.isEmpty() ? "no Challenge Response" : "wrong Challenge Response"),
            now,
            out);
        return;
      }
    }
    state = State.ESTABLISHED;
  }

  private void peerTunnel(int id) {
    peerTunnelId = id;
    channel.peerTunnelId(id);
  }

  private static L2tpProtocolException notAuthorized(String why) {
    return new L2tpProtocolException(
        ResultCode.NOT_AUTHORIZED, ResultCode.NO_GENERAL_ERROR, "tunnel authentication: " + why);
  }

  private void refuse(L2tpProtocolException e, long now, List<ControlMessage> out) {
    refuse(new ResultCode(e.resultCode(), e.errorCode(), e.getMessage()), now, out);
  }

  private void refuse(ResultCode rc, long now, List<ControlMessage> out) {
    send(stopCcn(rc), now, out);
    down("refused: " + rc.message() + " (result " + rc.result() + ")");
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

  private ControlMessage sccrp(List<Avp> auth) {
    List<Avp> avps =
        new ArrayList<>(
            List.of(
                Avps.protocolVersion(1, 0),
                Avps.framingCapabilities(Avps.FRAMING_SYNC | Avps.FRAMING_ASYNC),
                Avps.hostName(hostName),
                Avps.assignedTunnelId(ourTunnelId),
                Avps.receiveWindowSize(config.receiveWindow()),
                Avps.vendorName("coati")));
    avps.addAll(auth);
    return ControlMessage.of(peerTunnelId, 0, MessageType.SCCRP, avps);
  }

  private ControlMessage stopCcn(int result) {
    return stopCcn(ResultCode.of(result));
  }

  private ControlMessage stopCcn(ResultCode rc) {
    return ControlMessage.of(
        peerTunnelId,
        0,
        MessageType.STOP_CCN,
        List.of(Avps.assignedTunnelId(ourTunnelId), Avps.resultCode(rc)));
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
    if (security.hideAvps() && !m.messageType().orElseThrow().equals(MessageType.STOP_CCN)) {
      m =
          m.hide(
              security.secret().orElseThrow(),
              security.random().bytes(TunnelSecurity.CHALLENGE_LENGTH));
    }
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
