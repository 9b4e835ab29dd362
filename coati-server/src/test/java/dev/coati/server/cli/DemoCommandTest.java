package dev.coati.server.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.auth.AuthRequest;
import dev.coati.auth.LocalAuthenticator;
import dev.coati.auth.LocalUsers;
import dev.coati.auth.UserEntry;
import dev.coati.config.ConfigLoader;
import dev.coati.config.GatewayConfig;
import dev.coati.crypto.NtHash;
import dev.coati.crypto.pki.CertificateIdentity;
import dev.coati.crypto.pki.PemFiles;
import dev.coati.util.RandomSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code coati demo}: the written gateway loads, its secrets are 0600 and match the output. */
class DemoCommandTest {
  @TempDir Path tmp;
  ByteArrayOutputStream out = new ByteArrayOutputStream();
  ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String... args) {
    out.reset();
    err.reset();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    return new DemoCommand(RandomSource.secure(), 1000, Instant::now, o, e).execute(List.of(args));
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** The value printed after {@code label} in the secrets block. */
  String printed(String label) {
    Matcher m = Pattern.compile("(?m)^  " + label + " +(\\S+)$").matcher(out());
    assertTrue(m.find(), "no '" + label + "' line in: " + out());
    return m.group(1);
  }

  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  static boolean verifies(Path users, String password) throws Exception {
    LocalUsers u = LocalUsers.parse(users.toString(), Files.readString(users));
    AuthRequest r = new AuthRequest.Plain("demo", password.getBytes(StandardCharsets.UTF_8));
    return new LocalAuthenticator(u).authenticate(r).toCompletableFuture().join().success();
  }

  @Test
  void writesAGatewayThatLoads_withSecretsInOwnerOnlyFiles() throws Exception {
    Path dir = tmp.resolve("demo");
    assertEquals(0, run("--dir", dir.toString()), err());
    assertEquals("", err());

    GatewayConfig c = ConfigLoader.load(dir.resolve("coati.yaml"));
    assertEquals(List.of("127.0.0.1"), c.listen());
    assertEquals("fqdn:vpn.example.com", c.gatewayId());
    assertEquals(List.of("vpngroup"), c.aggressiveIds());
    assertEquals("10.99.99.10-10.99.99.200", c.remoteAccess().pool());
    assertEquals(List.of("psk-xauth", "hybrid-rsa"), c.remoteAccess().auth());
    assertTrue(c.pki().certificate() != null && c.pki().privateKey() != null, "hybrid RSA ready");
    assertFalse(c.remoteAccess().dns().isEmpty());
    assertEquals("coati.test", c.remoteAccess().domain());
    assertEquals(List.of("mschapv2", "pap"), c.l2tp().auth(), "L2TP/IPsec on, no CHAP-MD5");
    for (String client :
        List.of("L2TP/IPsec with", "L2TP over IPSec", "L2TP/IPSec PSK", "NetworkManager-l2tp")) {
      assertTrue(out().contains(client), "L2TP settings for " + client + ": " + out());
    }
    assertEquals(new GatewayConfig.Tun("coati0", "10.99.99.1", 24, 1400), c.tun());
    assertEquals(dir.resolve("users.txt").toAbsolutePath().normalize(), c.usersFile());

    for (String secret : List.of("psk.txt", "users.txt", "pki/ca.key", "pki/vpn.example.com.key")) {
      assertEquals("rw-------", mode(dir.resolve(secret)), secret);
    }
    for (String open : List.of("coati.yaml", "pki/ca.pem", "pki/vpn.example.com.pem")) {
      assertEquals("rw-r--r--", mode(dir.resolve(open)), open);
    }

    String psk = printed("shared secret");
    assertEquals(psk, Files.readString(dir.resolve("psk.txt")).strip());
    assertArrayEquals(psk.getBytes(StandardCharsets.UTF_8), c.psks().get(0).secret().bytes());
    assertEquals(List.of("any"), c.psks().get(0).peers());
    assertEquals("vpngroup", printed("group name"));
    assertEquals("demo", printed("user"));
    String password = printed("password");
    assertTrue(password.length() >= 15, password);
    assertTrue(verifies(dir.resolve("users.txt"), password), "the printed password logs in");
    assertFalse(verifies(dir.resolve("users.txt"), password + "x"), "a wrong one does not");
    UserEntry demo =
        LocalUsers.parse("users.txt", Files.readString(dir.resolve("users.txt")))
            .find("demo")
            .orElseThrow();
    assertArrayEquals(NtHash.of(password.getBytes(StandardCharsets.UTF_8)), demo.ntHash());
    assertEquals(null, demo.plainPassword(), "no plain text stored");

    for (String f : List.of("coati.yaml", "users.txt", "pki/ca.pem", "pki/vpn.example.com.pem")) {
      String text = Files.readString(dir.resolve(f));
      assertFalse(text.contains(psk) || text.contains(password), f + " holds a secret");
    }
  }

  @Test
  void printsClientSettingsAndHowToStart() throws Exception {
    Path dir = tmp.resolve("demo");
    assertEquals(0, run("--dir", dir.toString()), err());
    String o = out();
    String psk = printed("shared secret");
    String password = printed("password");
    assertTrue(o.contains("./coati run --config " + dir + "/coati.yaml"), o);
    assertTrue(o.contains("Cisco IPSec") && o.contains("Group Name      vpngroup"), o);
    assertTrue(o.contains("\"IPSec Xauth PSK\"") && o.contains("IPSec identifier      vpngroup"));
    assertTrue(o.contains("IPSec pre-shared key  " + psk), o);
    assertTrue(o.contains("remote_addrs = 127.0.0.1") && o.contains("id = keyid:vpngroup"), o);
    assertTrue(o.contains("id = fqdn:vpn.example.com"), o);
    assertTrue(o.contains("ike-coati-demo { secret = \"" + psk + "\" }"), o);
    assertTrue(o.contains("secret = \"" + password + "\" }"), o);
    assertTrue(o.contains("IPSec secret " + psk) && o.contains("Xauth password " + password), o);
    assertTrue(o.contains("Hybrid RSA (Android \"IPSec Hybrid RSA\""), o);
    assertTrue(o.contains("reachable from this machine only"), o);
  }

  @Test
  void secondRunWithoutForce_failsAndChangesNothing_forceMakesNewSecrets() throws Exception {
    Path dir = tmp.resolve("demo");
    assertEquals(0, run("--dir", dir.toString()), err());
    String psk = printed("shared secret");
    String password = printed("password");
    Files.writeString(
        dir.resolve("users.txt"),
        "alice::8846f7eaee8fb117ad06bdd830b7586c\n",
        java.nio.file.StandardOpenOption.APPEND);

    assertEquals(1, run("--dir", dir.toString()));
    assertTrue(err().contains("coati.yaml exists") && err().contains("use --force"), err());
    assertEquals("", out());
    assertEquals(psk, Files.readString(dir.resolve("psk.txt")).strip());
    assertTrue(verifies(dir.resolve("users.txt"), password));

    assertEquals(0, run("--dir", dir.toString(), "--force"), err());
    String newPsk = printed("shared secret");
    String newPassword = printed("password");
    assertNotEquals(psk, newPsk);
    assertEquals(newPsk, Files.readString(dir.resolve("psk.txt")).strip());
    assertTrue(verifies(dir.resolve("users.txt"), newPassword));
    assertFalse(verifies(dir.resolve("users.txt"), password), "the old password is gone");
    LocalUsers users = LocalUsers.parse("users.txt", Files.readString(dir.resolve("users.txt")));
    assertEquals(2, users.users().size(), "demo replaced, alice kept: " + users.users());
    assertEquals("rw-------", mode(dir.resolve("psk.txt")));
    assertEquals("rw-------", mode(dir.resolve("users.txt")));
    ConfigLoader.load(dir.resolve("coati.yaml"));
  }

  @Test
  void anyExistingFileIsRefused() throws Exception {
    Path dir = tmp.resolve("d");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("users.txt"), "# mine\n");
    assertEquals(1, run("--dir", dir.toString()));
    assertTrue(err().contains("users.txt exists"), err());
    assertFalse(Files.exists(dir.resolve("psk.txt")), "nothing written");
    assertFalse(Files.exists(dir.resolve("coati.yaml")));
  }

  @Test
  void listenAddressAndNameGoIntoConfigAndCertificate() throws Exception {
    Path dir = tmp.resolve("lan");
    assertEquals(
        0, run("--dir", dir.toString(), "--address", "192.0.2.10", "--name", "vpn.corp.test"));
    GatewayConfig c = ConfigLoader.load(dir.resolve("coati.yaml"));
    assertEquals(List.of("192.0.2.10"), c.listen());
    assertEquals("fqdn:vpn.corp.test", c.gatewayId());
    X509Certificate ca = PemFiles.certificate(dir.resolve("pki/ca.pem"));
    X509Certificate cert = PemFiles.certificate(dir.resolve("pki/vpn.corp.test.pem"));
    cert.verify(ca.getPublicKey());
    String sans = CertificateIdentity.describeSubjectAltNames(cert).toString();
    assertTrue(sans.contains("vpn.corp.test") && sans.contains("192.0.2.10"), sans);
    assertTrue(out().contains("Server          192.0.2.10"), out());
    assertFalse(out().contains("reachable from this machine only"), out());
  }

  @Test
  void usageErrors() {
    assertEquals(2, run("--dir", tmp.toString(), "--address", "not-an-ip"));
    assertTrue(err().contains("--address") && err().contains("usage: coati demo"), err());
    assertEquals(2, run("--bogus"));
    assertTrue(err().contains("unknown option '--bogus'"), err());
    assertEquals(2, run("--dir", tmp.toString(), "--name", "bad name"));
    assertTrue(err().contains("--name"), err());
    assertEquals(2, run("--dir"));
    assertTrue(err().contains("--dir needs a value"), err());
  }
}
