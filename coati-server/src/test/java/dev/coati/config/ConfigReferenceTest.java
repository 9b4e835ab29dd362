package dev.coati.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/CONFIG.md documents exactly the keys the loader accepts: a configuration with every section
 * and list entry is loaded, the loader says which keys it accepted there ({@link
 * ConfigLoader#acceptedKeys}), and each must have its row in CONFIG.md's tables (and each row a key
 * the loader knows). A new key cannot go undocumented.
 */
class ConfigReferenceTest {
  static final Path CONFIG_MD =
      Path.of(System.getProperty("user.dir"))
          .toAbsolutePath()
          .getParent()
          .resolve("docs/CONFIG.md");

  /** Every section, every kind of list entry. */
  static final String EVERY_SECTION =
      """
      gateway: { listen: [127.0.0.1], id: fqdn:vpn.test }
      secrets:
        psk:
          - { peers: any, secret_file: psk.txt }
      ike: { lifetime: 8h, dpd: { delay: 30s, timeout: 120s } }
      esp: { lifetime: 1h }
      peers:
        - { name: branch, remote: 192.0.2.7, local_subnets: [10.1.0.0/24],
            remote_subnets: [10.2.0.0/24], secret_file: psk.txt }
      dataplane: { tun: coati0, address: 10.99.99.1/24 }
      users: { file: users.txt, source: local-then-radius }
      remote_access: { pool: 10.99.99.0/24 }
      l2tp: {}
      metrics: {}
      events: { json_log: events.jsonl }
      radius:
        servers:
          - { address: 127.0.0.1, secret_file: psk.txt }
        dynamic_authorization:
          listen: 127.0.0.1:3799
          clients:
            - { address: 127.0.0.1, secret_file: psk.txt }
      control: { socket: coati.sock }
      log: { format: text }
      limits: { half_open: { max: 100 }, guessing: { per_user: 5 } }
      state: { resume_sas: true }
      """;

  @Test
  void everyAcceptedKey_hasItsRowInConfigMd_andEveryRowIsAKey(@TempDir Path dir) throws Exception {
    Path psk = dir.resolve("psk.txt");
    Files.writeString(psk, "a-long-enough-test-secret-1\n");
    Files.setPosixFilePermissions(psk, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(dir.resolve("users.txt"), "");
    Path cfg = dir.resolve("coati.yaml");
    Files.writeString(cfg, EVERY_SECTION);
    Set<String> accepted = ConfigLoader.acceptedKeys(cfg);
    assertTrue(accepted.contains("remote_access.split_dns"), accepted.toString());
    assertTrue(
        accepted.contains("radius.dynamic_authorization.clients[].secret_file"), "" + accepted);

    Set<String> documented = new TreeSet<>();
    Matcher m =
        Pattern.compile("(?m)^\\| `([a-z_0-9.\\[\\]]+)` \\|").matcher(Files.readString(CONFIG_MD));
    while (m.find()) {
      assertTrue(documented.add(m.group(1)), "documented twice: " + m.group(1));
    }
    Set<String> undocumented = new TreeSet<>(accepted);
    undocumented.removeAll(documented);
    Set<String> unknown = new TreeSet<>(documented);
    unknown.removeAll(accepted);
    assertEquals(Set.of(), undocumented, "keys the loader accepts that docs/CONFIG.md lacks");
    assertEquals(Set.of(), unknown, "rows in docs/CONFIG.md the loader does not accept");
  }
}
