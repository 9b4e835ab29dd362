package dev.coati.crypto.pki;

import dev.coati.util.RandomSource;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Signs X.509 v3 certificates (RFC 5280) from a {@link CertificateSpec}: random positive 128-bit
 * serial numbers (§4.1.2.2), subject and authority key identifiers (§4.2.1.1, §4.2.1.2), critical
 * basicConstraints and keyUsage, extendedKeyUsage and subjectAltName as given.
 */
public final class CertificateIssuer {
  private final RandomSource random;

  public CertificateIssuer(RandomSource random) {
    this.random = random;
  }

  /** A self-signed certificate for {@code keys} (a root CA). */
  public X509Certificate selfSigned(CertificateSpec spec, KeyPair keys) {
    X500Name name = new X500Name(spec.subject());
    return build(spec, keys.getPublic(), name, keys.getPublic(), keys.getPrivate());
  }

  /** A certificate for {@code subjectKey} signed by {@code issuer}'s key {@code issuerKey}. */
  public X509Certificate issue(
      CertificateSpec spec, PublicKey subjectKey, X509Certificate issuer, PrivateKey issuerKey) {
    X500Name issuerName = X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
    return build(spec, subjectKey, issuerName, issuer.getPublicKey(), issuerKey);
  }

  private X509Certificate build(
      CertificateSpec spec,
      PublicKey subjectKey,
      X500Name issuerName,
      PublicKey issuerPublic,
      PrivateKey issuerKey) {
    BigInteger serial = new BigInteger(1, random.bytes(16)).setBit(126).clearBit(127);
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            issuerName,
            serial,
            Date.from(spec.notBefore()),
            Date.from(spec.notAfter()),
            new X500Name(spec.subject()),
            subjectKey);
    try {
      addExtensions(b, spec, subjectKey, issuerPublic);
      var signer =
          new JcaContentSignerBuilder(KeyType.certificateSignatureAlgorithm(issuerKey))
              .setSecureRandom(RandomAdapter.of(random))
              .build(issuerKey);
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (CertIOException | OperatorCreationException | CertificateException e) {
      throw new PkiException("cannot issue a certificate for " + spec.subject(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new PkiException("SHA-1 missing for key identifiers", e);
    }
  }

  private static void addExtensions(
      X509v3CertificateBuilder b, CertificateSpec spec, PublicKey subjectKey, PublicKey issuerKey)
      throws CertIOException, NoSuchAlgorithmException {
    JcaX509ExtensionUtils ids = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(spec.ca()));
    b.addExtension(
        Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(subjectKey));
    if (!subjectKey.equals(issuerKey)) {
      b.addExtension(
          Extension.authorityKeyIdentifier, false, ids.createAuthorityKeyIdentifier(issuerKey));
    }
    if (!spec.keyUsage().isEmpty()) {
      int bits = 0;
      for (CertificateSpec.KeyUsage u : spec.keyUsage()) {
        bits |= u.mask;
      }
      b.addExtension(Extension.keyUsage, true, new KeyUsage(bits));
    }
    if (!spec.extendedKeyUsage().isEmpty()) {
      KeyPurposeId[] purposes =
          spec.extendedKeyUsage().stream()
              .map(oid -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid)))
              .toArray(KeyPurposeId[]::new);
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
    }
    List<GeneralName> names = new ArrayList<>();
    spec.dnsNames().forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
    spec.ipAddresses().forEach(n -> names.add(new GeneralName(GeneralName.iPAddress, n)));
    spec.emails().forEach(n -> names.add(new GeneralName(GeneralName.rfc822Name, n)));
    if (!names.isEmpty()) {
      // RFC 5280 §4.2.1.6: critical only when the subject DN is empty
      b.addExtension(
          Extension.subjectAlternativeName,
          spec.subject().isBlank(),
          new GeneralNames(names.toArray(GeneralName[]::new)));
    }
  }
}
