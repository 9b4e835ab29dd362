package dev.coati.l2tp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.l2tp.wire.Avps;
import dev.coati.l2tp.wire.ControlMessage;
import dev.coati.l2tp.wire.MessageType;
import dev.coati.l2tp.wire.ResultCode;
import dev.coati.testing.PcapWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The LNS tunnel against a scripted LAC (a Windows-like client: SCCRQ, SCCCN, ICRQ, ICCN, CDN,
 * StopCCN) whose messages go through its own reliable control channel, so Ns/Nr and acks are real.
 */
class L2tpTunnelTest {
  static final int LAC_TUNNEL = 0x1234;

  /** Records what the tunnel reports. */
  static final class Recorder implements L2tpTunnel.Events {
    final List<String> events = new ArrayList<>();

    @Override
    public void sessionUp(int ours, int peer) {
      events.add("up " + ours + "/" + peer);
    }

    @Override
    public void sessionDown(int ours, String reason) {
      events.add("down " + ours);
    }

    @Override
    public void tunnelDown(String reason) {
      events.add("tunnel down: " + reason);
    }
  }

  static final byte[] LAC_ADDRESS = {(byte) 192, 0, 2, 10};
  static final byte[] LNS_ADDRESS = {(byte) 192, 0, 2, 1};

  /**
   * The client side: sends through its channel, collects what the LNS delivers to it (as decoded,
   * hidden AVPs still hidden) and every datagram both ways for a capture.
   */
  static final class Lac {
    final ControlChannel channel = new ControlChannel(ControlChannel.Config.DEFAULT);
    final L2tpTunnel lns;
    final List<ControlMessage> got = new ArrayList<>();
    final List<PcapWriter.Packet> wire = new ArrayList<>();
    long now;

    Lac(L2tpTunnel lns) {
      this.lns = lns;
    }

    void send(ControlMessage m) {
      pump(channel.send(m, now).transmit());
    }

    void pump(List<ControlMessage> toLns) {
      for (int round = 0; round < 20 && !toLns.isEmpty(); round++) {
        List<ControlMessage> next = new ArrayList<>();
        for (ControlMessage m : toLns) {
          byte[] datagram = m.encode();
          wire.add(new PcapWriter.Packet(LAC_ADDRESS, 1701, LNS_ADDRESS, 1701, datagram));
          for (byte[] reply : lns.receive(datagram, now)) {
            wire.add(new PcapWriter.Packet(LNS_ADDRESS, 1701, LAC_ADDRESS, 1701, reply));
            ControlChannel.Output o = channel.receive(ControlMessage.decode(reply), now);
            got.addAll(o.deliver());
            next.addAll(o.transmit());
          }
        }
        toLns = next;
      }
    }

    ControlMessage last() {
      return got.get(got.size() - 1);
    }
  }

  static ControlMessage sccrq() {
    return ControlMessage.of(
        0,
        0,
        MessageType.SCCRQ,
        List.of(
            Avps.protocolVersion(1, 0),
            Avps.framingCapabilities(3),
            Avps.hostName("WIN-CLIENT"),
            Avps.vendorName("Microsoft"),
            Avps.assignedTunnelId(LAC_TUNNEL),
            Avps.receiveWindowSize(8)));
  }

  static Lac established(Recorder r) {
    L2tpTunnel lns = new L2tpTunnel(77, "coati", r, 60_000, ControlChannel.Config.DEFAULT);
    Lac lac = new Lac(lns);
    lac.send(sccrq());
    ControlMessage sccrp = lac.last();
    assertEquals(MessageType.SCCRP, sccrp.messageType().orElseThrow());
    assertEquals(LAC_TUNNEL, sccrp.tunnelId(), "sent to the LAC's tunnel id");
    assertEquals(77, sccrp.assignedTunnelId().orElseThrow());
    assertEquals("coati", sccrp.hostName().orElseThrow());
    lac.channel.peerTunnelId(77);
    assertEquals(L2tpTunnel.State.WAIT_CTL_CONN, lns.state());
    lac.send(ControlMessage.of(77, 0, MessageType.SCCCN, List.of()));
    assertEquals(L2tpTunnel.State.ESTABLISHED, lns.state());
    return lac;
  }

  static int call(Lac lac, int lacSession) {
    lac.send(
        ControlMessage.of(
            77,
            0,
            MessageType.ICRQ,
            List.of(Avps.assignedSessionId(lacSession), Avps.callSerialNumber(lacSession))));
    ControlMessage icrp = lac.last();
    assertEquals(MessageType.ICRP, icrp.messageType().orElseThrow());
    assertEquals(lacSession, icrp.sessionId(), "ICRP goes to the LAC's session id");
    int ours = icrp.assignedSessionId().orElseThrow();
    lac.send(
        ControlMessage.of(
            77,
            ours,
            MessageType.ICCN,
            List.of(Avps.txConnectSpeed(100_000_000), Avps.framingType(1))));
    return ours;
  }

  @Test
  void controlConnection_twoSessions_cdn_stopCcn() {
    Recorder r = new Recorder();
    Lac lac = established(r);
    int a = call(lac, 1);
    int b = call(lac, 2);
    assertTrue(a != b, "distinct session ids");
    assertEquals(List.of("up " + a + "/1", "up " + b + "/2"), r.events);
    assertEquals(2, lac.lns.sessionsUp());
    lac.send(
        ControlMessage.of(
            77,
            a,
            MessageType.CDN,
            List.of(Avps.resultCode(ResultCode.of(3)), Avps.assignedSessionId(1))));
    assertEquals("down " + a, r.events.get(2));
    assertEquals(1, lac.lns.sessionsUp());
    lac.send(
        ControlMessage.of(
            77,
            0,
            MessageType.STOP_CCN,
            List.of(Avps.assignedTunnelId(LAC_TUNNEL), Avps.resultCode(ResultCode.of(1)))));
    assertEquals(L2tpTunnel.State.CLOSED, lac.lns.state());
    assertEquals("down " + b, r.events.get(3), "the remaining session goes with the tunnel");
    assertTrue(r.events.get(4).startsWith("tunnel down: StopCCN"));
  }

  @Test
  void hello_whenQuiet_andAPeerThatStopsAnsweringEndsTheTunnel() {
    Recorder r = new Recorder();
    Lac lac = established(r);
    call(lac, 5);
    long t = 60_000;
    List<byte[]> out = lac.lns.tick(t);
    assertEquals(1, out.size());
    assertEquals(MessageType.HELLO, ControlMessage.decode(out.get(0)).messageType().orElseThrow());
    // the client is gone: nothing acknowledges the HELLO; retransmits back off, then give up
    for (int i = 0; i < 100 && lac.lns.state() != L2tpTunnel.State.CLOSED; i++) {
      t += 1000;
      lac.lns.tick(t);
    }
    assertEquals(L2tpTunnel.State.CLOSED, lac.lns.state());
    assertTrue(t - 60_000 <= 60_000, "within a minute of the first HELLO: " + (t - 60_000));
    assertEquals("down 1", r.events.get(1));
    assertTrue(r.events.get(2).contains("retransmits exhausted"), r.events.toString());
  }

  @Test
  void gatewayClosesASession_withCdn_andTheTunnel_withStopCcn() {
    Recorder r = new Recorder();
    Lac lac = established(r);
    int s = call(lac, 9);
    List<byte[]> cdn = lac.lns.closeSession(s, 0);
    ControlMessage m = ControlMessage.decode(cdn.get(0));
    assertEquals(MessageType.CDN, m.messageType().orElseThrow());
    assertEquals(9, m.sessionId());
    assertEquals(s, m.assignedSessionId().orElseThrow());
    List<byte[]> stop = lac.lns.close("gateway shutting down", 0);
    ControlMessage st = ControlMessage.decode(stop.get(stop.size() - 1));
    assertEquals(MessageType.STOP_CCN, st.messageType().orElseThrow());
    assertEquals(1, st.resultCode().orElseThrow().result());
    assertEquals(L2tpTunnel.State.CLOSED, lac.lns.state());
  }

  @Test
  void icrqBeforeTheControlConnection_isAnFsmError() {
    Recorder r = new Recorder();
    L2tpTunnel lns = new L2tpTunnel(77, "coati", r, 0, ControlChannel.Config.DEFAULT);
    Lac lac = new Lac(lns);
    lac.send(
        ControlMessage.of(
            77, 0, MessageType.ICRQ, List.of(Avps.assignedSessionId(1), Avps.callSerialNumber(1))));
    ControlMessage stop = lac.last();
    assertEquals(MessageType.STOP_CCN, stop.messageType().orElseThrow());
    assertEquals(ResultCode.FSM_ERROR, stop.resultCode().orElseThrow().result());
    assertEquals(L2tpTunnel.State.CLOSED, lns.state());
  }
}
