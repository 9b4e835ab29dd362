package dev.coati.ppp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.ppp.OptionAutomaton.State;
import dev.coati.ppp.wire.AuthProtocol;
import dev.coati.ppp.wire.ControlPacket;
import dev.coati.ppp.wire.LcpOptions;
import dev.coati.ppp.wire.PppFrame;
import dev.coati.ppp.wire.PppOption;
import dev.coati.ppp.wire.PppProtocol;
import dev.coati.util.Hex;
import dev.coati.util.RandomSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scripted LCP exchanges modelled on real clients (Windows RAS, pppd on macOS/iOS). */
class LcpPolicyTest {
  static final List<AuthProtocol> ALL =
      List.of(AuthProtocol.MSCHAPV2, AuthProtocol.CHAP_MD5, AuthProtocol.PAP);

  final LcpPolicy policy = new LcpPolicy(ALL, RandomSource.deterministic(7));
  final TestPeer s = new TestPeer(PppProtocol.LCP, policy, RestartConfig.DEFAULT);

  ControlPacket lastSent() {
    return s.sent.getLast();
  }

  ControlPacket ourRequest() {
    return s.sent.stream()
        .filter(p -> p.code() == ControlPacket.CONFIGURE_REQUEST)
        .reduce((a, b) -> b)
        .orElseThrow();
  }

  void open() {
    s.automaton.open(0);
    s.automaton.up(0);
  }

  void ackOurRequest() {
    ControlPacket r = ourRequest();
    s.automaton.receive(
        new ControlPacket(ControlPacket.CONFIGURE_ACK, r.identifier(), r.data()), 0);
  }

  @Test
  void windowsRequestGetsCallbackRejectedThenAck() {
    open();
    assertEquals(
        List.of(AuthProtocol.MSCHAPV2.option(), LcpOptions.magicNumber(policy.ourMagic())),
        ourRequest().options());
    List<PppOption> windows =
        List.of(
            LcpOptions.mru(1400),
            LcpOptions.magicNumber(0x3c1f5a22L),
            LcpOptions.pfc(),
            LcpOptions.acfc(),
            LcpOptions.callback(LcpOptions.CALLBACK_CBCP));
    s.automaton.receive(ControlPacket.withOptions(ControlPacket.CONFIGURE_REQUEST, 0, windows), 0);
    assertEquals(ControlPacket.CONFIGURE_REJECT, lastSent().code());
    assertEquals(List.of(LcpOptions.callback(6)), lastSent().options());
    List<PppOption> retry = windows.subList(0, 4);
    ControlPacket req = ControlPacket.withOptions(ControlPacket.CONFIGURE_REQUEST, 1, retry);
    s.automaton.receive(req, 0);
    assertEquals(new ControlPacket(ControlPacket.CONFIGURE_ACK, 1, req.data()), lastSent());
    assertEquals(State.ACK_SENT, s.automaton.state());
    ackOurRequest();
    assertEquals(State.OPENED, s.automaton.state());
    assertEquals(AuthProtocol.MSCHAPV2, policy.negotiatedAuth().orElseThrow());
    assertEquals(1400, policy.peerMru());
  }

  @Test
  void emptyConfigureRequestIsAcked() {
    open();
    s.automaton.receive(new ControlPacket(ControlPacket.CONFIGURE_REQUEST, 9, new byte[0]), 0);
    assertEquals(new ControlPacket(ControlPacket.CONFIGURE_ACK, 9, new byte[0]), lastSent());
    ackOurRequest();
    assertTrue(s.automaton.isOpened());
    assertEquals(LcpPolicy.DEFAULT_MRU, policy.peerMru());
  }

  @Test
  void authNakMovesToThePeersChoiceOrOurNext() {
    open();
    ControlPacket r = ourRequest();
    s.automaton.receive(
        ControlPacket.withOptions(
            ControlPacket.CONFIGURE_NAK, r.identifier(), List.of(AuthProtocol.PAP.option())),
        0);
    assertEquals(AuthProtocol.PAP.option(), ourRequest().options().get(0));
    assertTrue(ourRequest().identifier() != r.identifier());
    LcpPolicy other = new LcpPolicy(ALL, RandomSource.deterministic(8));
    other.peerNak(List.of(new PppOption(LcpOptions.AUTH_PROTOCOL, Hex.decode("c227"))));
    assertEquals(AuthProtocol.CHAP_MD5.option(), other.request().get(0));
    other.peerReject(List.of(AuthProtocol.CHAP_MD5.option()));
    assertEquals(1, other.request().size());
  }

  @Test
  void loopedBackMagicIsNakd() {
    open();
    s.automaton.receive(
        ControlPacket.withOptions(
            ControlPacket.CONFIGURE_REQUEST, 3, List.of(LcpOptions.magicNumber(policy.ourMagic()))),
        0);
    assertEquals(ControlPacket.CONFIGURE_NAK, lastSent().code());
    long suggested = LcpOptions.magicOf(lastSent().options().get(0));
    assertTrue(suggested != 0 && suggested != policy.ourMagic());
  }

  @Test
  void echoIdentUnknownCodesAndProtocolRejects() {
    open();
    PppFrame ccp = new PppFrame(PppProtocol.CCP, Hex.decode("0101000a120601000001"));
    assertFalse(s.automaton.protocolReject(ccp, policy.peerMru()));
    ControlPacket echo =
        ControlPacket.withMagic(ControlPacket.ECHO_REQUEST, 5, 0x0badcafeL, new byte[3]);
    int before = s.sent.size();
    s.automaton.receive(echo, 0);
    assertEquals(before, s.sent.size(), "no Echo-Reply before Opened");
    s.automaton.receive(new ControlPacket(ControlPacket.CONFIGURE_REQUEST, 1, new byte[0]), 0);
    ackOurRequest();
    assertTrue(s.automaton.isOpened());

    s.automaton.receive(echo, 0);
    assertEquals(
        ControlPacket.withMagic(ControlPacket.ECHO_REPLY, 5, policy.ourMagic(), new byte[3]),
        lastSent());
    before = s.sent.size();
    s.automaton.receive(
        ControlPacket.withMagic(ControlPacket.IDENTIFICATION, 6, 0, "MSRASV5.20".getBytes()), 0);
    s.automaton.receive(ControlPacket.withMagic(ControlPacket.ECHO_REPLY, 7, 0, new byte[0]), 0);
    assertEquals(before, s.sent.size(), "Ident and Echo-Reply are ignored");

    ControlPacket unknown = new ControlPacket(14, 8, Hex.decode("aabb"));
    s.automaton.receive(unknown, 0);
    assertEquals(ControlPacket.CODE_REJECT, lastSent().code());
    assertEquals(Hex.encode(unknown.encode()), Hex.encode(lastSent().data()));
    assertTrue(s.automaton.isOpened());
    s.automaton.receive(new ControlPacket(14, 9, new byte[2000]), 0);
    assertEquals(LcpPolicy.DEFAULT_MRU, lastSent().encodedLength(), "Code-Reject within the MRU");

    assertTrue(s.automaton.protocolReject(ccp, policy.peerMru()));
    assertEquals(PppProtocol.CCP, lastSent().rejectedProtocol());
    PppFrame ipv6cp = new PppFrame(PppProtocol.IPV6CP, Hex.decode("0101000e010a0000000000000001"));
    assertTrue(s.automaton.protocolReject(ipv6cp, policy.peerMru()));
    assertEquals(PppProtocol.IPV6CP, lastSent().rejectedProtocol());
  }

  @Test
  void protocolRejectOfAnNcpIsReportedAndOfLcpIsFatal() {
    open();
    s.automaton.receive(new ControlPacket(ControlPacket.CONFIGURE_REQUEST, 1, new byte[0]), 0);
    ackOurRequest();
    s.automaton.receive(
        new ControlPacket(ControlPacket.PROTOCOL_REJECT, 2, Hex.decode("80210101")), 0);
    assertEquals(List.of("up", "rejected IPCP"), s.events);
    assertTrue(s.automaton.isOpened());
    s.automaton.receive(
        new ControlPacket(ControlPacket.PROTOCOL_REJECT, 3, Hex.decode("c0210101")), 0);
    assertEquals(State.STOPPING, s.automaton.state());
    assertEquals(ControlPacket.TERMINATE_REQUEST, lastSent().code());
  }

  @Test
  void ourMruIsRequestedAndFollowsTheNak() {
    LcpPolicy p = new LcpPolicy(List.of(AuthProtocol.PAP), RandomSource.deterministic(7), 1400);
    assertEquals(LcpOptions.mru(1400), p.request().getFirst());
    p.peerNak(List.of(LcpOptions.mru(1300)));
    assertEquals(LcpOptions.mru(1300), p.request().getFirst());
    assertEquals(1300, p.ourMru());
    p.peerNak(List.of(LcpOptions.mru(1500)));
    assertTrue(p.request().stream().noneMatch(o -> o.type() == LcpOptions.MRU));
    LcpPolicy q = new LcpPolicy(List.of(AuthProtocol.PAP), RandomSource.deterministic(7), 1400);
    q.peerReject(List.of(LcpOptions.mru(1400)));
    assertTrue(q.request().stream().noneMatch(o -> o.type() == LcpOptions.MRU));
    assertEquals(1500, q.ourMru());
    assertTrue(
        new LcpPolicy(ALL, RandomSource.deterministic(7))
            .request().stream().noneMatch(o -> o.type() == LcpOptions.MRU));
  }
}
