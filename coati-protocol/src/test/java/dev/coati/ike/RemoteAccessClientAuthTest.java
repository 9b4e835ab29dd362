package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.crypto.pki.CertificateIssuer;
import dev.coati.crypto.pki.CertificateProfiles;
import dev.coati.crypto.pki.CertificateVerifier;
import dev.coati.crypto.pki.KeyType;
import dev.coati.crypto.pki.Signer;
import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IkeAttr;
import dev.coati.util.RandomSource;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our initiator as a road warrior with certificates against our gateway: hybrid (only the gateway
 * signs, the client sends HASH_I) and RSA + Xauth (both sign), in main and aggressive mode; then
 * Xauth and mode config. A gateway certificate from a CA the client does not trust is refused.
 */
class RemoteAccessClientAuthTest {
  private static final RandomSource RANDOM = RandomSource.deterministic(7);
  private static final Instant EPOCH = Instant.ofEpochMilli(0); // EnginePair's clock starts there
  private static final CertificateIssuer ISSUER = new CertificateIssuer(RANDOM);
  private static final KeyPair CA_KEYS = KeyType.RSA_2048.generate(RANDOM);
  private static final X509Certificate CA =
      ISSUER.selfSigned(CertificateProfiles.ca("Test CA", EPOCH, 3650), CA_KEYS);

  /** A certificate with {@code name} as subjectAltName dNSName (what an FQDN ID must match). */
  private static LocalCertificate leaf(String name) {
    KeyPair keys = KeyType.RSA_2048.generate(RANDOM);
    var spec = CertificateProfiles.server(name, List.of(), true, EPOCH, 800);
    X509Certificate cert = ISSUER.issue(spec, keys.getPublic(), CA, CA_KEYS.getPrivate());
    return new LocalCertificate(cert, Signer.of(keys.getPrivate(), RANDOM));
  }

  private static EnginePair pair(int method, boolean clientTrustsCa) {
    RemoteAccessEngineTest.Gateway gw = new RemoteAccessEngineTest.Gateway();
    EnginePair p = new EnginePair("aes128-sha1-modp2048", "aes128-sha1", 60);
    p.iPolicy.auth = Set.of(method);
    p.rPolicy.auth =
        Set.of(IkeAttr.XAUTH_INIT_PSK, IkeAttr.HYBRID_INIT_RSA, IkeAttr.XAUTH_INIT_RSA);
    p.rPolicy.remoteAccess = gw;
    p.rPolicy.localId = IdPayload.fqdn("vpn.example.test");
    p.rPolicy.certificate = leaf("vpn.example.test");
    p.rPolicy.verifier = new CertificateVerifier(List.of(CA), List.of());
    p.iPolicy.verifier =
        new CertificateVerifier(
            List.of(
                clientTrustsCa
                    ? CA
                    : ISSUER.selfSigned(CertificateProfiles.ca("Other CA", EPOCH, 3650), CA_KEYS)),
            List.of());
    if (method == IkeAttr.XAUTH_INIT_RSA) {
      p.iPolicy.certificate = leaf("alice.example.test");
      p.iPolicy.localId = IdPayload.fqdn("alice.example.test");
    }
    p.iPolicy.aggressiveIds.add("vpn.example.test");
    p.rPolicy.aggressiveIds.add("alice");
    p.iPolicy.credentials =
        new RemoteAccess.Credentials(
            "alice".getBytes(StandardCharsets.UTF_8),
            "wonderland".getBytes(StandardCharsets.UTF_8));
    return p;
  }

  @ParameterizedTest
  @CsvSource({"64221, 2", "64221, 4", "65005, 2", "65005, 4"})
  void certificateMethods_phase1XauthModeConfig(int method, int mode) {
    EnginePair p = pair(method, true);
    IkeSa i = p.connect(ExchangeType.valueOf(mode));
    p.pump();
    assertEquals(IkeSa.State.ESTABLISHED, i.state(), p.iEvents.deleted.toString());
    assertEquals(method, i.transform().orElseThrow().authMethod());
    assertEquals("vpn.example.test", new String(i.peerId().orElseThrow().data()));
    assertArrayEquals(RemoteAccessEngineTest.VIP, i.virtualAddress().orElseThrow());
    assertEquals(1, p.iEvents.configs.size(), "the client got its configuration");
  }

  @ParameterizedTest
  @CsvSource({"64221, 2", "64221, 4"})
  void gatewayCertificateFromAnotherCa_refused(int method, int mode) {
    EnginePair p = pair(method, false);
    IkeSa i = p.connect(ExchangeType.valueOf(mode));
    p.pump();
    assertTrue(i.state() != IkeSa.State.ESTABLISHED, "established with an untrusted gateway");
    assertTrue(p.iEvents.configs.isEmpty());
    assertTrue(p.iEvents.established.isEmpty());
  }
}
