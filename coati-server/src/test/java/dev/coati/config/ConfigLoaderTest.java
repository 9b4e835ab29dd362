package dev.coati.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.ike.IkePolicy.PfsPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  Path write(String yaml) throws Exception {
    Path psk = dir.resolve("psk.txt");
    if (!Files.exists(psk)) {
      Files.writeString(psk, "s3cret\n");
      Files.setPosixFilePermissions(psk, PosixFilePermissions.fromString("rw-------"));
    }
    Path f = dir.resolve("coati.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  String error(String yaml) throws Exception {
    Path f = write(yaml);
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(f)).getMessage();
  }

  static final String GOOD =
      """
      gateway:
        listen: [10.97.0.1]
        id: fqdn:vpn.test
      secrets:
        psk:
          - peers: any
            secret_file: psk.txt
      ike:
        proposals: [aes256-sha256-modp2048, aes128-sha1-ecp256]
        lifetime: 8h
        aggressive_ids: [vpngroup]
        dpd: { delay: 30s, timeout: 2m }
        microsoft_nat_d_parrot: true
      esp:
        proposals: aes128gcm16
        lifetime: 1h
        pfs: required
      """;

  @Test
  void goodConfig_loads() throws Exception {
    GatewayConfig c = ConfigLoader.load(write(GOOD));
    assertEquals(2, c.ikeProposals().size());
    assertEquals(28800, c.ikeLifetimeSeconds());
    assertEquals(120, c.dpdTimeoutSeconds());
    assertEquals(PfsPolicy.REQUIRED, c.pfs());
    assertEquals("fqdn:vpn.test", c.gatewayId());
    assertArrayEquals("s3cret".getBytes(StandardCharsets.UTF_8), c.psks().get(0).secret().bytes());
  }

  @Test
  void ikeFragmentation_defaultSizeOffAndLinePreciseErrors() throws Exception {
    assertEquals(552, ConfigLoader.load(write(GOOD)).ikeFragmentSize());
    String ike = "  microsoft_nat_d_parrot: true\n";
    assertEquals(
        1200,
        ConfigLoader.load(write(GOOD.replace(ike, ike + "  fragment_size: 1200\n")))
            .ikeFragmentSize());
    assertEquals(
        0,
        ConfigLoader.load(write(GOOD.replace(ike, ike + "  fragmentation: false\n")))
            .ikeFragmentSize());
    String m = error(GOOD.replace(ike, ike + "  fragment_size: 100\n"));
    assertTrue(m.contains(":14: ike.fragment_size: expected the largest IKE datagram"), m);
  }

  @Test
  void errors_nameFileLineAndKey() throws Exception {
    String m = error(GOOD.replace("lifetime: 8h", "lifetime: eight hours"));
    assertTrue(
        m.endsWith(
            "coati.yaml:10: ike.lifetime: expected a duration like 30s, 45m or 8h, not 'eight hours'"),
        m);
    m = error(GOOD.replace("  aggressive_ids", "  agressive_ids"));
    assertTrue(m.contains(":11: ike.agressive_ids: unknown key; known keys here:"), m);
    m = error(GOOD.replace("pfs: required", "pfs: sometimes"));
    assertTrue(m.contains(":17: esp.pfs: expected none, optional or required"), m);
    m = error(GOOD.replace("listen: [10.97.0.1]", "listen: [vpn.local]"));
    assertTrue(m.contains(":2: gateway.listen[0]: expected an IPv4 address"), m);
    m = error("gateway: [oops\n");
    assertTrue(m.contains("not valid YAML"), m);
  }

  @Test
  void secretFile_mustBePrivate() throws Exception {
    Path f = write(GOOD);
    Files.setPosixFilePermissions(
        dir.resolve("psk.txt"), PosixFilePermissions.fromString("rw-r--r--"));
    String m = assertThrows(ConfigException.class, () -> ConfigLoader.load(f)).getMessage();
    assertTrue(m.contains(":7: secrets.psk[0].secret_file: ") && m.contains("chmod 600"), m);
    assertTrue(!m.contains("s3cret"), "the secret itself is never in a message");
  }

  @Test
  void missingPsk_isAnError() throws Exception {
    String m = error("gateway:\n  listen: 10.97.0.1\n");
    assertTrue(m.contains("no pre-shared key"), m);
  }

  @Test
  void usersFile_isRelativeToTheConfig_withLineNumberedErrors() throws Exception {
    GatewayConfig c = ConfigLoader.load(write(GOOD + "users: { file: users.txt }\n"));
    assertEquals(dir.resolve("users.txt").toAbsolutePath(), c.usersFile());
    assertEquals(null, ConfigLoader.load(write(GOOD)).usersFile());
    String m = error(GOOD + "users:\n  file: nodir/users.txt\n");
    assertTrue(m.contains(":19: users.file: the directory ") && m.contains("does not exist"), m);
    m = error(GOOD + "users:\n  path: users.txt\n");
    assertTrue(m.contains(":19: users.path: unknown key; known keys here: file"), m);
    m = error(GOOD + "users: {}\n");
    assertTrue(m.contains(":18: users: the users section needs file:"), m);
  }

  static final String RA =
      GOOD
          + """
          users:
            file: users.txt
          dataplane:
            tun: coati0
            address: 10.99.99.1/24
          remote_access:
            pool: POOL
            dns: [10.99.99.53]
            mode_config: MODE
            split_include: [10.203.0.0/24]
            lifetime_bytes_unknown_guard: x
          """;

  @Test
  void remoteAccess_loadsAndEveryMistakeNamesItsLine() throws Exception {
    String good =
        RA.replace("POOL", "10.99.99.10-10.99.99.50")
            .replace("MODE", "push")
            .replace("  lifetime_bytes_unknown_guard: x\n", "");
    GatewayConfig c = ConfigLoader.load(write(good));
    assertEquals("10.99.99.10-10.99.99.50", c.remoteAccess().pool());
    assertTrue(c.remoteAccess().push());
    assertEquals(3, c.remoteAccess().xauthAttempts());
    String outside = error(good.replace("10.99.99.10-10.99.99.50", "10.98.0.0/24"));
    assertTrue(outside.contains("lies outside dataplane.address 10.99.99.1/24"), outside);
    String mode = error(good.replace("mode_config: push", "mode_config: shove"));
    assertTrue(mode.matches("(?s).*coati.yaml:\\d+.*expected pull .*"), mode);
    String noUsers = error(good.replace("users:\n  file: users.txt\n", ""));
    assertTrue(noUsers.contains("add users: { file: ... }"), noUsers);
    String unknown = error(RA.replace("POOL", "10.99.99.0/24").replace("MODE", "pull"));
    assertTrue(unknown.contains("lifetime_bytes_unknown_guard"), unknown);
    String volume = error(good.replace("esp:\n", "esp:\n  lifetime_bytes: lots\n"));
    assertTrue(volume.contains("expected a volume like 500MB"), volume);
  }

  @Test
  void l2tp_defaultsSettingsAndErrors() throws Exception {
    String ra =
        RA.replace("POOL", "10.99.99.10-10.99.99.50")
            .replace("MODE", "pull")
            .replace("  lifetime_bytes_unknown_guard: x\n", "");
    assertEquals(null, ConfigLoader.load(write(ra)).l2tp());
    GatewayConfig.L2tpConfig d = ConfigLoader.load(write(ra + "l2tp: {}\n")).l2tp();
    assertEquals(java.util.List.of("mschapv2", "chap", "pap"), d.auth());
    assertEquals(60, d.helloSeconds());
    assertEquals(20, d.lcpEchoSeconds());
    assertEquals(3, d.lcpEchoFailures());
    assertEquals("coati", d.hostName());
    assertEquals(null, d.secret());
    assertEquals(false, d.hideAvps());
    Path secret = dir.resolve("l2tp.txt");
    Files.writeString(secret, "tunnel-secret\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    GatewayConfig.L2tpConfig l =
        ConfigLoader.load(
                write(
                    ra
                        + "l2tp:\n  auth: [MS-CHAPv2, pap]\n  hello_interval: 30s\n"
                        + "  lcp_echo_interval: 1m\n  lcp_echo_failures: 5\n"
                        + "  host_name: lns.test\n  secret_file: l2tp.txt\n  hide_avps: yes\n"))
            .l2tp();
    assertEquals(java.util.List.of("mschapv2", "pap"), l.auth());
    assertEquals(30, l.helloSeconds());
    assertEquals(60, l.lcpEchoSeconds());
    assertEquals(5, l.lcpEchoFailures());
    assertEquals("lns.test", l.hostName());
    assertArrayEquals("tunnel-secret".getBytes(StandardCharsets.UTF_8), l.secret().bytes());
    assertTrue(l.hideAvps());
    String hide = error(ra + "l2tp:\n  hide_avps: true\n");
    assertTrue(hide.contains(":29: l2tp.hide_avps: hiding AVPs needs the tunnel secret"), hide);
    String auth = error(ra + "l2tp:\n  auth: [eap]\n");
    assertTrue(auth.contains(":29: l2tp.auth: unknown PPP authentication 'eap'"), auth);
    String none = error(ra + "l2tp:\n  auth: []\n");
    assertTrue(none.contains("name at least one PPP authentication"), none);
    String key = error(ra + "l2tp:\n  hello: 30s\n");
    assertTrue(key.contains(":29: l2tp.hello: unknown key"), key);
    String echoes = error(ra + "l2tp:\n  lcp_echo_failures: 99\n");
    assertTrue(echoes.contains("a whole number from 1 to 20, not '99'"), echoes);
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
    String open = error(ra + "l2tp:\n  secret_file: l2tp.txt\n");
    assertTrue(open.contains("is readable by others; run: chmod 600"), open);
    String noRa = error(GOOD + "l2tp: {}\n");
    assertTrue(noRa.contains("L2TP needs a remote_access: section"), noRa);
  }

  @Test
  void metrics_offByDefault_loopbackByDefaultWhenOn_badAddressNamed() throws Exception {
    assertEquals(null, ConfigLoader.load(write(GOOD)).metricsListen());
    assertEquals(
        "127.0.0.1:9465", ConfigLoader.load(write(GOOD + "metrics: {}\n")).metricsListen());
    assertEquals(
        "10.0.0.1:9100",
        ConfigLoader.load(write(GOOD + "metrics:\n  listen: 10.0.0.1:9100\n")).metricsListen());
    String bad = error(GOOD + "metrics:\n  listen: localhost\n");
    assertTrue(bad.contains(":19: metrics.listen: expected ADDRESS:PORT"), bad);
    String port = error(GOOD + "metrics:\n  listen: 127.0.0.1:99999\n");
    assertTrue(port.contains("expected ADDRESS:PORT"), port);
  }

  /** Issue #13: peers pin an identity (id:), remote: any needs id: and its own key. */
  @Test
  void peers_pinnedIdentity_remoteAny_andEveryMistakeNamesItsLine() throws Exception {
    Path own = dir.resolve("branch.psk");
    Files.writeString(own, "branch-key\n");
    Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rw-------"));
    String peers =
        """
        peers:
          - name: branch
            remote: 192.0.2.7
            id: fqdn:branch.test
            local_subnets: [10.1.0.0/24]
            remote_subnets: [10.2.0.0/24]
          - name: roam
            remote: any
            id: keyid:roam
            mode: aggressive
            local_subnets: [10.1.0.0/24]
            remote_subnets: [10.3.0.0/24]
            secret_file: branch.psk
        """;
    GatewayConfig c = ConfigLoader.load(write(GOOD + peers));
    assertEquals("fqdn:branch.test", c.peers().get(0).id());
    assertTrue(!c.peers().get(0).dynamic() && c.peers().get(1).dynamic());
    String m = error(GOOD + peers.replace("    id: keyid:roam\n", ""));
    assertTrue(m.contains(":24: peers[1]: peer roam has remote: any, so it needs id:"), m);
    m = error(GOOD + peers.replace("    secret_file: branch.psk\n", ""));
    assertTrue(m.contains("peers[1]: peer roam has remote: any") && m.contains("secret_file"), m);
    m = error(GOOD + peers.replace("mode: aggressive", "start: true"));
    assertTrue(m.contains("peers[1]: peer roam has remote: any: coati cannot start it"), m);
    m = error(GOOD + peers.replace("mode: aggressive", "mode: main"));
    assertTrue(
        m.contains(":24: peers[1]: a remote: any peer in main mode")
            && m.contains("use mode: aggressive"),
        m);
    m = error(GOOD + peers.replace("id: fqdn:branch.test", "id: dns:branch"));
    assertTrue(m.contains(":21: peers[0].id: expected an identity such as fqdn:"), m);
    m = error(GOOD + peers.replace("remote: 192.0.2.7", "remote: branch.example"));
    assertTrue(m.contains(":20: peers[0].remote: expected an IPv4 address"), m);
  }

  @Test
  void gatewayUser_isOptional_andABadNameSaysWhatToDo() throws Exception {
    assertEquals(null, ConfigLoader.load(write(GOOD)).runAs());
    String withUser = GOOD.replace("  id: fqdn:vpn.test\n", "  id: fqdn:vpn.test\n  user: coati\n");
    assertEquals("coati", ConfigLoader.load(write(withUser)).runAs());
    String m = error(withUser.replace("user: coati", "user: \"Coati Daemon\""));
    assertTrue(m.contains("coati.yaml:4"), m);
    assertTrue(m.contains("useradd --system"), m);
  }

  @Test
  void espFragmentSize_gatewayAndPeer_withFileLineErrors() throws Exception {
    String peer =
        "peers:\n  - { name: b, remote: 192.0.2.7, local_subnets: [10.1.0.0/24],"
            + " remote_subnets: [10.2.0.0/24], fragment_size: 1200 }\n";
    GatewayConfig c =
        ConfigLoader.load(
            write(GOOD.replace("pfs: required", "pfs: required\n  fragment_size: 552") + peer));
    assertEquals(552, c.espFragmentSize());
    assertEquals(1200, c.peers().get(0).fragmentSize(c.espFragmentSize()));
    assertEquals(0, ConfigLoader.load(write(GOOD)).espFragmentSize(), "default: none");
    String m = error(GOOD.replace("pfs: required", "pfs: required\n  fragment_size: 40"));
    assertTrue(
        m.contains("coati.yaml:18: esp.fragment_size: expected the largest inner IP packet"), m);
    m = error(GOOD + peer.replace("1200", "big"));
    assertTrue(m.contains("coati.yaml:19: peers[0].fragment_size: expected"), m);
  }

  /** Found by ConfigLoaderFuzzTest: "/" has no parent directory (a NullPointerException before). */
  @Test
  void theRootDirectoryAsAFile_isAFileLineError() throws Exception {
    String m = error(GOOD + "users:\n  file: /\n");
    assertTrue(m.contains("coati.yaml:19: users.file: / is a directory"), m);
    m = error(GOOD + "events:\n  json_log: /\n");
    assertTrue(m.contains("coati.yaml:19: events.json_log: / is a directory"), m);
  }

  /** Found by ConfigLoaderFuzzTest: an empty listen list (an IndexOutOfBoundsException before). */
  @Test
  void anEmptyListenList_isAFileLineError() throws Exception {
    String m = error(GOOD.replace("listen: [10.97.0.1]", "listen: []"));
    assertTrue(m.contains("coati.yaml:2: gateway.listen: expected at least one address"), m);
  }
}
