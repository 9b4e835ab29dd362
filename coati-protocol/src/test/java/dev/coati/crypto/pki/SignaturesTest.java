package dev.coati.crypto.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.util.RandomSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IKEv1 signature primitives (RFC 2409 §5.1, RFC 4754) against OpenSSL. */
class SignaturesTest {
  @TempDir Path dir;
  private final RandomSource random = RandomSource.deterministic(3);

  @Test
  void rsaSignatureIsPkcs1Type1OfTheRawHashLikeOpensslPkeyutl() throws Exception {
    OpenSsl.run(dir, "genrsa", "-traditional", "-out", "key.pem", "2048");
    OpenSsl.run(
        dir,
        "req",
        "-x509",
        "-new",
        "-key",
        "key.pem",
        "-subj",
        "/CN=rsa",
        "-days",
        "2",
        "-out",
        "cert.pem");
    byte[] hash = random.bytes(20); // HASH_I with the SHA-1 PRF
    Files.write(dir.resolve("hash.bin"), hash);
    OpenSsl.run(
        dir,
        "pkeyutl",
        "-sign",
        "-inkey",
        "key.pem",
        "-pkeyopt",
        "rsa_padding_mode:pkcs1",
        "-in",
        "hash.bin",
        "-out",
        "sig.bin");
    byte[] theirs = Files.readAllBytes(dir.resolve("sig.bin"));

    Signer signer = Signer.of(PemFiles.privateKey(dir.resolve("key.pem")), random);
    assertEquals(SignatureScheme.RSA_PKCS1, signer.scheme());
    assertEquals(3, signer.scheme().authMethod());
    byte[] ours = signer.sign(hash);
    assertArrayEquals(theirs, ours);

    SignatureVerifier verifier =
        SignatureVerifier.of(PemFiles.certificate(dir.resolve("cert.pem")));
    assertTrue(verifier.verify(hash, theirs));
    byte[] tampered = ours.clone();
    tampered[100] ^= 1;
    assertFalse(verifier.verify(hash, tampered));
    hash[0] ^= 1;
    assertFalse(verifier.verify(hash, ours));
    assertFalse(verifier.verify(hash, new byte[10]));
  }

  @Test
  void opensslEcdsaP256SignatureVerifiesAfterDerToRawConversion() throws Exception {
    checkEcdsa("prime256v1", "-sha256", 32, SignatureScheme.ECDSA_P256_SHA256);
  }

  @Test
  void opensslEcdsaP384SignatureVerifiesAfterDerToRawConversion() throws Exception {
    checkEcdsa("secp384r1", "-sha384", 48, SignatureScheme.ECDSA_P384_SHA384);
  }

  private void checkEcdsa(String curve, String digest, int size, SignatureScheme scheme)
      throws Exception {
    OpenSsl.run(dir, "ecparam", "-name", curve, "-genkey", "-noout", "-out", "key.pem");
    OpenSsl.run(
        dir,
        "req",
        "-x509",
        "-new",
        "-key",
        "key.pem",
        "-subj",
        "/CN=ec",
        "-days",
        "2",
        "-out",
        "cert.pem");
    OpenSsl.run(dir, "pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem");
    byte[] hash = random.bytes(32); // HASH_I with the SHA-256 PRF
    Files.write(dir.resolve("hash.bin"), hash);
    OpenSsl.run(dir, "dgst", digest, "-sign", "key.pem", "-out", "sig.der", "hash.bin");

    SignatureVerifier verifier =
        SignatureVerifier.of(PemFiles.certificate(dir.resolve("cert.pem")));
    assertEquals(scheme, verifier.scheme());
    byte[] raw = EcdsaEncoding.derToConcat(Files.readAllBytes(dir.resolve("sig.der")), size);
    assertEquals(2 * size, raw.length);
    assertTrue(verifier.verify(hash, raw));
    assertFalse(
        verifier.verify(hash, Files.readAllBytes(dir.resolve("sig.der"))),
        "DER is not the IKE form");
    raw[size] ^= 1;
    assertFalse(verifier.verify(hash, raw));

    // and the other way: our r||s, converted to DER, verifies in OpenSSL
    Signer signer = Signer.of(PemFiles.privateKey(dir.resolve("key.pem")), random);
    byte[] ours = signer.sign(hash);
    assertEquals(2 * size, ours.length);
    Files.write(dir.resolve("ours.der"), EcdsaEncoding.concatToDer(ours));
    String out =
        OpenSsl.run(
            dir, "dgst", digest, "-verify", "pub.pem", "-signature", "ours.der", "hash.bin");
    assertTrue(out.contains("Verified OK"), out);
  }

  @Test
  void derToRawPadsShortValues() {
    byte[] der = EcdsaEncoding.concatToDer(new byte[] {0, 0, 0, 5, 0, 0, 0, 7});
    assertArrayEquals(new byte[] {0, 0, 0, 5, 0, 0, 0, 7}, EcdsaEncoding.derToConcat(der, 4));
    assertThrows(PkiException.class, () -> EcdsaEncoding.derToConcat(new byte[] {1, 2, 3}, 4));
  }

  @Test
  void refusesCurvesIkeV1SignaturesDoNotUse() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp521r1"));
    PrivateKey p521 = g.generateKeyPair().getPrivate();
    assertThrows(PkiException.class, () -> Signer.of(p521, random));
  }

  @Test
  void rsaRefusesHashTooLongForTheModulus() {
    PrivateKey key = KeyType.RSA_2048.generate(random).getPrivate();
    assertThrows(PkiException.class, () -> Signer.of(key, random).sign(new byte[256 - 10]));
  }
}
