package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coati.crypto.ProposalParser;
import dev.coati.ike.wire.IkeAttr;
import dev.coati.ike.wire.Proposal;
import dev.coati.ike.wire.ProtocolId;
import dev.coati.ike.wire.SaPayload;
import dev.coati.ike.wire.Transform;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProposalTextTest {
  @Test
  void offeredAndAcceptedPhase1InStrongSwanSyntax() {
    List<Transform> ts = new ArrayList<>();
    int n = 1;
    for (var spec : ProposalParser.parseIke("aes128-sha1-modp1024,3des-md5-modp1024", true)) {
      ts.add(Phase1Transform.of(spec, IkeAttr.XAUTH_INIT_PSK, 28800).toTransform(n++));
    }
    ts.add(new Transform(n, Phase1Transform.KEY_IKE, List.of()));
    SaPayload offered =
        new SaPayload(1, 1, List.of(new Proposal(1, ProtocolId.ISAKMP, new byte[0], ts)));
    assertEquals(
        "[aes128-sha1-modp1024/xauth-psk,3des-md5-modp1024/xauth-psk,unknown(id=1)]",
        ProposalText.offeredPhase1(offered));
    assertEquals(
        "[aes256-sha256-modp2048,aes128-sha1-ecp256]",
        ProposalText.oursPhase1(
            ProposalParser.parseIke("aes256-sha256-modp2048,aes128-sha1-ecp256", false)));
  }

  @Test
  void espAndAuthNames() {
    assertEquals(
        "[aes_gcm_16-256,aes_cbc-128-hmac_sha1_96-modp2048]",
        ProposalText.oursEsp(ProposalParser.parseEsp("aes256gcm16,aes128-sha1-modp2048", false)));
    assertEquals("hybrid-rsa", ProposalText.auth(IkeAttr.HYBRID_INIT_RSA));
    assertEquals("psk", ProposalText.auth(IkeAttr.PSK));
    assertEquals("auth7", ProposalText.auth(7));
  }

  @Test
  void longOffersAreCut() {
    List<Transform> ts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ts.add(new Transform(i + 1, 99, List.of()));
    }
    SaPayload offered =
        new SaPayload(1, 1, List.of(new Proposal(1, ProtocolId.ISAKMP, new byte[0], ts)));
    String s = ProposalText.offeredPhase1(offered);
    assertEquals(true, s.endsWith(",...(16 more)]"), s);
  }
}
