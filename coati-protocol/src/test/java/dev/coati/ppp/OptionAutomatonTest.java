package dev.coati.ppp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.ppp.OptionAutomaton.State;
import dev.coati.ppp.OptionPolicy.Verdict;
import dev.coati.ppp.wire.AuthProtocol;
import dev.coati.ppp.wire.ControlPacket;
import dev.coati.ppp.wire.LcpOptions;
import dev.coati.ppp.wire.PppProtocol;
import dev.coati.util.RandomSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionAutomatonTest {
  static final RestartConfig CONFIG = new RestartConfig(3000, 2, 4, 3);

  static TestPeer server(List<AuthProtocol> auth) {
    return new TestPeer(
        PppProtocol.LCP, new LcpPolicy(auth, RandomSource.deterministic(1)), CONFIG);
  }

  static TestPeer client() {
    return new TestPeer(
        PppProtocol.LCP,
        new TestPeer.Client(
            List.of(LcpOptions.mru(1400), LcpOptions.magicNumber(0x01020304L)), Verdict::ack),
        CONFIG);
  }

  static void start(TestPeer p, long now) {
    p.automaton.open(now);
    p.automaton.up(now);
  }

  @Test
  void twoEndsConvergeToOpened() {
    TestPeer s = server(List.of(AuthProtocol.MSCHAPV2, AuthProtocol.PAP));
    TestPeer c = client();
    assertEquals(State.INITIAL, s.automaton.state());
    start(s, 0);
    start(c, 0);
    assertEquals(State.REQ_SENT, s.automaton.state());
    TestPeer.pump(s, c, 0, p -> false);
    assertEquals(State.OPENED, s.automaton.state());
    assertEquals(State.OPENED, c.automaton.state());
    assertEquals(List.of("up"), s.events);
    assertEquals(Long.MAX_VALUE, s.automaton.deadline());
    LcpPolicy policy = policyOf(s);
    assertEquals(AuthProtocol.MSCHAPV2, policy.negotiatedAuth().orElseThrow());
    assertEquals(1400, policy.peerMru());
    assertEquals(0x01020304L, policy.peerMagic());
  }

  @Test
  void lostPacketsAreRecoveredByTheRestartTimer() {
    TestPeer s = server(List.of(AuthProtocol.CHAP_MD5));
    TestPeer c = client();
    start(s, 0);
    start(c, 0);
    int[] dropped = {0};
    // lose everything the server sends the first time
    TestPeer.pump(s, c, 0, p -> p.code() == ControlPacket.CONFIGURE_REQUEST && dropped[0]++ == 0);
    assertEquals(State.ACK_SENT, s.automaton.state());
    assertEquals(3000, s.automaton.deadline());
    s.automaton.tick(2999);
    assertEquals(State.ACK_SENT, s.automaton.state());
    s.automaton.tick(3000);
    TestPeer.pump(s, c, 3000, p -> false);
    assertEquals(State.OPENED, s.automaton.state());
    assertEquals(State.OPENED, c.automaton.state());
  }

  @Test
  void silentPeerGivesUpAfterMaxConfigure() {
    TestPeer s = server(List.of(AuthProtocol.PAP));
    start(s, 0);
    long now = 0;
    while (s.automaton.deadline() != Long.MAX_VALUE) {
      now = s.automaton.deadline();
      s.automaton.tick(now);
    }
    assertEquals(State.STOPPED, s.automaton.state());
    assertEquals(CONFIG.maxConfigure(), s.sent.size());
    assertEquals(List.of("finished"), s.events);
    assertEquals(CONFIG.maxConfigure() * CONFIG.restartMillis(), now);
  }

  @Test
  void maxFailureTurnsNaksIntoRejects() {
    TestPeer s = server(List.of(AuthProtocol.PAP));
    // a peer insisting on MRU 64 which we keep Nak'ing
    TestPeer c =
        new TestPeer(
            PppProtocol.LCP,
            new TestPeer.Client(List.of(LcpOptions.mru(64)), Verdict::ack) {
              @Override
              public void peerNak(List<dev.coati.ppp.wire.PppOption> suggestions) {
                naksReceived.add(suggestions);
              }
            },
            CONFIG);
    start(s, 0);
    start(c, 0);
    TestPeer.pump(s, c, 0, p -> false);
    TestPeer.Client client = (TestPeer.Client) clientPolicy(c);
    assertEquals(CONFIG.maxFailure(), client.naksReceived.size());
    assertEquals(List.of(List.of(LcpOptions.mru(64))), client.rejectsReceived);
    assertEquals(State.OPENED, s.automaton.state());
    assertEquals(State.OPENED, c.automaton.state());
  }

  @Test
  void terminateFromEitherSide() {
    TestPeer s = server(List.of(AuthProtocol.PAP));
    TestPeer c = client();
    start(s, 0);
    start(c, 0);
    TestPeer.pump(s, c, 0, p -> false);
    c.automaton.close(10);
    assertEquals(State.CLOSING, c.automaton.state());
    TestPeer.pump(s, c, 10, p -> false);
    assertEquals(State.CLOSED, c.automaton.state());
    assertEquals(State.STOPPING, s.automaton.state());
    assertEquals(List.of("up", "down"), s.events);
    s.automaton.tick(10 + CONFIG.restartMillis());
    assertEquals(State.STOPPED, s.automaton.state());
    assertEquals(List.of("up", "down", "finished"), s.events);
    assertEquals(List.of("up", "down", "finished"), c.events);
  }

  @Test
  void lostTerminateAckEndsAfterMaxTerminate() {
    TestPeer s = server(List.of(AuthProtocol.PAP));
    TestPeer c = client();
    start(s, 0);
    start(c, 0);
    TestPeer.pump(s, c, 0, p -> false);
    s.automaton.close(0);
    TestPeer.pump(s, c, 0, p -> p.code() == ControlPacket.TERMINATE_ACK);
    s.automaton.tick(3000);
    TestPeer.pump(s, c, 3000, p -> p.code() == ControlPacket.TERMINATE_ACK);
    assertEquals(State.CLOSING, s.automaton.state());
    s.automaton.tick(6000);
    assertEquals(State.CLOSED, s.automaton.state());
    assertEquals(
        CONFIG.maxTerminate(),
        s.sent.stream().filter(p -> p.code() == ControlPacket.TERMINATE_REQUEST).count());
  }

  @Test
  void renegotiationFromOpenedAndDownUp() {
    TestPeer s = server(List.of(AuthProtocol.PAP));
    TestPeer c = client();
    start(s, 0);
    start(c, 0);
    TestPeer.pump(s, c, 0, p -> false);
    c.automaton.down();
    c.automaton.up(5);
    assertEquals(State.REQ_SENT, c.automaton.state());
    TestPeer.pump(s, c, 5, p -> false);
    assertEquals(State.OPENED, s.automaton.state());
    assertEquals(List.of("up", "down", "up"), s.events);
    assertTrue(c.events.contains("down"));
  }

  static LcpPolicy policyOf(TestPeer p) {
    return (LcpPolicy) p.policy;
  }

  static OptionPolicy clientPolicy(TestPeer p) {
    return p.policy;
  }
}
