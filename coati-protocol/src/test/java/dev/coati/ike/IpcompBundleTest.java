package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.crypto.ProposalParser;
import dev.coati.ike.wire.Attribute;
import dev.coati.ike.wire.IpsecAttr;
import dev.coati.ike.wire.Proposal;
import dev.coati.ike.wire.ProtocolId;
import dev.coati.ike.wire.SaPayload;
import dev.coati.ike.wire.Transform;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * coati has no IPComp (RFC 3173): an IPCOMP + ESP bundle (racoon's proposal when its policy asks
 * for ipcomp) is passed over for an ESP-only proposal of the same offer, and refused (no proposal
 * chosen) when it is all the peer offers, since racoon rejects an answer that drops a protocol of
 * the bundle (proposal.c: the reply must have as many protocols as the proposal).
 */
class IpcompBundleTest {
  /** RFC 2407 4.4.5: IPCOMP_DEFLATE. */
  static final int IPCOMP_DEFLATE = 2;

  private static Proposal esp(int number) {
    Transform t =
        new Transform(
            1,
            IpsecAttr.ESP_AES_CBC,
            List.of(
                Attribute.tv(IpsecAttr.ENCAPSULATION_MODE, IpsecAttr.TUNNEL),
                Attribute.tv(IpsecAttr.AUTH_ALGORITHM, 2),
                Attribute.tv(IpsecAttr.KEY_LENGTH, 128)));
    return new Proposal(number, ProtocolId.IPSEC_ESP, new byte[] {1, 2, 3, 4}, List.of(t));
  }

  private static Proposal ipcomp(int number) {
    Transform t =
        new Transform(
            1,
            IPCOMP_DEFLATE,
            List.of(Attribute.tv(IpsecAttr.ENCAPSULATION_MODE, IpsecAttr.TUNNEL)));
    return new Proposal(number, ProtocolId.IPCOMP, new byte[] {0x12, 0x34}, List.of(t));
  }

  private static Optional<ProposalSelector.EspChoice> select(List<Proposal> ps) {
    return ProposalSelector.selectEsp(
        new SaPayload(1, 1, ps), ProposalParser.parseEsp("aes128-sha1", true), false, t -> true);
  }

  @Test
  void bundleAndEspOnly_theEspOnlyProposalIsChosen() {
    var choice = select(List.of(ipcomp(1), esp(1), esp(2))).orElseThrow();
    assertEquals(2, choice.proposal().number());
    assertEquals(ProtocolId.IPSEC_ESP, choice.proposal().protocolId());
  }

  @Test
  void bundleOnly_nothingChosen() {
    assertTrue(select(List.of(ipcomp(1), esp(1))).isEmpty());
  }
}
