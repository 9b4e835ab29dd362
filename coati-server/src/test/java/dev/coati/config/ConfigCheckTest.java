package dev.coati.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.server.cli.CheckCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code coati check} catches before a start (issue #14): duplicate keys, addresses and
 * numbers that do not parse (named by their own key), missing files, a pool outside the TUN prefix;
 * and the warnings about legal but likely wrong settings.
 */
class ConfigCheckTest {
  @TempDir Path dir;

  static final String GOOD =
      """
      gateway:
        listen: [10.97.0.1]
        id: fqdn:vpn.test
      secrets:
        psk:
          - peers: any
            secret_file: psk.txt
      users:
        file: users.txt
      dataplane:
        tun: coati0
        address: 10.99.99.1/24
      remote_access:
        pool: 10.99.99.10-10.99.99.50
        dns: [10.99.99.53]
        banner: motd.txt
        xauth_attempts: 3
      """;

  @BeforeEach
  void files() throws Exception {
    secret("psk.txt", "k7-long-random-group-key-4x9\n");
    Files.writeString(dir.resolve("users.txt"), "");
    Files.writeString(dir.resolve("motd.txt"), "welcome\n");
  }

  void secret(String name, String value) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, value);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
  }

  Path write(String yaml) throws Exception {
    Path f = dir.resolve("coati.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  String error(String yaml) throws Exception {
    Path f = write(yaml);
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(f)).getMessage();
  }

  ConfigLoader.Inspection inspect(String yaml) throws Exception {
    return ConfigLoader.inspect(write(yaml));
  }

  @Test
  void good_noProblemsNoWarnings() throws Exception {
    ConfigLoader.Inspection i = inspect(GOOD);
    assertEquals(List.of(), i.problems());
    assertEquals(List.of(), i.warnings());
  }

  @Test
  void duplicateKey_anywhere_namesBothLines() throws Exception {
    String twice = error(GOOD + "remote_access:\n  pool: 10.99.99.0/24\n");
    assertTrue(
        twice.contains("coati.yaml:18: remote_access: duplicate key (first at line 13)"), twice);
    String nested = error(GOOD.replace("  dns: [10.99.99.53]\n", "  dns: [1.1.1.1]\n  dns: []\n"));
    assertTrue(nested.contains("coati.yaml:16: dns: duplicate key (first at line 15)"), nested);
    String inList =
        error(
            GOOD.replace(
                "      secret_file: psk.txt\n", "      secret_file: psk.txt\n      peers: x\n"));
    assertTrue(inList.contains(":8: peers: duplicate key (first at line 6)"), inList);
  }

  @Test
  void addressesThatDoNotParse_fileLineKey() throws Exception {
    String listen = error(GOOD.replace("listen: [10.97.0.1]", "listen: [127.0.0.300]"));
    assertTrue(
        listen.contains(
            "coati.yaml:2: gateway.listen[0]: expected an IPv4 address such as 0.0.0.0 or"
                + " 192.0.2.1, not '127.0.0.300'"),
        listen);
    String dns = error(GOOD.replace("dns: [10.99.99.53]", "dns: [10.99.99.53, 10.1.2]"));
    assertTrue(dns.contains(":15: remote_access.dns[1]: expected an IPv4 address"), dns);
    String tun = error(GOOD.replace("10.99.99.1/24", "10.99.299.1/24"));
    assertTrue(tun.contains(":12: dataplane.address: expected a subnet"), tun);
    String split = error(GOOD + "  split_include: [10.0.0.0/33]\n");
    assertTrue(split.contains(":18: remote_access.split_include[0]: expected a subnet"), split);
  }

  @Test
  void numbers_errorNamesTheKeyNotAPort() throws Exception {
    String attempts = error(GOOD.replace("xauth_attempts: 3", "xauth_attempts: three"));
    assertTrue(
        attempts.contains(
            ":17: remote_access.xauth_attempts: expected the Xauth attempts per connection: a"
                + " whole number from 1 to 10, not 'three'"),
        attempts);
    assertTrue(!attempts.contains("port"), attempts);
    String mtu =
        error(GOOD.replace("  address: 10.99.99.1/24\n", "  address: 10.99.99.1/24\n  mtu: big\n"));
    assertTrue(mtu.contains("dataplane.mtu: expected the TUN device's MTU in bytes"), mtu);
  }

  @Test
  void poolOutsideTheTunPrefix() throws Exception {
    String m = error(GOOD.replace("10.99.99.10-10.99.99.50", "10.98.0.10-10.98.0.50"));
    assertTrue(m.contains("the pool 10.98.0.10-10.98.0.50 lies outside dataplane.address"), m);
  }

  @Test
  void missingFiles_usersBannerCertificateSecret() throws Exception {
    Files.delete(dir.resolve("users.txt"));
    ConfigLoader.Inspection i = inspect(GOOD);
    assertEquals(1, i.problems().size(), i.problems().toString());
    assertTrue(
        i.problems().get(0).contains(":9: users: the users file ")
            && i.problems().get(0).contains("does not exist, so every login would fail"),
        i.problems().get(0));
    String banner = error(GOOD.replace("motd.txt", "gone.txt"));
    assertTrue(banner.contains(":16: remote_access.banner: cannot read the banner file"), banner);
    String cert =
        error(
            GOOD.replace("  id: fqdn:vpn.test\n", "  id: fqdn:vpn.test\n  certificate: vpn.pem\n"));
    assertTrue(cert.contains(":4: gateway.certificate: no such file: "), cert);
    String psk = error(GOOD.replace("secret_file: psk.txt", "secret_file: nope.txt"));
    assertTrue(psk.contains(":7: secrets.psk[0].secret_file: cannot read"), psk);
  }

  @Test
  void warnings_shortPsk_aggressiveAnyPsk_plainPasswords() throws Exception {
    secret("psk.txt", "short-psk\n");
    ConfigLoader.Inspection i = inspect(GOOD + "ike:\n  aggressive_ids: [vpngroup]\n");
    assertEquals(2, i.warnings().size(), i.warnings().toString());
    assertTrue(
        i.warnings()
            .get(0)
            .contains(
                ":7: secrets.psk[0].secret_file: warning: the pre-shared key"
                    + " has 9 characters"),
        i.warnings().get(0));
    assertTrue(
        i.warnings()
            .get(1)
            .contains(
                ":6: secrets.psk[0]: warning: this PSK (peers: any) answers"
                    + " aggressive mode for [vpngroup]"),
        i.warnings().get(1));

    Files.writeString(dir.resolve("users.txt"), "# users\nalice:{plain}wonderland\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        CheckCommand.run(
            List.of("--config", dir.resolve("coati.yaml").toString()),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
    assertTrue(
        text.contains("users.txt:2: alice: warning: the password is stored as {plain}"), text);
    assertTrue(text.endsWith("ok, 3 warnings\n"), text);
  }

  @Test
  void check_missingUsersFile_exit1_withFileAndLine() throws Exception {
    Files.delete(dir.resolve("users.txt"));
    write(GOOD);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        CheckCommand.run(
            List.of("--config", dir.resolve("coati.yaml").toString()),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(1, rc);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("does not exist"));
  }
}
