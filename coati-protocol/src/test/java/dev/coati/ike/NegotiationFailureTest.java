package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IsakmpCodec;
import dev.coati.ike.wire.IsakmpMessage;
import dev.coati.ike.wire.NotifyPayload;
import dev.coati.ike.wire.NotifyType;
import org.junit.jupiter.api.Test;

/** Failures end cleanly: the right notify, no SA left behind, nothing installed. */
class NegotiationFailureTest {

  @Test
  void noCommonProposal_responderAnswersNoProposalChosen_andBothForget() {
    EnginePair p = new EnginePair("aes128-sha1-modp2048", "aes128-sha1", 10);
    p.rPolicy.ike = dev.coati.crypto.ProposalParser.parseIke("aes256-sha256-ecp256", true);
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    EnginePair.Datagram reply =
        p.wire.stream().filter(d -> d.to().equals(EnginePair.I_ADDR)).findFirst().orElseThrow();
    IsakmpMessage m = IsakmpMessage.decode(reply.bytes());
    assertEquals(ExchangeType.INFORMATIONAL, m.header().exchangeType());
    NotifyPayload n = (NotifyPayload) m.payloads().get(0);
    assertEquals(NotifyType.NO_PROPOSAL_CHOSEN, n.notifyType());
    assertTrue(p.responder.sas().isEmpty());
    assertEquals(IkeSa.State.DELETED, i.state(), "initiator gave up on the error notify");
    assertTrue(p.iEvents.established.isEmpty());
  }

  @Test
  void wrongPsk_responderRefusesHashI_nothingEstablished() {
    EnginePair p = new EnginePair("aes128-sha1-modp2048", "aes128-sha1", 11);
    p.iPolicy.psks.put("any", "not-the-right-key");
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    assertTrue(p.responder.sas().isEmpty(), "responder dropped the SA");
    assertTrue(p.rEvents.established.isEmpty());
    assertEquals(IkeSa.State.CONNECTING, i.state());
    for (int n = 0; n < 10 && i.state() != IkeSa.State.DELETED; n++) {
      p.advance(RetransmitPolicy.DEFAULT.delay(n));
      p.pump();
    }
    assertEquals(IkeSa.State.DELETED, i.state());
    assertTrue(p.iEvents.established.isEmpty());
    assertTrue(p.iEvents.children.isEmpty() && p.rEvents.children.isEmpty());
  }

  @Test
  void aggressiveMode_unlistedIdentityGetsADecoyAndNeverConnects() {
    EnginePair p = new EnginePair("aes128-sha1-modp2048", "aes128-sha1", 12);
    p.iPolicy.localId = IdPayload.fqdn("stranger.example.org");
    IkeSa i = p.connect(ExchangeType.AGGRESSIVE);
    p.pump();
    assertEquals(IkeSa.State.DELETED, i.state(), "HASH_R (under the decoy key) did not verify");
    assertTrue(p.rEvents.established.isEmpty());
    EnginePair.Datagram reply =
        p.wire.stream().filter(d -> d.to().equals(EnginePair.I_ADDR)).findFirst().orElseThrow();
    assertEquals(ExchangeType.AGGRESSIVE, IsakmpCodec.peekHeader(reply.bytes()).exchangeType());
  }

  @Test
  void aggressiveMode_pskChosenByIdentity() {
    EnginePair p = new EnginePair("aes128-sha1-modp2048", "aes128-sha1", 13);
    p.iPolicy.localId = IdPayload.keyId("vpngroup".getBytes());
    p.rPolicy.aggressiveIds.add("vpngroup");
    p.rPolicy.psks.put("any", "wrong-fallback");
    p.rPolicy.psks.put("vpngroup", "group-secret");
    p.iPolicy.psks.put("any", "group-secret");
    IkeSa i = p.connect(ExchangeType.AGGRESSIVE);
    p.pump();
    assertEquals(IkeSa.State.ESTABLISHED, i.state());
    assertEquals(IkeSa.State.ESTABLISHED, p.responderSa().state());
  }

  @Test
  void quickMode_trafficRefusedByPolicy_invalidIdInformation_noChild() {
    EnginePair p = new EnginePair("aes128-sha1-modp2048", "aes128-sha1", 14);
    p.rPolicy.allowTraffic = false;
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    p.initiator.initiateChild(i, ExchangeManagerTest.hostToHost());
    p.pump();
    assertTrue(p.rEvents.children.isEmpty());
    assertTrue(p.iEvents.children.isEmpty());
    assertTrue(p.iEvents.notifies.contains(NotifyType.INVALID_ID_INFORMATION.code()));
    assertEquals(IkeSa.State.ESTABLISHED, i.state(), "the IKE SA survives a failed quick mode");
  }

  @Test
  void quickMode_pfsRequiredByResponder_refusesOfferWithoutPfs() {
    EnginePair p = new EnginePair("aes128-sha1-modp2048", "aes128-sha1-modp2048", 15);
    p.iPolicy.pfs = IkePolicy.PfsPolicy.NONE;
    p.rPolicy.pfs = IkePolicy.PfsPolicy.REQUIRED;
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    p.initiator.initiateChild(i, ExchangeManagerTest.hostToHost());
    p.pump();
    assertTrue(p.rEvents.children.isEmpty());
    assertTrue(p.iEvents.notifies.contains(NotifyType.NO_PROPOSAL_CHOSEN.code()));
  }

  @Test
  void mainMode_pskChosenByAddress_beforeAnyFallback() {
    EnginePair p = new EnginePair("aes128-sha1-modp2048", "aes128-sha1", 16);
    p.rPolicy.psks.put("any", "wrong-fallback");
    p.rPolicy.psks.put("10.99.0.2", "per-address-key");
    p.iPolicy.psks.put("any", "per-address-key");
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    assertEquals(IkeSa.State.ESTABLISHED, i.state());
  }
}
