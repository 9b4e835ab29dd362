package dev.coati.crypto.pki;

import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.bc.BcPKCS12PBEOutputEncryptorBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;

/**
 * Writes PKCS#12 (RFC 7292) in the legacy encoding Apple (macOS, iOS) and Windows import: the
 * shrouded key bag and the certificate bags both encrypted with {@code
 * pbeWithSHAAnd3-KeyTripleDES-CBC} (RFC 7292 appendix C), an HMAC-SHA-1 MAC with the PKCS#12 KDF
 * (appendix B), {@value #ITERATIONS} iterations each. This is what {@code openssl pkcs12 -export
 * -legacy} writes, except that the certificates are under 3DES instead of RC2-40, so OpenSSL 3
 * reads it without its legacy provider. PBES2/AES files (OpenSSL 3's default) are refused by iOS.
 */
public final class LegacyPkcs12 {
  /** Iteration count of the key, certificate and MAC derivations. */
  public static final int ITERATIONS = 2048;

  private LegacyPkcs12() {}

  /**
   * The DER of a PKCS#12 file holding {@code key} and {@code chain} (the key's certificate first,
   * then its CA certificates), each with the friendly name {@code friendlyName}; the key and its
   * certificate share a localKeyId, so importers pair them.
   */
  public static byte[] encode(
      String friendlyName, PrivateKey key, List<X509Certificate> chain, char[] password) {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("the chain needs at least the key's certificate");
    }
    try {
      SubjectKeyIdentifier localKeyId =
          new JcaX509ExtensionUtils().createSubjectKeyIdentifier(chain.get(0).getPublicKey());
      List<PKCS12SafeBag> certBags = new ArrayList<>();
      for (int i = 0; i < chain.size(); i++) {
        PKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder(chain.get(i));
        if (i == 0) {
          bag.addBagAttribute(
              PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(friendlyName));
          bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, localKeyId);
        }
        certBags.add(bag.build());
      }
      PKCS12SafeBagBuilder keyBag = new JcaPKCS12SafeBagBuilder(key, tripleDes(password));
      keyBag.addBagAttribute(
          PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(friendlyName));
      keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, localKeyId);

      PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
      pfx.addEncryptedData(tripleDes(password), certBags.toArray(PKCS12SafeBag[]::new));
      pfx.addData(keyBag.build());
      PKCS12PfxPdu pdu =
          pfx.build(
              new BcPKCS12MacCalculatorBuilder(
                      new SHA1Digest(),
                      new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1, DERNull.INSTANCE))
                  .setIterationCount(ITERATIONS),
              password);
      return pdu.getEncoded(ASN1Encoding.DER);
    } catch (IOException | PKCSException | NoSuchAlgorithmException e) {
      throw new PkiException("cannot build the PKCS#12 file: " + e.getMessage(), e);
    }
  }

  /** A fresh encryptor (own salt) for each encrypted structure. */
  private static OutputEncryptor tripleDes(char[] password) {
    return new BcPKCS12PBEOutputEncryptorBuilder(
            PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC,
            CBCBlockCipher.newInstance(new DESedeEngine()))
        .setIterationCount(ITERATIONS)
        .build(password);
  }
}
