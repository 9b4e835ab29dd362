package dev.coati.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RadiusConfigTest {
  @TempDir Path dir;

  static final String BASE = ConfigLoaderTest.GOOD;

  /** The psk.txt and the config file as ConfigLoaderTest writes them, plus the RADIUS secret. */
  Path write(String yaml) throws Exception {
    Path p = dir.resolve("radius-secret.txt");
    if (!Files.exists(p)) {
      Files.writeString(p, "testing123\n");
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    }
    ConfigLoaderTest base = new ConfigLoaderTest();
    base.dir = dir;
    return base.write(yaml);
  }

  String error(String yaml) throws Exception {
    Path f = write(yaml);
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(f)).getMessage();
  }

  static final String RADIUS =
      """
      radius:
        servers:
          - { address: 127.0.0.1, port: 18120, secret_file: radius-secret.txt }
          - { address: 10.0.0.6, acct_port: 1646, secret_file: radius-secret.txt }
        timeout: 2s
        retries: 1
        nas_identifier: gw1
        accounting: true
      """;

  @Test
  void radiusSection_loadsWithDefaults() throws Exception {
    GatewayConfig c =
        ConfigLoader.load(
            write(BASE + "users: { source: local-then-radius, file: u.txt }\n" + RADIUS));
    assertEquals(GatewayConfig.UserSource.LOCAL_THEN_RADIUS, c.usersSource());
    GatewayConfig.RadiusConfig r = c.radius();
    assertEquals(2, r.servers().size());
    assertEquals(18120, r.servers().get(0).port());
    assertEquals(18121, r.servers().get(0).acctPort());
    assertEquals(1812, r.servers().get(1).port());
    assertEquals(1646, r.servers().get(1).acctPort());
    assertEquals("testing123", new String(r.servers().get(0).secret().bytes()));
    assertEquals(2, r.timeoutSeconds());
    assertEquals(1, r.retries());
    assertEquals("gw1", r.nasIdentifier());
    assertTrue(r.accounting());
    assertEquals(0, r.interimIntervalSeconds());
    assertNull(r.dynamicAuthorization());
    GatewayConfig plain = ConfigLoader.load(write(BASE));
    assertNull(plain.radius());
    assertEquals(GatewayConfig.UserSource.LOCAL, plain.usersSource());
  }

  @Test
  void radiusOnly_needsNoUsersFile() throws Exception {
    GatewayConfig c = ConfigLoader.load(write(BASE + "users: { source: radius }\n" + RADIUS));
    assertEquals(GatewayConfig.UserSource.RADIUS, c.usersSource());
    assertNull(c.usersFile());
  }

  @Test
  void mistakes_nameTheirLine() throws Exception {
    int users = BASE.split("\n").length + 1;
    String m = error(BASE + "users: { source: radius }\n");
    assertTrue(m.contains(":" + users + ": users: users from RADIUS need a radius: section"), m);
    m = error(BASE + "users: { source: ldap }\n" + RADIUS);
    assertTrue(m.contains("users.source: unknown users source 'ldap'"), m);
    m = error(BASE + "users: { source: local }\n");
    assertTrue(m.contains("needs file:"), m);
    m = error(BASE + RADIUS.replace("127.0.0.1", "radius.example"));
    assertTrue(
        m.contains(":" + (users + 2) + ": radius.servers[0].address: expected the server's IPv4"),
        m);
    m = error(BASE + RADIUS.replace("retries: 1", "retries: 99"));
    assertTrue(m.contains("radius.retries: expected 0 to 10"), m);
    m = error(BASE + RADIUS.replace("timeout: 2s", "timeout: 5m"));
    assertTrue(m.contains("radius.timeout: expected a timeout of 1s to 60s"), m);
    m = error(BASE + "radius: { timeout: 2s }\n");
    assertTrue(m.contains("radius needs servers:"), m);
    m = error(BASE + "radius:\n  servers: [{ address: 10.0.0.5 }]\n");
    assertTrue(m.contains("needs address: and secret_file:"), m);
    Files.setPosixFilePermissions(
        dir.resolve("radius-secret.txt"), PosixFilePermissions.fromString("rw-r--r--"));
    m = error(BASE + RADIUS);
    assertTrue(m.contains("secret_file: ") && m.contains("chmod 600"), m);
  }

  static final String DAE =
      """
        interim_interval: 5m
        dynamic_authorization:
          listen: 127.0.0.1:13799
          clients:
            - { address: 127.0.0.1, secret_file: dae-secret.txt }
            - { address: 10.0.0.6, secret_file: radius-secret.txt }
      """;

  Path writeDae(String yaml) throws Exception {
    Path p = dir.resolve("dae-secret.txt");
    if (!Files.exists(p)) {
      Files.writeString(p, "dae-s3cret\n");
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    }
    return write(yaml);
  }

  String daeError(String dae) throws Exception {
    Path f = writeDae(BASE + RADIUS + dae);
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(f)).getMessage();
  }

  @Test
  void dynamicAuthorization_andInterimInterval_load() throws Exception {
    GatewayConfig.RadiusConfig r = ConfigLoader.load(writeDae(BASE + RADIUS + DAE)).radius();
    assertEquals(300, r.interimIntervalSeconds());
    GatewayConfig.DynamicAuthorization d = r.dynamicAuthorization();
    assertEquals("127.0.0.1", d.listenAddress());
    assertEquals(13799, d.port());
    assertEquals(2, d.clients().size());
    assertEquals("127.0.0.1", d.clients().get(0).address());
    assertEquals("dae-s3cret", new String(d.clients().get(0).secret().bytes()));
    assertEquals("10.0.0.6", d.clients().get(1).address());
    assertFalse(d.toString().contains("dae-s3cret"), d.toString());
    GatewayConfig.DynamicAuthorization byDefault =
        ConfigLoader.load(writeDae(BASE + RADIUS + DAE.replace("127.0.0.1:13799", "0.0.0.0")))
            .radius()
            .dynamicAuthorization();
    assertEquals("0.0.0.0", byDefault.listenAddress());
    assertEquals(3799, byDefault.port());
    assertEquals(
        0,
        ConfigLoader.load(writeDae(BASE + RADIUS + "  interim_interval: 0s\n"))
            .radius()
            .interimIntervalSeconds());
  }

  @Test
  void dynamicAuthorizationMistakes_nameTheirLine() throws Exception {
    int dae = (BASE + RADIUS).split("\n").length + 1;
    String m = daeError(DAE.replace("5m", "30s"));
    assertTrue(
        m.contains(
            ":"
                + dae
                + ": radius.interim_interval: expected 0s (no Interim-Update) or an interval of"
                + " at least 60s"),
        m);
    m = daeError(DAE.replace("127.0.0.1:13799", "gw.example:3799"));
    assertTrue(
        m.contains(
            ":"
                + (dae + 2)
                + ": radius.dynamic_authorization.listen: expected an IPv4 address with an"
                + " optional UDP port, such as 10.0.0.1:3799, not 'gw.example:3799'"),
        m);
    m = daeError(DAE.replace("127.0.0.1:13799", "127.0.0.1:70000"));
    assertTrue(m.contains("dynamic_authorization.listen: expected an IPv4 address"), m);
    m = daeError(DAE.replace("127.0.0.1:13799", "\"127.0.0.1:\""));
    assertTrue(m.contains("dynamic_authorization.listen: expected an IPv4 address"), m);
    m = daeError(DAE.replace("    listen: 127.0.0.1:13799\n", ""));
    assertTrue(m.contains(":" + (dae + 2) + ": radius.dynamic_authorization: "), m);
    assertTrue(m.contains("dynamic_authorization needs listen:"), m);
    m = daeError("  dynamic_authorization: { listen: 127.0.0.1 }\n");
    assertTrue(m.contains("dynamic_authorization needs clients: (who may send"), m);
    m = daeError("  dynamic_authorization: { listen: 127.0.0.1, clients: [] }\n");
    assertTrue(m.contains("dynamic_authorization needs clients:"), m);
    m = daeError(DAE.replace("address: 10.0.0.6", "address: radius.example"));
    assertTrue(
        m.contains(
            ":"
                + (dae + 5)
                + ": radius.dynamic_authorization.clients[1].address: expected the client's IPv4"
                + " address, not 'radius.example'"),
        m);
    m = daeError(DAE.replace("address: 10.0.0.6, ", ""));
    assertTrue(
        m.contains(
            "radius.dynamic_authorization.clients[1]: a dynamic authorization client needs"
                + " address: and secret_file: (mode 0600)"),
        m);
    m = daeError(DAE.replace("10.0.0.6", "127.0.0.1"));
    assertTrue(m.contains("client 127.0.0.1 is listed twice; each address has one secret"), m);
    m = daeError(DAE.replace("secret_file: dae-secret.txt", "secret: x"));
    assertTrue(
        m.contains("clients[0].secret: unknown key; known keys here: address, secret_file"), m);
    m = daeError(DAE.replace("clients:", "client:"));
    assertTrue(
        m.contains("dynamic_authorization.client: unknown key; known keys here: clients, listen"),
        m);
    m = daeError(DAE.replace("dae-secret.txt", "missing.txt"));
    assertTrue(m.contains("clients[0].secret_file: cannot read ") && m.contains("missing.txt"), m);
    Files.setPosixFilePermissions(
        dir.resolve("dae-secret.txt"), PosixFilePermissions.fromString("rw-r-----"));
    m = daeError(DAE);
    assertTrue(m.contains("clients[0].secret_file: ") && m.contains("chmod 600"), m);
  }

  static final String REMOTE_ACCESS =
      """
      remote_access:
        pool: 10.99.99.10-10.99.99.50
      dataplane:
        tun: coati0
        address: 10.99.99.1/24
      """;

  /**
   * Users from RADIUS with a local pool: without framed_ip: the check warns (an Accept without
   * Framed-IP-Address would take a local address another gateway of the same RADIUS may hand out
   * too), naming the radius section's line; framed_ip: required or optional silences it.
   */
  @Test
  void framedIp_requiredOrOptional_elseCheckWarns() throws Exception {
    String yaml = BASE + "users: { source: radius }\n" + REMOTE_ACCESS + RADIUS;
    Path f = write(yaml);
    ConfigLoader.Inspection i = ConfigLoader.inspect(f);
    assertFalse(i.config().radius().framedIpRequired());
    assertEquals(1, framedIpWarnings(i).size(), i.warnings().toString());
    int line = Files.readAllLines(f).indexOf("radius:") + 2; // the section's first key
    String w = framedIpWarnings(i).get(0);
    assertTrue(w.contains(":" + line + ": radius: warning: users come from RADIUS"), w);
    assertTrue(w.contains("remote_access.pool (10.99.99.10-10.99.99.50)"), w);
    assertTrue(w.contains("set framed_ip: required"), w);

    i = ConfigLoader.inspect(write(yaml + "  framed_ip: required\n"));
    assertTrue(i.config().radius().framedIpRequired());
    assertEquals(java.util.List.of(), framedIpWarnings(i));
    i = ConfigLoader.inspect(write(yaml + "  framed_ip: optional\n"));
    assertFalse(i.config().radius().framedIpRequired());
    assertEquals(java.util.List.of(), framedIpWarnings(i));
    // Local users only: RADIUS (accounting) never names addresses, nothing to warn about.
    i = ConfigLoader.inspect(write(BASE + "users: { file: u.txt }\n" + REMOTE_ACCESS + RADIUS));
    assertEquals(java.util.List.of(), framedIpWarnings(i));

    String m = error(yaml + "  framed_ip: always\n");
    assertTrue(m.contains("radius.framed_ip: expected required"), m);
  }

  /** The warnings about radius.framed_ip (the base config's short PSK draws others). */
  static java.util.List<String> framedIpWarnings(ConfigLoader.Inspection i) {
    return i.warnings().stream().filter(w -> w.contains("framed_ip")).toList();
  }
}
