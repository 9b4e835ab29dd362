package dev.coati.crypto.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LegacyPkcs12Test {
  private static final char[] PASSWORD = "correct horse".toCharArray();

  private final TestPki pki = new TestPki();
  private final TestPki.Ca ca = pki.root("P12 CA");
  private final KeyPair keys = KeyType.RSA_2048.generate(pki.random);
  private final X509Certificate cert = pki.leaf(TestPki.leafSpec("alice"), keys, ca);
  private final byte[] p12 =
      LegacyPkcs12.encode("alice", keys.getPrivate(), List.of(cert, ca.cert()), PASSWORD);

  @Test
  void opensslReportsTripleDesAndSha1MacWithoutLegacyProvider(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("alice.p12"), p12);
    String info =
        OpenSsl.run(
            dir, "pkcs12", "-info", "-noout", "-in", "alice.p12", "-passin", "pass:correct horse");
    assertTrue(info.contains("MAC: sha1, Iteration " + LegacyPkcs12.ITERATIONS), info);
    assertEquals(
        2,
        count(info, "pbeWithSHA1And3-KeyTripleDES-CBC, Iteration " + LegacyPkcs12.ITERATIONS),
        info);
    assertFalse(info.contains("RC2"), info);
    assertFalse(info.contains("PBES2"), info);

    String certs =
        OpenSsl.run(dir, "pkcs12", "-in", "alice.p12", "-passin", "pass:correct horse", "-nokeys");
    assertTrue(certs.contains("friendlyName: alice"), certs);
    assertEquals(2, count(certs, "BEGIN CERTIFICATE"), certs);
    OpenSsl.Result wrong =
        OpenSsl.exec(dir, "pkcs12", "-info", "-noout", "-in", "alice.p12", "-passin", "pass:wrong");
    assertTrue(wrong.exit() != 0, wrong.output());
  }

  @Test
  void jdkKeyStoreReadsKeyAndChain() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(new ByteArrayInputStream(p12), PASSWORD);
    List<String> aliases = Collections.list(ks.aliases());
    assertEquals(List.of("alice"), aliases);
    assertEquals(keys.getPrivate(), ks.getKey("alice", PASSWORD));
    assertEquals(List.of(cert, ca.cert()), List.of(ks.getCertificateChain("alice")));
    KeyStore again = KeyStore.getInstance("PKCS12");
    assertThrows(
        Exception.class, () -> again.load(new ByteArrayInputStream(p12), "nope".toCharArray()));
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
