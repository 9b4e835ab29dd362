package dev.coati.crypto.pki;

import static dev.coati.crypto.pki.TestPki.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.crypto.pki.CertificateSpec.KeyUsage;
import dev.coati.crypto.pki.TestPki.Ca;
import dev.coati.crypto.pki.Verdict.Refusal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateVerifierTest {
  private final TestPki pki = new TestPki();
  private final Ca root = pki.root("Test Root");
  private final Ca sub = pki.intermediate("Test Sub", root);
  private final KeyPair aliceKeys = KeyType.EC_P256.generate(pki.random);
  private final X509Certificate alice = pki.leaf(TestPki.leafSpec("alice"), aliceKeys, sub);
  private final CertificateVerifier verifier =
      new CertificateVerifier(List.of(root.cert()), List.of());

  @Test
  void acceptsPathThroughPeerSuppliedIntermediate() {
    Verdict v = verifier.verify(alice, List.of(root.cert(), sub.cert()), NOW);
    assertTrue(v.accepted(), v::toString);
    assertEquals(List.of(alice, sub.cert(), root.cert()), v.path());
  }

  @Test
  void refusesWithoutTheIntermediate() {
    assertRefused(Refusal.UNTRUSTED, verifier.verify(alice, List.of(), NOW));
  }

  @Test
  void refusesCertificateOfAnotherCa() {
    Ca other = pki.root("Other Root");
    X509Certificate mallory = pki.leaf(TestPki.leafSpec("mallory"), aliceKeys, other);
    assertRefused(Refusal.UNTRUSTED, verifier.verify(mallory, List.of(), NOW));
  }

  @Test
  void refusesCaWithTrustedNameButOtherKey() {
    Ca impostor = pki.root("Test Root");
    X509Certificate forged = pki.leaf(TestPki.leafSpec("alice"), aliceKeys, impostor);
    assertRefused(Refusal.BAD_SIGNATURE, verifier.verify(forged, List.of(), NOW));
  }

  @Test
  void refusesExpiredAndNotYetValid() {
    assertRefused(
        Refusal.EXPIRED,
        verifier.verify(alice, List.of(sub.cert()), NOW.plus(Duration.ofDays(40))));
    assertRefused(
        Refusal.NOT_YET_VALID,
        verifier.verify(alice, List.of(sub.cert()), NOW.minus(Duration.ofDays(2))));
  }

  @Test
  void refusesExpiredIntermediate() {
    // the leaf outlives its CA's certificate: the path is dead when the CA's is
    X509Certificate longLived =
        pki.leaf(
            TestPki.leafSpec("bob", NOW, 5000, EnumSet.of(KeyUsage.DIGITAL_SIGNATURE)),
            aliceKeys,
            sub);
    Verdict v = verifier.verify(longLived, List.of(sub.cert()), NOW.plus(Duration.ofDays(1200)));
    assertRefused(Refusal.EXPIRED, v);
    assertTrue(v.detail().contains("Test Sub"), v.detail());
  }

  @Test
  void refusesKeyUsageWithoutDigitalSignature() {
    X509Certificate encipherOnly =
        pki.leaf(
            TestPki.leafSpec(
                "carol", NOW.minus(Duration.ofDays(1)), 30, EnumSet.of(KeyUsage.KEY_ENCIPHERMENT)),
            aliceKeys,
            sub);
    assertRefused(Refusal.KEY_USAGE, verifier.verify(encipherOnly, List.of(sub.cert()), NOW));
  }

  @Test
  void acceptsLeafWithoutKeyUsageExtension() {
    X509Certificate noKu =
        pki.leaf(
            TestPki.leafSpec(
                "dave", NOW.minus(Duration.ofDays(1)), 30, EnumSet.noneOf(KeyUsage.class)),
            aliceKeys,
            sub);
    assertTrue(verifier.verify(noKu, List.of(sub.cert()), NOW).accepted());
  }

  @Test
  void refusesCertificateIssuedByNonCa() {
    // alice's (non-CA) certificate used to sign another
    X509Certificate child =
        pki.issuer.issue(
            TestPki.leafSpec("eve"), aliceKeys.getPublic(), alice, aliceKeys.getPrivate());
    assertRefused(Refusal.NOT_A_CA, verifier.verify(child, List.of(alice, sub.cert()), NOW));
  }

  @Test
  void refusesPathLongerThanPathLenConstraint() throws Exception {
    // a root that allows no intermediate CA below it
    KeyPair keys = KeyType.EC_P256.generate(pki.random);
    X500Name name = new X500Name("CN=Strict Root");
    var b =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.TEN,
            Date.from(NOW.minus(Duration.ofDays(1))),
            Date.from(NOW.plus(Duration.ofDays(10))),
            name,
            keys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    X509Certificate strictRoot =
        new JcaX509CertificateConverter()
            .getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    Ca strict = new Ca(keys, strictRoot);
    Ca mid = pki.intermediate("Mid", strict);
    X509Certificate direct = pki.leaf(TestPki.leafSpec("direct"), aliceKeys, strict);
    X509Certificate deep = pki.leaf(TestPki.leafSpec("deep"), aliceKeys, mid);
    CertificateVerifier v = new CertificateVerifier(List.of(strictRoot), List.of());
    assertTrue(v.verify(direct, List.of(), NOW).accepted());
    assertRefused(Refusal.PATH_TOO_LONG, v.verify(deep, List.of(mid.cert()), NOW));
  }

  @Test
  void refusesPathLongerThanOurLimit() {
    Ca ca = root;
    List<X509Certificate> chain = new java.util.ArrayList<>();
    for (int i = 0; i < CertificateVerifier.MAX_INTERMEDIATES; i++) {
      ca = pki.intermediate("Level " + i, ca);
      chain.add(ca.cert());
    }
    X509Certificate atLimit = pki.leaf(TestPki.leafSpec("at limit"), aliceKeys, ca);
    assertTrue(verifier.verify(atLimit, chain, NOW).accepted());
    ca = pki.intermediate("One too many", ca);
    chain.add(ca.cert());
    X509Certificate beyond = pki.leaf(TestPki.leafSpec("beyond"), aliceKeys, ca);
    assertRefused(Refusal.PATH_TOO_LONG, verifier.verify(beyond, chain, NOW));
  }

  @Test
  void refusesRevokedCertificateFromBcCrl() throws Exception {
    X509CRL crl = crl(sub, alice.getSerialNumber());
    CertificateVerifier withCrl = new CertificateVerifier(List.of(root.cert()), List.of(crl));
    Verdict v = withCrl.verify(alice, List.of(sub.cert()), NOW);
    assertRefused(Refusal.REVOKED, v);
    assertTrue(v.detail().contains(alice.getSerialNumber().toString(16)), v.detail());
    X509Certificate frank = pki.leaf(TestPki.leafSpec("frank"), aliceKeys, sub);
    assertTrue(withCrl.verify(frank, List.of(sub.cert()), NOW).accepted());
  }

  @Test
  void ignoresCrlNotSignedByTheIssuer() throws Exception {
    Ca impostor = pki.root("Test Sub"); // same name as the real issuer, other key
    X509CRL forged = crl(impostor, alice.getSerialNumber());
    CertificateVerifier withCrl = new CertificateVerifier(List.of(root.cert()), List.of(forged));
    assertTrue(withCrl.verify(alice, List.of(sub.cert()), NOW).accepted());
  }

  @Test
  void refusesRevokedCertificateFromOpensslCrl(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("ca.pem"), PemFiles.encode(sub.cert()));
    Files.writeString(dir.resolve("ca.key"), PemFiles.encode(sub.keys().getPrivate()));
    Files.writeString(dir.resolve("alice.pem"), PemFiles.encode(alice));
    Files.writeString(dir.resolve("index.txt"), "");
    Files.writeString(dir.resolve("crlnumber"), "01\n");
    Files.writeString(
        dir.resolve("ca.cnf"),
        """
        [ ca ]
        default_ca = test
        [ test ]
        database = index.txt
        crlnumber = crlnumber
        default_md = sha256
        default_crl_days = 30
        """);
    String[] common = {"-config", "ca.cnf", "-keyfile", "ca.key", "-cert", "ca.pem"};
    OpenSsl.run(dir, concat(new String[] {"ca"}, common, "-revoke", "alice.pem"));
    OpenSsl.run(dir, concat(new String[] {"ca"}, common, "-gencrl", "-out", "crl.pem"));

    CertificateVerifier withCrl =
        CertificateVerifier.load(writeBundle(dir), java.util.Optional.of(dir.resolve("crl.pem")));
    assertRefused(Refusal.REVOKED, withCrl.verify(alice, List.of(sub.cert()), NOW));
  }

  private Path writeBundle(Path dir) throws Exception {
    Path bundle = dir.resolve("bundle.pem");
    Files.writeString(bundle, PemFiles.encode(root.cert()));
    return bundle;
  }

  private static String[] concat(String[] a, String[] b, String... c) {
    List<String> all = new java.util.ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    all.addAll(List.of(c));
    return all.toArray(String[]::new);
  }

  private static X509CRL crl(Ca ca, BigInteger revoked) throws Exception {
    X509v2CRLBuilder b =
        new X509v2CRLBuilder(
            X500Name.getInstance(ca.cert().getSubjectX500Principal().getEncoded()), Date.from(NOW));
    b.setNextUpdate(Date.from(NOW.plus(Duration.ofDays(7))));
    b.addCRLEntry(revoked, Date.from(NOW.minus(Duration.ofHours(1))), CRLReason.keyCompromise);
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(ca.keys().getPrivate());
    return new JcaX509CRLConverter().getCRL(b.build(signer));
  }

  private static void assertRefused(Refusal expected, Verdict v) {
    assertEquals(expected, v.refusal(), v::toString);
    assertTrue(v.path().isEmpty());
  }
}
