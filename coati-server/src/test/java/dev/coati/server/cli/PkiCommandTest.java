package dev.coati.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.crypto.pki.OpenSsl;
import dev.coati.crypto.pki.PemFiles;
import dev.coati.util.RandomSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code coati pki}: what it writes, checked with OpenSSL. */
class PkiCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final PkiCommand command =
      new PkiCommand(
          RandomSource.deterministic(11),
          Instant::now,
          new PrintStream(outBytes, true, StandardCharsets.UTF_8));

  @Test
  void serverCertificateVerifiesAndShowsWhatAppleNeeds() throws Exception {
    assertEquals(0, pki("ca", "--out", "ca", "--cn", "Test VPN CA"), this::err);
    assertEquals(
        0,
        pki("server", "--ca", "ca", "--name", "vpn.example.com", "--ip", "192.0.2.1"),
        this::err);
    Path ca = dir.resolve("ca");
    assertEquals("rw-------", mode(ca.resolve("ca.key")));
    assertEquals("rw-------", mode(ca.resolve("vpn.example.com.key")));
    assertEquals("rw-r--r--", mode(ca.resolve("ca.pem")));

    String verify = OpenSsl.run(ca, "verify", "-CAfile", "ca.pem", "vpn.example.com.pem");
    assertTrue(verify.contains("vpn.example.com.pem: OK"), verify);
    String ext =
        OpenSsl.run(
            ca,
            "x509",
            "-noout",
            "-in",
            "vpn.example.com.pem",
            "-ext",
            "subjectAltName,extendedKeyUsage,keyUsage");
    assertTrue(ext.contains("DNS:vpn.example.com, IP Address:192.0.2.1"), ext);
    assertTrue(ext.contains("TLS Web Server Authentication"), ext);
    assertTrue(ext.contains("IP security end entity") || ext.contains("1.3.6.1.5.5.8.2.2"), ext);
    assertTrue(ext.contains("X509v3 Key Usage: critical"), ext);
    assertTrue(ext.contains("Digital Signature"), ext);

    // the key file is the certificate's key, in a form openssl (and strongSwan) read
    String certKey = OpenSsl.run(ca, "x509", "-noout", "-pubkey", "-in", "vpn.example.com.pem");
    String fileKey = OpenSsl.run(ca, "pkey", "-pubout", "-in", "vpn.example.com.key");
    assertEquals(certKey, fileKey);

    X509Certificate cert = PemFiles.certificate(ca.resolve("vpn.example.com.pem"));
    Duration validity =
        Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
    assertTrue(validity.compareTo(Duration.ofDays(825)) <= 0, validity::toString);
    assertEquals("SHA256withRSA", cert.getSigAlgName());
  }

  @Test
  void ecCaSignsServerInAnotherDirectory() {
    assertEquals(0, pki("ca", "--out", "ca", "--ec"), this::err);
    assertEquals(
        0,
        pki("server", "--ca", "ca", "--name", "203.0.113.5", "--out", "srv", "--days", "30"),
        this::err);
    Path srv = dir.resolve("srv");
    String verify = OpenSsl.run(dir, "verify", "-CAfile", "ca/ca.pem", "srv/203.0.113.5.pem");
    assertTrue(verify.contains("OK"), verify);
    String ext =
        OpenSsl.run(srv, "x509", "-noout", "-in", "203.0.113.5.pem", "-ext", "subjectAltName");
    assertTrue(ext.contains("IP Address:203.0.113.5"), ext);
    assertFalse(ext.contains("DNS:"), ext);
  }

  @Test
  void clientPkcs12IsLegacyEncodedAndPasswordShownOnce() throws Exception {
    assertEquals(0, pki("ca", "--out", "ca"), this::err);
    assertEquals(
        0,
        pki(
            "client",
            "--ca",
            "ca",
            "--name",
            "alice",
            "--email",
            "alice@example.com",
            "--p12",
            "alice.p12"),
        this::err);
    Matcher m = Pattern.compile("password \\(shown only now\\): (\\S+)").matcher(out());
    assertTrue(m.find(), out());
    String password = m.group(1);
    assertEquals(1, out().split(Pattern.quote(password), -1).length - 1, "printed exactly once");
    assertEquals("rw-------", mode(dir.resolve("alice.p12")));

    String info =
        OpenSsl.run(
            dir, "pkcs12", "-info", "-noout", "-in", "alice.p12", "-passin", "pass:" + password);
    assertTrue(info.contains("MAC: sha1, Iteration 2048"), info);
    assertTrue(
        info.contains("PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048"),
        info);
    assertTrue(
        info.contains("Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048"), info);

    OpenSsl.run(
        dir,
        "pkcs12",
        "-in",
        "alice.p12",
        "-passin",
        "pass:" + password,
        "-clcerts",
        "-nokeys",
        "-out",
        "alice-from-p12.pem");
    String verify = OpenSsl.run(dir, "verify", "-CAfile", "ca/ca.pem", "alice-from-p12.pem");
    assertTrue(verify.contains("OK"), verify);
    String ext =
        OpenSsl.run(
            dir,
            "x509",
            "-noout",
            "-in",
            "ca/alice.pem",
            "-ext",
            "subjectAltName,extendedKeyUsage");
    assertTrue(ext.contains("email:alice@example.com"), ext);
    assertTrue(ext.contains("TLS Web Client Authentication"), ext);
  }

  @Test
  void passwordFileIsWrittenThenReused() throws Exception {
    assertEquals(0, pki("ca", "--out", "ca", "--ec"), this::err);
    assertEquals(
        0,
        pki(
            "client",
            "--ca",
            "ca",
            "--name",
            "bob",
            "--p12",
            "bob.p12",
            "--password-file",
            "bob.pass",
            "--ec"),
        this::err);
    Path passFile = dir.resolve("bob.pass");
    assertEquals("rw-------", mode(passFile));
    String password = Files.readString(passFile).strip();
    assertTrue(password.length() >= 20, "generated password long enough");
    assertFalse(out().contains(password), "a password written to a file is not printed");
    OpenSsl.run(dir, "pkcs12", "-info", "-noout", "-in", "bob.p12", "-passin", "file:bob.pass");

    Files.writeString(dir.resolve("carol.pass"), "given secret 42\n");
    assertEquals(
        0,
        pki(
            "client",
            "--ca",
            "ca",
            "--name",
            "carol",
            "--p12",
            "carol.p12",
            "--password-file",
            "carol.pass"),
        this::err);
    assertFalse(out().contains("given secret 42"));
    OpenSsl.run(
        dir, "pkcs12", "-info", "-noout", "-in", "carol.p12", "-passin", "pass:given secret 42");
  }

  @Test
  void refusesToOverwriteWithoutForce() throws Exception {
    assertEquals(0, pki("ca", "--out", "ca"), this::err);
    byte[] key = Files.readAllBytes(dir.resolve("ca/ca.key"));
    assertEquals(1, pki("ca", "--out", "ca"));
    assertTrue(err().contains("ca.pem exists; use --force"), err());
    assertTrue(java.util.Arrays.equals(key, Files.readAllBytes(dir.resolve("ca/ca.key"))));
    assertEquals(0, pki("ca", "--out", "ca", "--force"), this::err);
    assertFalse(java.util.Arrays.equals(key, Files.readAllBytes(dir.resolve("ca/ca.key"))));
    assertEquals("rw-------", mode(dir.resolve("ca/ca.key")));
  }

  @Test
  void reportsUsageAndRuleErrors() throws Exception {
    assertEquals(2, pki());
    assertEquals(2, pki("server", "--ca", "ca"));
    assertTrue(err().contains("--name is required"), err());
    assertEquals(2, pki("ca", "--out", "ca", "--bogus"));
    assertTrue(err().contains("unknown option '--bogus'"), err());
    assertEquals(0, pki("ca", "--out", "ca"), this::err);
    assertEquals(1, pki("server", "--ca", "ca", "--name", "vpn.example.com", "--days", "900"));
    assertTrue(err().contains("825"), err());
    assertFalse(Files.exists(dir.resolve("ca/vpn.example.com.key")), "nothing written on refusal");
    assertEquals(1, pki("server", "--ca", "nope", "--name", "vpn.example.com"));
    assertTrue(err().contains("nope/ca.pem"), err());
    // a key that is not the CA's
    Files.copy(dir.resolve("ca/ca.key"), dir.resolve("saved.key"));
    assertEquals(0, pki("ca", "--out", "ca", "--force"), this::err);
    Files.copy(
        dir.resolve("saved.key"),
        dir.resolve("ca/ca.key"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertEquals(1, pki("server", "--ca", "ca", "--name", "vpn.example.com"));
    assertTrue(err().contains("not the private key of"), err());
  }

  private int pki(String... args) {
    errBytes.reset();
    List<String> resolved = new java.util.ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      boolean path = i > 0 && PATH_OPTIONS.contains(args[i - 1]);
      resolved.add(path ? dir.resolve(args[i]).toString() : args[i]);
    }
    return command.execute(resolved, new PrintStream(errBytes, true, StandardCharsets.UTF_8));
  }

  /** Options whose value is a path, resolved against the temporary directory. */
  private static final java.util.Set<String> PATH_OPTIONS =
      java.util.Set.of("--out", "--ca", "--p12", "--password-file");

  private String out() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  private static String mode(Path p) throws java.io.IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
