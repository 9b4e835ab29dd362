package dev.coati.crypto.pki;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What goes into a certificate {@link CertificateIssuer} signs (RFC 5280 §4).
 *
 * @param subject the subject DN in RFC 4514 text, e.g. {@code "CN=vpn.example.com"}
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param ca whether basicConstraints says cA (always written, critical)
 * @param keyUsage the keyUsage bits (critical); empty for none
 * @param extendedKeyUsage extendedKeyUsage OIDs in dotted form; empty for none
 * @param dnsNames subjectAltName dNSName entries
 * @param ipAddresses subjectAltName iPAddress entries, IPv4 or IPv6 text
 * @param emails subjectAltName rfc822Name entries
 */
public record CertificateSpec(
    String subject,
    Instant notBefore,
    Instant notAfter,
    boolean ca,
    Set<KeyUsage> keyUsage,
    List<String> extendedKeyUsage,
    List<String> dnsNames,
    List<String> ipAddresses,
    List<String> emails) {

  /** OID of id-kp-serverAuth (RFC 5280 §4.2.1.12). */
  public static final String EKU_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

  /** OID of id-kp-clientAuth (RFC 5280 §4.2.1.12). */
  public static final String EKU_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  /** OID of iKEIntermediate (RFC 4945 §5.1.3.12; Windows and Apple look for it). */
  public static final String EKU_IKE_INTERMEDIATE = "1.3.6.1.5.5.8.2.2";

  public CertificateSpec {
    keyUsage = Set.copyOf(keyUsage);
    extendedKeyUsage = List.copyOf(extendedKeyUsage);
    dnsNames = List.copyOf(dnsNames);
    ipAddresses = List.copyOf(ipAddresses);
    emails = List.copyOf(emails);
    if (!notAfter.isAfter(notBefore)) {
      throw new IllegalArgumentException("notAfter must be after notBefore");
    }
  }

  /** keyUsage bits (RFC 5280 §4.2.1.3), with Bouncy Castle's bit masks. */
  public enum KeyUsage {
    DIGITAL_SIGNATURE(org.bouncycastle.asn1.x509.KeyUsage.digitalSignature),
    KEY_ENCIPHERMENT(org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment),
    KEY_CERT_SIGN(org.bouncycastle.asn1.x509.KeyUsage.keyCertSign),
    CRL_SIGN(org.bouncycastle.asn1.x509.KeyUsage.cRLSign);

    final int mask;

    KeyUsage(int mask) {
      this.mask = mask;
    }
  }
}
