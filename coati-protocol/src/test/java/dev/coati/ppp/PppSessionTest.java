package dev.coati.ppp;

import static dev.coati.ppp.wire.ControlPacket.CONFIGURE_ACK;
import static dev.coati.ppp.wire.ControlPacket.CONFIGURE_NAK;
import static dev.coati.ppp.wire.ControlPacket.CONFIGURE_REJECT;
import static dev.coati.ppp.wire.ControlPacket.CONFIGURE_REQUEST;
import static dev.coati.ppp.wire.ControlPacket.TERMINATE_ACK;
import static dev.coati.ppp.wire.ControlPacket.TERMINATE_REQUEST;
import static dev.coati.ppp.wire.PppProtocol.CHAP;
import static dev.coati.ppp.wire.PppProtocol.IPCP;
import static dev.coati.ppp.wire.PppProtocol.LCP;
import static dev.coati.ppp.wire.PppProtocol.PAP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.auth.AuthResult;
import dev.coati.ppp.wire.AuthProtocol;
import dev.coati.ppp.wire.ChapPacket;
import dev.coati.ppp.wire.ControlPacket;
import dev.coati.ppp.wire.IpcpOptions;
import dev.coati.ppp.wire.LcpOptions;
import dev.coati.ppp.wire.PapPacket;
import dev.coati.ppp.wire.PppOption;
import dev.coati.util.Hex;
import dev.coati.util.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The session's phases, timers and failure paths against a scripted client. */
class PppSessionTest {
  static final PppOption MAGIC = LcpOptions.magicNumber(0x3c1f5a22L);
  static final String LINK_UP = "up 10.9.0.23 bob";

  final SessionHost h = new SessionHost(SessionHost.config(0, 1500, AuthProtocol.PAP));

  /** Started; the client's request (magic only) acked; returns ours, not acked yet. */
  static ControlPacket clientRequestAcked(SessionHost h) {
    h.session.start(h.now);
    ControlPacket ours = h.next(LCP);
    h.in(LCP, CONFIGURE_REQUEST, 1, MAGIC);
    assertEquals(CONFIGURE_ACK, h.next(LCP).code());
    return ours;
  }

  /** LCP to Opened: the client's request (magic only) acked, ours acked. */
  static void openLcp(SessionHost h) {
    h.ack(LCP, clientRequestAcked(h));
  }

  static ControlPacket papRequest(int id) {
    byte[] user = "bob".getBytes(StandardCharsets.UTF_8);
    return PapPacket.request(id, user, "s3cret".getBytes(StandardCharsets.UTF_8)).toControlPacket();
  }

  /** PAP: the request goes to the host, which accepts; the Ack and our IPCP request go out. */
  static ControlPacket papLogin(SessionHost h) {
    h.in(PAP, papRequest(1));
    assertEquals("bob", h.authRequests.getLast().user());
    h.session.authenticated(AuthResult.success("bob", null, 0, null), h.now);
    assertEquals(PapPacket.AUTHENTICATE_ACK, h.next(PAP).code());
    return h.next(IPCP);
  }

  /** IPCP to Opened with the leased address. */
  static void openIpcp(SessionHost h, ControlPacket ours) {
    h.in(IPCP, CONFIGURE_REQUEST, 1, IpcpOptions.ipAddress(SessionHost.PEER));
    assertEquals(CONFIGURE_ACK, h.next(IPCP).code());
    h.ack(IPCP, ours);
  }

  /** Our next frame is a Terminate-Request, which the client acks. */
  static void ackTerminate(SessionHost h) {
    ControlPacket term = h.next(LCP);
    assertEquals(TERMINATE_REQUEST, term.code());
    h.in(LCP, new ControlPacket(TERMINATE_ACK, term.identifier(), new byte[0]));
  }

  /** Our Terminate-Request, acked by the client, ends the link with {@code reason} only. */
  static void assertTerminated(SessionHost h, String reason) {
    ackTerminate(h);
    assertEquals(List.of("down " + reason), h.events);
  }

  void linkUp() {
    openLcp(h);
    openIpcp(h, papLogin(h));
    assertEquals(List.of(LINK_UP), h.events);
  }

  @Test
  void ipFlowsOnlyOnceIpcpIsOpened() {
    h.session.start(0);
    h.in("ff03 0021 4500");
    openLcp(h);
    ControlPacket ours = papLogin(h);
    h.in("0021 4501");
    assertEquals(2, h.session.droppedIpPackets());
    assertFalse(h.session.networkOpen());
    openIpcp(h, ours);
    assertTrue(h.session.networkOpen());
    h.in("ff03 0021 4502");
    h.in("21 4503");
    h.in("ff03 21 4504");
    assertEquals(List.of("4502", "4503", "4504"), h.ip.stream().map(Hex::encode).toList());
    assertEquals(2, h.session.droppedIpPackets());
    byte[] out = new byte[8];
    assertEquals(4, dev.coati.ppp.wire.PppFrame.writeIpv4Header(out, 2));
    assertEquals("0000ff0300210000", Hex.encode(out));
  }

  @Test
  void emptyConfigureRequestIsAckedAndLcpOpens() {
    h.session.start(0);
    ControlPacket ours = h.next(LCP);
    h.in("c021 01070004");
    h.expect("ff03c021 02070004");
    h.ack(LCP, ours);
    assertEquals(1500, h.session.peerMru());
    h.in(PAP, papRequest(1));
    assertEquals(1, h.authRequests.size());
  }

  @Test
  void ourMruIsRequested() {
    SessionHost s = new SessionHost(SessionHost.config(0, 1400, AuthProtocol.PAP));
    s.session.start(0);
    s.expect("ff03c021 01000012 01040578 0304c023 050605060708");
  }

  @Test
  void echoIsAnsweredWithinThePeersMru() {
    h.session.start(0);
    ControlPacket ours = h.next(LCP);
    h.in(LCP, CONFIGURE_REQUEST, 1, LcpOptions.mru(128), MAGIC);
    h.next(LCP);
    h.in("c021 0903 000c 3c1f5a22 aabbccdd");
    h.expectNothing(); // not Opened yet
    h.ack(LCP, ours);
    h.in("c021 0904 000c 3c1f5a22 aabbccdd");
    h.expect("ff03c021 0a04000c 05060708 aabbccdd");
    byte[] big = new byte[300];
    h.in(LCP, ControlPacket.withMagic(ControlPacket.ECHO_REQUEST, 5, 0x3c1f5a22L, big));
    ControlPacket reply = h.next(LCP);
    assertEquals(ControlPacket.ECHO_REPLY, reply.code());
    assertEquals(128, reply.encodedLength());
  }

  @Test
  void discardIdentificationTimeRemainingIgnoredUnknownCodeRejected() {
    openLcp(h);
    h.in("c021 0b05 0008 3c1f5a22 0000");
    h.in("c021 0c06 000e 3c1f5a22 4d5352415356");
    h.in("c021 0d07 000c 3c1f5a22 00000e10");
    h.expectNothing();
    h.in("c021 2008 0006 abcd");
    h.expect("ff03c021 0701000a 20080006abcd");
  }

  @Test
  void protocolsWeDoNotRunAreProtocolRejectedOnceLcpIsOpened() {
    h.session.start(0);
    ControlPacket ours = h.next(LCP);
    h.in("80fd 0101 0004");
    h.expectNothing();
    h.in(LCP, CONFIGURE_REQUEST, 1, MAGIC);
    h.next(LCP);
    h.ack(LCP, ours);
    h.in("ff03 80fd 0102 000a 12060100 0001");
    h.expect("ff03c021 08010010 80fd 0102000a120601000001");
    h.in("8057 0103 000e 010a 1122334455667788");
    h.expect("ff03c021 08020014 8057 0103000e010a1122334455667788");
    h.in("ff03 c029 0101 0004");
    assertEquals(ControlPacket.PROTOCOL_REJECT, h.next(LCP).code());
    h.in("ff03 0057 6000");
    assertEquals(ControlPacket.PROTOCOL_REJECT, h.next(LCP).code());
  }

  @Test
  void peerTerminateRequestIsAckedAndEndsTheLinkOnce() {
    linkUp();
    h.in("c021 0509 0004");
    h.expect("ff03c021 06090004");
    assertEquals(List.of(LINK_UP, "down peer terminated the link"), h.events);
    assertTrue(h.session.isFinished());
    h.tick(100_000);
    h.in("c021 050a 0004");
    h.session.close("kick", 200_000);
    h.session.lowerDown("gone");
    h.expectNothing();
    assertEquals(2, h.events.size());
    assertEquals(Long.MAX_VALUE, h.session.deadline());
  }

  @Test
  void closeSendsTerminateRequestAndEndsOnItsAck() {
    linkUp();
    h.session.close("kicked by admin", 1000);
    ControlPacket term = h.next(LCP);
    assertEquals(TERMINATE_REQUEST, term.code());
    assertFalse(h.session.networkOpen());
    h.in("ff03 0021 4500");
    assertTrue(h.ip.isEmpty());
    assertEquals(List.of(LINK_UP), h.events);
    h.in(LCP, new ControlPacket(TERMINATE_ACK, term.identifier(), new byte[0]));
    assertEquals(List.of(LINK_UP, "down kicked by admin"), h.events);
  }

  @Test
  void closeEndsAfterTheTerminateRetriesWhenThePeerIsSilent() {
    linkUp();
    h.session.close("shutdown", 1000);
    assertEquals(TERMINATE_REQUEST, h.next(LCP).code());
    assertEquals(4000, h.session.deadline());
    h.tick(4000);
    assertEquals(TERMINATE_REQUEST, h.next(LCP).code());
    h.tick(7000);
    assertEquals(List.of(LINK_UP, "down shutdown"), h.events);
    h.session.close("again", 8000);
    assertEquals(2, h.events.size());
  }

  @Test
  void closeBeforeStartAndLowerDownEndAtOnce() {
    h.session.close("never started", 0);
    h.expectNothing();
    assertEquals(List.of("down never started"), h.events);
    SessionHost other = new SessionHost(SessionHost.config(0, 1500, AuthProtocol.PAP));
    openLcp(other);
    other.session.lowerDown("L2TP session closed");
    other.session.lowerDown("twice");
    other.expectNothing();
    assertEquals(List.of("down L2TP session closed"), other.events);
  }

  @Test
  void echoKeepaliveEndsASilentLink() {
    SessionHost s = new SessionHost(SessionHost.config(10_000, 1500, AuthProtocol.PAP));
    openLcp(s);
    openIpcp(s, papLogin(s));
    assertEquals(10_000, s.session.deadline());
    s.tick(10_000);
    s.expect("ff03c021 09010008 05060708");
    s.now = 15_000;
    s.in("c021 0a01 0008 3c1f5a22");
    assertEquals(25_000, s.session.deadline());
    for (long t = 25_000; t <= 45_000; t += 10_000) {
      s.tick(t);
      assertEquals(ControlPacket.ECHO_REQUEST, s.next(LCP).code());
      assertEquals(List.of(LINK_UP), s.events);
    }
    s.tick(55_000);
    assertEquals(TERMINATE_REQUEST, s.next(LCP).code());
    assertEquals(List.of(LINK_UP, "down LCP echo timeout"), s.events);
  }

  @Test
  void papRequestBeforeLcpOpenedIsHandledOnceLcpOpens() {
    ControlPacket ours = clientRequestAcked(h);
    // the client opened first; its PAP request overtakes its Configure-Ack
    h.in(PAP, papRequest(7));
    h.in(PAP, papRequest(8));
    assertTrue(h.authRequests.isEmpty());
    h.ack(LCP, ours);
    assertEquals(1, h.authRequests.size());
    h.session.authenticated(AuthResult.success("bob", null, 0, null), 0);
    ControlPacket ack = h.next(PAP);
    assertEquals(PapPacket.AUTHENTICATE_ACK, ack.code());
    assertEquals(8, ack.identifier());
  }

  @Test
  void chapResponseBeforeLcpOpenedIsDropped() {
    SessionHost s = new SessionHost(SessionHost.config(0, 1500, AuthProtocol.CHAP_MD5));
    ControlPacket ours = clientRequestAcked(s);
    s.in(
        CHAP,
        ChapPacket.challenge(ChapPacket.RESPONSE, 9, new byte[16], new byte[0]).toControlPacket());
    s.ack(LCP, ours);
    assertEquals(ChapPacket.CHALLENGE, s.next(CHAP).code());
    assertTrue(s.authRequests.isEmpty());
  }

  @Test
  void authenticationFailureSendsFailureThenTerminates() {
    openLcp(h);
    h.in(PAP, papRequest(1));
    h.session.authenticated(AuthResult.failure("bob", "wrong password", 0), 0);
    assertEquals(PapPacket.AUTHENTICATE_NAK, h.next(PAP).code());
    ControlPacket term = h.next(LCP);
    assertEquals(TERMINATE_REQUEST, term.code());
    h.in(PAP, papRequest(1)); // no second verification while terminating
    assertEquals(1, h.authRequests.size());
    h.in(LCP, new ControlPacket(TERMINATE_ACK, term.identifier(), new byte[0]));
    assertEquals(List.of("down authentication failed: wrong password"), h.events);
    assertTrue(h.leases.isEmpty());
  }

  @Test
  void silentPeerTimesOutInChap() {
    SessionHost s = new SessionHost(SessionHost.config(0, 1500, AuthProtocol.MSCHAPV2));
    openLcp(s);
    for (int i = 0; i < 4; i++) {
      assertEquals(ChapPacket.CHALLENGE, s.next(CHAP).code());
      s.tick(s.session.deadline());
    }
    assertEquals(TERMINATE_REQUEST, s.next(LCP).code());
    s.tick(s.session.deadline());
    s.tick(s.session.deadline());
    assertEquals(List.of("down authentication timeout"), s.events);
  }

  @Test
  void verifierThatNeverAnswersTimesOut() {
    openLcp(h);
    h.in(PAP, papRequest(1));
    assertEquals(24_000, h.session.deadline());
    h.tick(24_000);
    assertEquals(TERMINATE_REQUEST, h.next(LCP).code());
    h.session.authenticated(AuthResult.success("bob", null, 0, null), 25_000);
    h.expectNothing();
  }

  @Test
  void noLeaseTerminates() {
    h.leaser = r -> Optional.empty();
    openLcp(h);
    h.in(PAP, papRequest(1));
    h.session.authenticated(AuthResult.success("bob", null, 0, null), 0);
    assertEquals(PapPacket.AUTHENTICATE_ACK, h.next(PAP).code());
    assertTerminated(h, "no address to lease to bob");
  }

  @Test
  void peerRefusingToAuthenticateTerminates() {
    ControlPacket ours = clientRequestAcked(h);
    h.in(LCP, CONFIGURE_REJECT, ours.identifier(), AuthProtocol.PAP.option());
    ControlPacket again = h.next(LCP);
    h.ack(LCP, again);
    assertTerminated(h, "peer refused to authenticate");
  }

  @Test
  void ipcpRequestDuringAuthenticationIsReplayedAfterOurs() {
    h.session.start(0);
    h.in(IPCP, CONFIGURE_REQUEST, 1, IpcpOptions.ipAddress(IpcpOptions.UNSPECIFIED));
    ControlPacket ours = h.next(LCP);
    h.in(LCP, CONFIGURE_REQUEST, 1, MAGIC);
    h.next(LCP);
    h.ack(LCP, ours);
    h.in(PAP, papRequest(1));
    h.in(IPCP, CONFIGURE_REQUEST, 2, IpcpOptions.ipAddress(IpcpOptions.UNSPECIFIED));
    h.expectNothing();
    h.session.authenticated(AuthResult.success("bob", null, 0, null), 0);
    h.next(PAP);
    ControlPacket ourIpcp = h.next(IPCP);
    assertEquals(CONFIGURE_REQUEST, ourIpcp.code());
    ControlPacket nak = h.next(IPCP);
    assertEquals(CONFIGURE_NAK, nak.code());
    assertEquals(2, nak.identifier());
    assertEquals(List.of(IpcpOptions.ipAddress(SessionHost.PEER)), nak.options());
  }

  @Test
  void peerInsistingOnAnotherAddressIsNakdThenRejected() {
    openLcp(h);
    ControlPacket ours = papLogin(h);
    h.ack(IPCP, ours);
    PppOption wanted = IpcpOptions.ipAddress(Ipv4Address.parse("192.168.1.7"));
    for (int id = 1; id <= 3; id++) {
      h.in(IPCP, CONFIGURE_REQUEST, id, wanted);
      ControlPacket nak = h.next(IPCP);
      assertEquals(CONFIGURE_NAK, nak.code());
      assertEquals(List.of(IpcpOptions.ipAddress(SessionHost.PEER)), nak.options());
    }
    h.in(IPCP, CONFIGURE_REQUEST, 4, wanted);
    assertEquals(CONFIGURE_REJECT, h.next(IPCP).code());
    // the peer drops the option: acked, but IPCP without the lease ends the session
    h.in(IPCP, CONFIGURE_REQUEST, 5);
    assertEquals(CONFIGURE_ACK, h.next(IPCP).code());
    assertTerminated(h, "peer refused the leased address");
  }

  @Test
  void duplicatedAndSwappedControlPacketsDoNotRenegotiate() {
    h.session.start(0);
    ControlPacket first = h.next(LCP);
    h.tick(3000); // our request is retransmitted with a new identifier
    ControlPacket second = h.next(LCP);
    ControlPacket clientReq = ControlPacket.withOptions(CONFIGURE_REQUEST, 1, List.of(MAGIC));
    h.in(LCP, clientReq);
    ControlPacket ack = h.next(LCP);
    h.in(LCP, clientReq); // client retransmits before our Ack arrives
    assertEquals(ack, h.next(LCP));
    h.ack(LCP, second); // Acks swapped: the newer one first
    h.ack(LCP, first);
    h.in(LCP, clientReq); // a late copy while Opened: the same Ack again
    assertEquals(ack, h.next(LCP));
    h.ack(LCP, second); // duplicated Ack while Opened: dropped
    h.expectNothing();
    ControlPacket ours = papLogin(h);
    h.in(PAP, papRequest(1)); // retransmitted PAP request: the same Ack, no second verification
    assertEquals(PapPacket.AUTHENTICATE_ACK, h.next(PAP).code());
    assertEquals(1, h.authRequests.size());
    ControlPacket zero =
        ControlPacket.withOptions(
            CONFIGURE_REQUEST, 1, List.of(IpcpOptions.ipAddress(IpcpOptions.UNSPECIFIED)));
    ControlPacket lease =
        ControlPacket.withOptions(
            CONFIGURE_REQUEST, 2, List.of(IpcpOptions.ipAddress(SessionHost.PEER)));
    h.in(IPCP, zero);
    assertEquals(CONFIGURE_NAK, h.next(IPCP).code());
    h.in(IPCP, lease);
    assertEquals(CONFIGURE_ACK, h.next(IPCP).code());
    h.ack(IPCP, ours);
    h.in(IPCP, zero); // the stale first request, late: ignored
    h.in(IPCP, lease); // duplicate of the acked one: acked again
    assertEquals(CONFIGURE_ACK, h.next(IPCP).code());
    h.ack(IPCP, ours);
    h.expectNothing();
    assertTrue(h.session.networkOpen());
    assertEquals(List.of(LINK_UP), h.events);
  }

  @Test
  void lcpRenegotiationEndsTheSession() {
    linkUp();
    h.in(LCP, CONFIGURE_REQUEST, 9, MAGIC);
    assertEquals(CONFIGURE_REQUEST, h.next(LCP).code());
    assertEquals(CONFIGURE_ACK, h.next(LCP).code());
    ackTerminate(h);
    assertEquals(2, h.events.size());
    assertTrue(h.events.get(1).startsWith("down LCP left the Opened state"));
  }

  @Test
  void malformedFramesAreCountedAndIgnored() {
    openLcp(h);
    h.in("ff03");
    h.in("ff03 c0");
    h.in("c021 0101 00");
    h.in("c022 0101 0004");
    assertEquals(4, h.session.malformedFrames());
    h.expectNothing();
    assertTrue(h.authRequests.isEmpty());
  }
}
