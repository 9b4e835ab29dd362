package dev.coati.crypto.pki;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;

/**
 * Binds an IKE identity to a certificate (RFC 4945 §3.1): the ID payload a peer sends must name its
 * certificate, else the peer could present a valid certificate for someone else.
 *
 * <ul>
 *   <li>ID_IPV4_ADDR: a subjectAltName iPAddress with the same four bytes;
 *   <li>ID_FQDN: a subjectAltName dNSName, compared case-insensitively (RFC 4343), a trailing dot
 *       ignored;
 *   <li>ID_USER_FQDN: a subjectAltName rfc822Name, the domain case-insensitively, the local part
 *       exactly (RFC 5321 §2.4);
 *   <li>ID_DER_ASN1_DN: the subject DN, compared by meaning ({@link DistinguishedNames}).
 * </ul>
 *
 * The subject's CN is never matched against an FQDN (RFC 4945 §3.1.2 says the SAN carries it).
 */
public final class CertificateIdentity {
  private CertificateIdentity() {}

  /** True when the ID payload body {@code data} of {@code type} names {@code cert}. */
  public static boolean matches(X509Certificate cert, IkeIdType type, byte[] data) {
    return switch (type) {
      case IPV4_ADDR ->
          data.length == 4
              && subjectAltNames(cert, GeneralName.iPAddress).stream()
                  .anyMatch(n -> Arrays.equals(octets(n), data));
      case FQDN -> {
        String want = hostname(ascii(data));
        yield subjectAltNames(cert, GeneralName.dNSName).stream()
            .anyMatch(n -> hostname(text(n)).equals(want));
      }
      case USER_FQDN -> {
        String want = ascii(data);
        yield subjectAltNames(cert, GeneralName.rfc822Name).stream()
            .anyMatch(n -> sameMailbox(text(n), want));
      }
      case DER_ASN1_DN ->
          DistinguishedNames.parse(data)
              .map(dn -> DistinguishedNames.equivalent(dn, subject(cert)))
              .orElse(false);
    };
  }

  /**
   * Our own ID_DER_ASN1_DN body (RFC 2407 §4.6.2.1, RFC 4945 §3.1.5): the DER of our certificate's
   * subject exactly as encoded in the certificate, so peers comparing bytes match too.
   */
  public static byte[] derAsn1Dn(X509Certificate cert) {
    return cert.getSubjectX500Principal().getEncoded();
  }

  /** The subjectAltName dNSName, rfc822Name and iPAddress entries as text, for logs. */
  public static List<String> describeSubjectAltNames(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    subjectAltNames(cert, GeneralName.dNSName).forEach(n -> out.add("DNS:" + text(n)));
    subjectAltNames(cert, GeneralName.rfc822Name).forEach(n -> out.add("email:" + text(n)));
    subjectAltNames(cert, GeneralName.iPAddress).forEach(n -> out.add("IP:" + ip(octets(n))));
    return out;
  }

  private static List<GeneralName> subjectAltNames(X509Certificate cert, int tag) {
    Extensions ext;
    try {
      ext = new JcaX509CertificateHolder(cert).getExtensions();
    } catch (CertificateEncodingException e) {
      throw new PkiException("certificate not re-encodable", e);
    }
    GeneralNames names =
        ext == null ? null : GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName);
    if (names == null) {
      return List.of();
    }
    return Arrays.stream(names.getNames()).filter(n -> n.getTagNo() == tag).toList();
  }

  private static X500Name subject(X509Certificate cert) {
    return X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
  }

  private static byte[] octets(GeneralName n) {
    return ASN1OctetString.getInstance(n.getName()).getOctets();
  }

  private static String text(GeneralName n) {
    return ((ASN1String) n.getName()).getString();
  }

  private static String ascii(byte[] data) {
    return new String(data, StandardCharsets.US_ASCII);
  }

  private static String hostname(String s) {
    String h = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    return h.toLowerCase(Locale.ROOT);
  }

  private static boolean sameMailbox(String a, String b) {
    int ia = a.lastIndexOf('@');
    int ib = b.lastIndexOf('@');
    if (ia < 0 || ib < 0) {
      return false;
    }
    return a.substring(0, ia).equals(b.substring(0, ib))
        && hostname(a.substring(ia + 1)).equals(hostname(b.substring(ib + 1)));
  }

  private static String ip(byte[] b) {
    if (b.length != 4) {
      return org.bouncycastle.util.encoders.Hex.toHexString(b);
    }
    return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
  }
}
