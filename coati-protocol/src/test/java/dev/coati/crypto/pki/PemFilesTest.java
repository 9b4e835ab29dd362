package dev.coati.crypto.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.util.RandomSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys as OpenSSL writes them load, and each loaded key signs what OpenSSL then verifies. */
class PemFilesTest {
  @TempDir Path dir;

  @Test
  void loadsPkcs8RsaKey() {
    OpenSsl.run(
        dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "k.pem");
    assertHeader("-----BEGIN PRIVATE KEY-----");
    assertSignsForOpenssl(PemFiles.privateKey(dir.resolve("k.pem")), "-sha1");
  }

  @Test
  void loadsPkcs1RsaKey() {
    OpenSsl.run(dir, "genrsa", "-traditional", "-out", "k.pem", "2048");
    assertHeader("-----BEGIN RSA PRIVATE KEY-----");
    assertSignsForOpenssl(PemFiles.privateKey(dir.resolve("k.pem")), "-sha1");
  }

  @Test
  void loadsSec1EcKeyAfterEcParameters() {
    OpenSsl.run(dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", "k.pem");
    assertHeader("-----BEGIN EC PARAMETERS-----");
    PrivateKey key = PemFiles.privateKey(dir.resolve("k.pem"));
    assertEquals(SignatureScheme.ECDSA_P256_SHA256, SignatureScheme.forKey(key));
    assertSignsForOpenssl(key, "-sha256");
  }

  @Test
  void loadsPkcs8EcP384Key() {
    OpenSsl.run(
        dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "k.pem");
    PrivateKey key = PemFiles.privateKey(dir.resolve("k.pem"));
    assertEquals(SignatureScheme.ECDSA_P384_SHA384, SignatureScheme.forKey(key));
    assertSignsForOpenssl(key, "-sha384");
  }

  @Test
  void ourPkcs8OutputIsReadByOpenssl() throws Exception {
    PrivateKey key = KeyType.EC_P256.generate(RandomSource.deterministic(7)).getPrivate();
    Files.writeString(dir.resolve("k.pem"), PemFiles.encode(key));
    assertHeader("-----BEGIN PRIVATE KEY-----");
    assertSignsForOpenssl(PemFiles.privateKey(dir.resolve("k.pem")), "-sha256");
  }

  @Test
  void loadsBundleOfSeveralCertificates() throws Exception {
    TestPki pki = new TestPki();
    TestPki.Ca a = pki.root("A");
    TestPki.Ca b = pki.root("B");
    Path bundle = dir.resolve("bundle.pem");
    Files.writeString(bundle, "comment line\n" + PemFiles.encode(a.cert(), b.cert()));
    assertEquals(List.of(a.cert(), b.cert()), PemFiles.certificates(bundle));
    PkiException e = assertThrows(PkiException.class, () -> PemFiles.certificate(bundle));
    assertTrue(e.getMessage().contains("found 2"), e.getMessage());
  }

  @Test
  void errorsNameTheFileAndWhatItHeld() throws Exception {
    TestPki pki = new TestPki();
    Path cert = dir.resolve("cert.pem");
    Files.writeString(cert, PemFiles.encode(pki.root("Some CA").cert()));
    PkiException e = assertThrows(PkiException.class, () -> PemFiles.privateKey(cert));
    assertTrue(e.getMessage().startsWith(cert.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("found a certificate (CN=Some CA)"), e.getMessage());

    Path empty = dir.resolve("empty.pem");
    Files.writeString(empty, "not PEM at all\n");
    e = assertThrows(PkiException.class, () -> PemFiles.certificates(empty));
    assertTrue(e.getMessage().contains("no PEM blocks"), e.getMessage());

    OpenSsl.run(
        dir,
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-aes256",
        "-pass",
        "pass:hunter22",
        "-out",
        "enc.pem");
    e = assertThrows(PkiException.class, () -> PemFiles.privateKey(dir.resolve("enc.pem")));
    assertTrue(e.getMessage().contains("encrypted"), e.getMessage());
    assertTrue(!e.getMessage().contains("hunter22"));

    Path key = dir.resolve("key.pem");
    Files.writeString(key, PemFiles.encode(KeyType.EC_P256.generate(pki.random).getPrivate()));
    e = assertThrows(PkiException.class, () -> PemFiles.certificates(key));
    assertTrue(e.getMessage().contains("found a private key"), e.getMessage());
    e = assertThrows(PkiException.class, () -> PemFiles.crl(key));
    assertTrue(e.getMessage().contains("expected a PEM X509 CRL"), e.getMessage());
  }

  private void assertHeader(String header) {
    try {
      String text = Files.readString(dir.resolve("k.pem"));
      assertTrue(text.startsWith(header), text.lines().findFirst().orElse(""));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Signs data with the loaded key through the JCA (the digest OpenSSL computes itself) and has
   * OpenSSL verify it with the public key it derives from its own file: same key both sides.
   */
  private void assertSignsForOpenssl(PrivateKey key, String digest) {
    try {
      byte[] data = "coati pem test".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      String alg =
          switch (digest) {
            case "-sha1" -> "SHA1with";
            case "-sha256" -> "SHA256with";
            default -> "SHA384with";
          };
      var s =
          java.security.Signature.getInstance(
              alg + (key.getAlgorithm().equals("RSA") ? "RSA" : "ECDSA"));
      s.initSign(key);
      s.update(data);
      Files.write(dir.resolve("data"), data);
      Files.write(dir.resolve("sig"), s.sign());
      OpenSsl.run(dir, "pkey", "-in", "k.pem", "-pubout", "-out", "pub.pem");
      String out =
          OpenSsl.run(dir, "dgst", digest, "-verify", "pub.pem", "-signature", "sig", "data");
      assertTrue(out.contains("Verified OK"), out);
    } catch (java.security.GeneralSecurityException | java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
