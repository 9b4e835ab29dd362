package dev.coati.crypto.pki;

import static dev.coati.crypto.pki.TestPki.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateProfilesTest {
  private final TestPki pki = new TestPki();
  private final TestPki.Ca ca = pki.root("Profile CA");
  private final KeyPair keys = KeyType.EC_P256.generate(pki.random);

  @Test
  void serverCertificateCarriesWhatAppleChecks() throws Exception {
    X509Certificate server =
        pki.leaf(
            CertificateProfiles.server("vpn.example.com", List.of("192.0.2.1"), false, NOW, 825),
            keys,
            ca);
    assertEquals(
        List.of("DNS:vpn.example.com", "IP:192.0.2.1"),
        CertificateIdentity.describeSubjectAltNames(server));
    assertEquals(
        List.of(CertificateSpec.EKU_SERVER_AUTH, CertificateSpec.EKU_IKE_INTERMEDIATE),
        server.getExtendedKeyUsage());
    boolean[] ku = server.getKeyUsage();
    assertTrue(ku[0] && !ku[2] && !ku[5], "digitalSignature only for an EC key");
    assertEquals(-1, server.getBasicConstraints());
    Duration validity =
        Duration.between(server.getNotBefore().toInstant(), server.getNotAfter().toInstant());
    assertEquals(Duration.ofDays(825), validity);
    assertTrue(server.getNotBefore().toInstant().isBefore(NOW));
    assertTrue(
        new CertificateVerifier(List.of(ca.cert()), List.of())
            .verify(server, List.of(), NOW)
            .accepted());
  }

  @Test
  void serverNamedByAddressGetsAnIpSubjectAltName() {
    X509Certificate server =
        pki.leaf(CertificateProfiles.server("198.51.100.7", List.of(), true, NOW, 30), keys, ca);
    assertEquals(List.of("IP:198.51.100.7"), CertificateIdentity.describeSubjectAltNames(server));
    assertTrue(server.getKeyUsage()[2], "keyEncipherment for RSA");
  }

  @Test
  void refusesWhatClientsWouldRefuse() {
    PkiException e =
        assertThrows(
            PkiException.class,
            () -> CertificateProfiles.server("vpn.example.com", List.of(), true, NOW, 826));
    assertTrue(e.getMessage().contains("825"), e.getMessage());
    assertThrows(
        PkiException.class,
        () -> CertificateProfiles.server("vpn_example,com", List.of(), true, NOW, 30));
    assertThrows(
        PkiException.class,
        () -> CertificateProfiles.server("vpn.example.com", List.of("300.1.1.1"), true, NOW, 30));
    assertThrows(
        PkiException.class, () -> CertificateProfiles.client("alice,O=evil", null, NOW, 30));
    assertThrows(
        PkiException.class, () -> CertificateProfiles.client("alice", "not-an-address", NOW, 30));
    assertThrows(PkiException.class, () -> CertificateProfiles.ca("CA", NOW, 0));
  }

  @Test
  void clientAndCaProfiles() throws Exception {
    X509Certificate client =
        pki.leaf(CertificateProfiles.client("alice", "alice@example.com", NOW, 365), keys, ca);
    assertEquals(
        List.of("email:alice@example.com"), CertificateIdentity.describeSubjectAltNames(client));
    assertEquals(
        List.of(CertificateSpec.EKU_CLIENT_AUTH, CertificateSpec.EKU_IKE_INTERMEDIATE),
        client.getExtendedKeyUsage());
    assertEquals("CN=alice", client.getSubjectX500Principal().getName());
    assertTrue(ca.cert().getBasicConstraints() >= 0);
    assertTrue(ca.cert().getKeyUsage()[5] && ca.cert().getKeyUsage()[6]);
  }
}
