package dev.coati.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
