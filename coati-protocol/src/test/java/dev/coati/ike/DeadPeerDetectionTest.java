package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IsakmpCodec;
import org.junit.jupiter.api.Test;

/** RFC 3706 between our two engines: probes after silence, answers, and death on timeout. */
class DeadPeerDetectionTest {
  static EnginePair established(long seed) {
    EnginePair p = new EnginePair("aes128-sha256-ecp256", "aes128-sha1", seed);
    p.iPolicy.dpdDelay = 30;
    p.iPolicy.dpdTimeout = 120;
    p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    return p;
  }

  static long informationals(EnginePair p) {
    return p.wire.stream()
        .filter(
            d ->
                IsakmpCodec.peekHeader(d.bytes()).exchangeType().equals(ExchangeType.INFORMATIONAL))
        .count();
  }

  @Test
  void silentButAlivePeer_answersRuThere_andStays() {
    EnginePair p = established(50);
    IkeSa i = p.initiator.sas().iterator().next();
    assertTrue(i.peerFeatures().contains(PeerFeature.DPD), "we announce DPD");
    p.advance(29_000);
    p.pump();
    assertEquals(0, informationals(p), "no probe before the delay");
    p.advance(1_000);
    p.pump();
    assertEquals(2, informationals(p), "R-U-THERE and its ACK");
    for (int n = 0; n < 10; n++) {
      p.advance(30_000);
      p.pump();
    }
    assertEquals(IkeSa.State.ESTABLISHED, i.state());
    assertTrue(p.iEvents.deleted.isEmpty());
  }

  @Test
  void deadPeer_isDeclaredDeadAfterTheTimeout() {
    EnginePair p = established(51);
    IkeSa i = p.initiator.sas().iterator().next();
    p.drop = d -> true;
    for (int n = 0; n < 10 && i.state() != IkeSa.State.DELETED; n++) {
      p.advance(30_000);
      p.pump();
    }
    assertEquals(IkeSa.State.DELETED, i.state());
    assertEquals("DPD timeout", p.iEvents.deleted.get(0));
    long probes =
        p.wire.stream()
            .filter(d -> d.to().equals(EnginePair.R_ADDR))
            .filter(
                d ->
                    IsakmpCodec.peekHeader(d.bytes())
                        .exchangeType()
                        .equals(ExchangeType.INFORMATIONAL))
            .count();
    assertEquals(4, probes, "a probe every 30 s until 120 s passed");
  }

  @Test
  void espTraffic_keepsTheProbesAway() {
    EnginePair p = established(52);
    IkeSa i = p.initiator.sas().iterator().next();
    for (int n = 0; n < 10; n++) {
      p.advance(20_000);
      p.initiator.trafficSeen(i);
      p.pump();
    }
    assertEquals(0, informationals(p));
  }
}
