package dev.coati.crypto.pki;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Reads and writes PEM (RFC 7468): certificates and CA bundles ({@code CERTIFICATE}), CRLs ({@code
 * X509 CRL}) and unencrypted private keys in the three forms OpenSSL writes: PKCS#8 ({@code PRIVATE
 * KEY}, RFC 5958), PKCS#1 ({@code RSA PRIVATE KEY}, RFC 8017 appendix A.1.2) and SEC1 ({@code EC
 * PRIVATE KEY}, RFC 5915; an {@code EC PARAMETERS} block before it, as {@code openssl ecparam
 * -genkey} writes, is skipped). Errors name the file and say what the file held instead.
 */
public final class PemFiles {
  private PemFiles() {}

  /** Every certificate in {@code file} (a CA bundle), at least one. */
  public static List<X509Certificate> certificates(Path file) {
    List<X509Certificate> certs = new ArrayList<>();
    List<String> other = new ArrayList<>();
    for (Object o : objects(file)) {
      if (o instanceof X509CertificateHolder h) {
        certs.add(toCertificate(h, file));
      } else {
        other.add(describe(o));
      }
    }
    if (certs.isEmpty()) {
      throw new PkiException(file + ": expected a PEM CERTIFICATE, found " + found(other));
    }
    return List.copyOf(certs);
  }

  /** The single certificate in {@code file}. */
  public static X509Certificate certificate(Path file) {
    List<X509Certificate> certs = certificates(file);
    if (certs.size() != 1) {
      throw new PkiException(
          file + ": expected one certificate, found " + certs.size() + " (a CA bundle?)");
    }
    return certs.get(0);
  }

  /** The single unencrypted RSA or EC private key in {@code file}. */
  public static PrivateKey privateKey(Path file) {
    List<PrivateKey> keys = new ArrayList<>();
    List<String> other = new ArrayList<>();
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    for (Object o : objects(file)) {
      try {
        switch (o) {
          case PEMKeyPair kp -> keys.add(converter.getPrivateKey(kp.getPrivateKeyInfo()));
          case PrivateKeyInfo info -> keys.add(converter.getPrivateKey(info));
          case ASN1ObjectIdentifier curve -> {} // EC PARAMETERS before an EC PRIVATE KEY
          default -> other.add(describe(o));
        }
      } catch (PEMException e) {
        throw new PkiException(file + ": unsupported private key (" + e.getMessage() + ")", e);
      }
    }
    if (keys.size() != 1) {
      throw new PkiException(
          file
              + ": expected one unencrypted PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC"
              + " PRIVATE KEY), found "
              + (keys.isEmpty() ? found(other) : keys.size() + " keys"));
    }
    String alg = keys.get(0).getAlgorithm();
    if (!alg.equals("RSA") && !alg.equals("EC")) {
      throw new PkiException(file + ": expected an RSA or EC private key, found " + alg);
    }
    return keys.get(0);
  }

  /** The CRL in {@code file} (PEM {@code X509 CRL}). */
  public static X509CRL crl(Path file) {
    List<String> other = new ArrayList<>();
    for (Object o : objects(file)) {
      if (o instanceof X509CRLHolder h) {
        try {
          return new JcaX509CRLConverter().getCRL(h);
        } catch (CRLException e) {
          throw new PkiException(file + ": unreadable CRL (" + e.getMessage() + ")", e);
        }
      }
      other.add(describe(o));
    }
    throw new PkiException(file + ": expected a PEM X509 CRL, found " + found(other));
  }

  /** PEM text of certificates, keys ({@code PRIVATE KEY}, PKCS#8) or CRLs, in order. */
  public static String encode(Object... objects) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(text)) {
      for (Object o : objects) {
        if (o instanceof PrivateKey k) {
          // PKCS#8 as is: Bouncy Castle would rewrite EC keys as SEC1 without the curve
          w.writeObject(new PemObject("PRIVATE KEY", k.getEncoded()));
        } else {
          w.writeObject(o);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  private static List<Object> objects(Path file) {
    List<Object> out = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(r)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        out.add(o);
      }
    } catch (IOException | RuntimeException e) {
      throw new PkiException(file + ": not readable as PEM (" + e.getMessage() + ")", e);
    }
    return out;
  }

  private static X509Certificate toCertificate(X509CertificateHolder h, Path file) {
    try {
      return new JcaX509CertificateConverter().getCertificate(h);
    } catch (CertificateException e) {
      throw new PkiException(file + ": unreadable certificate (" + e.getMessage() + ")", e);
    }
  }

  private static String found(List<String> other) {
    return other.isEmpty() ? "no PEM blocks" : String.join(", ", other);
  }

  private static String describe(Object o) {
    return switch (o) {
      case X509CertificateHolder h -> "a certificate (" + h.getSubject() + ")";
      case X509CRLHolder h -> "a CRL";
      case PEMKeyPair kp -> "a private key";
      case PrivateKeyInfo info -> "a private key";
      case PEMEncryptedKeyPair kp -> "an encrypted private key (decrypt it: openssl pkey -in F)";
      case PKCS8EncryptedPrivateKeyInfo info ->
          "an encrypted PKCS#8 private key (decrypt it: openssl pkey -in F)";
      case SubjectPublicKeyInfo spki -> "a public key";
      case ASN1ObjectIdentifier oid -> "EC parameters";
      default -> "a " + o.getClass().getSimpleName();
    };
  }
}
