package dev.coati.crypto.pki;

import static dev.coati.crypto.pki.TestPki.NOW;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.crypto.pki.CertificateSpec.KeyUsage;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;

class CertificateIdentityTest {
  private final TestPki pki = new TestPki();
  private final TestPki.Ca ca = pki.root("Test CA");
  private final KeyPair keys = KeyType.EC_P256.generate(pki.random);
  private final X509Certificate cert =
      pki.leaf(
          new CertificateSpec(
              "C=XX, O=Test Org, CN=alice",
              NOW,
              NOW.plus(Duration.ofDays(1)),
              false,
              EnumSet.of(KeyUsage.DIGITAL_SIGNATURE),
              List.of(),
              List.of("vpn.example.com"),
              List.of("192.0.2.1"),
              List.of("alice@Example.com")),
          keys,
          ca);

  @Test
  void fqdnMatchesDnsNameIgnoringCaseAndTrailingDot() {
    assertTrue(matches(IkeIdType.FQDN, "vpn.example.com"));
    assertTrue(matches(IkeIdType.FQDN, "VPN.Example.COM."));
    assertFalse(matches(IkeIdType.FQDN, "other.example.com"));
    assertFalse(matches(IkeIdType.FQDN, "alice"), "the CN is not a DNS name");
  }

  @Test
  void userFqdnMatchesRfc822NameDomainCaseInsensitively() {
    assertTrue(matches(IkeIdType.USER_FQDN, "alice@example.COM"));
    assertFalse(matches(IkeIdType.USER_FQDN, "Alice@example.com"), "local part is exact");
    assertFalse(matches(IkeIdType.USER_FQDN, "alice@example.org"));
    assertFalse(matches(IkeIdType.USER_FQDN, "vpn.example.com"));
  }

  @Test
  void ipv4MatchesIpAddressOctets() {
    assertTrue(
        CertificateIdentity.matches(cert, IkeIdType.IPV4_ADDR, new byte[] {(byte) 192, 0, 2, 1}));
    assertFalse(
        CertificateIdentity.matches(cert, IkeIdType.IPV4_ADDR, new byte[] {(byte) 192, 0, 2, 2}));
    assertFalse(
        CertificateIdentity.matches(cert, IkeIdType.IPV4_ADDR, new byte[] {(byte) 192, 0, 2}));
  }

  @Test
  void dnMatchesOwnEncodingAndByMeaning() throws Exception {
    byte[] own = CertificateIdentity.derAsn1Dn(cert);
    assertArrayEquals(cert.getSubjectX500Principal().getEncoded(), own);
    assertTrue(CertificateIdentity.matches(cert, IkeIdType.DER_ASN1_DN, own));
    // UTF8String instead of PrintableString, other case, extra spaces: same name
    byte[] loose =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.C, new DERPrintableString("xx"))
            .addRDN(BCStyle.O, new DERUTF8String("  TEST   org "))
            .addRDN(BCStyle.CN, new DERUTF8String("Alice"))
            .build()
            .getEncoded(ASN1Encoding.DER);
    assertTrue(CertificateIdentity.matches(cert, IkeIdType.DER_ASN1_DN, loose));
    assertTrue(
        CertificateIdentity.matches(
            cert, IkeIdType.DER_ASN1_DN, DistinguishedNames.fromText("C=xx,O=test org,CN=ALICE")));
  }

  @Test
  void dnDiffersWhenOrderValueOrCountDiffers() {
    assertFalse(dn("CN=alice, O=Test Org, C=XX"), "RFC 5280 7.1: RDNs match in order");
    assertFalse(dn("C=XX, O=Test Org, CN=bob"));
    assertFalse(dn("C=XX, CN=alice"));
    assertFalse(dn("C=XX, O=Test Org, OU=Sales, CN=alice"));
    assertFalse(dn("C=XX, O=TestOrg, CN=alice"), "inner space is significant, only runs fold");
    assertFalse(
        CertificateIdentity.matches(cert, IkeIdType.DER_ASN1_DN, new byte[] {0x30, 0x03, 1, 2}));
    assertFalse(CertificateIdentity.matches(cert, IkeIdType.DER_ASN1_DN, new byte[0]));
  }

  @Test
  void multiValuedRdnMatchesInAnyOrder() throws Exception {
    byte[] a =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addMultiValuedRDN(
                new org.bouncycastle.asn1.ASN1ObjectIdentifier[] {BCStyle.CN, BCStyle.UID},
                new String[] {"x", "1"})
            .build()
            .getEncoded(ASN1Encoding.DER);
    var na = DistinguishedNames.parse(a).orElseThrow();
    var nb = DistinguishedNames.parse(DistinguishedNames.fromText("UID=1+CN=X")).orElseThrow();
    assertTrue(DistinguishedNames.equivalent(na, nb));
  }

  @Test
  void idTypesHaveRfc2407Numbers() {
    assertEquals(IkeIdType.IPV4_ADDR, IkeIdType.of(1).orElseThrow());
    assertEquals(IkeIdType.FQDN, IkeIdType.of(2).orElseThrow());
    assertEquals(IkeIdType.USER_FQDN, IkeIdType.of(3).orElseThrow());
    assertEquals(IkeIdType.DER_ASN1_DN, IkeIdType.of(9).orElseThrow());
    assertTrue(IkeIdType.of(11).isEmpty()); // KEY_ID: no certificate binding
  }

  @Test
  void describesSubjectAltNames() {
    assertEquals(
        List.of("DNS:vpn.example.com", "email:alice@Example.com", "IP:192.0.2.1"),
        CertificateIdentity.describeSubjectAltNames(cert));
  }

  private boolean matches(IkeIdType type, String id) {
    return CertificateIdentity.matches(cert, type, id.getBytes(StandardCharsets.US_ASCII));
  }

  private boolean dn(String text) {
    return CertificateIdentity.matches(
        cert, IkeIdType.DER_ASN1_DN, DistinguishedNames.fromText(text));
  }
}
