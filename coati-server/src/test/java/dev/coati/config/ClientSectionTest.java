package dev.coati.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code client:} section of a {@code coati connect} profile: values and file:line errors. */
class ClientSectionTest {
  @TempDir Path dir;

  Path write(String body) throws Exception {
    Path psk = dir.resolve("psk.txt");
    Files.writeString(psk, "group-key\n");
    Files.setPosixFilePermissions(psk, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    Path f = dir.resolve("client.yaml");
    Files.writeString(f, body);
    return f;
  }

  @Test
  void seed002Client_hybridAggressiveForcedNatT() throws Exception {
    ClientProfile p =
        ClientSection.load(
            write(
                """
                gateway: { listen: [192.0.2.50] }
                client:
                  gateway: 192.0.2.50
                  auth: hybrid-rsa
                  mode: aggressive
                  ca: ca.pem
                  user: toto
                  nat_traversal: force
                  dpd: 20s
                  ike_fragment_size: 552
                  esp_fragment_size: 552
                  esp_proposals: aes128-sha1
                """));
    assertEquals("192.0.2.50", p.gateway());
    assertEquals("hybrid-rsa", p.auth());
    assertTrue(p.aggressive() && p.forceNatT());
    assertEquals(20, p.dpdSeconds());
    assertEquals(552, p.espFragmentSize());
    assertEquals(dir.resolve("ca.pem"), p.ca());
    assertEquals(1, p.espProposals().size());
    ClientProfile q = p.with(null, "alice", null);
    assertEquals("alice", q.user());
    assertEquals(Path.of("/run/coati/client-192.0.2.50.sock"), q.controlSocket());
  }

  @Test
  void pskXauth_readsTheKeyFile_defaultsToAggressive() throws Exception {
    ClientProfile p = ClientSection.load(write("client:\n  psk_file: psk.txt\n  group: grp\n"));
    assertEquals("group-key", new String(p.psk().bytes()));
    assertTrue(p.aggressive());
    assertFalse(p.forceNatT());
    assertEquals("grp", p.group());
  }

  @Test
  void errors_nameFileLineAndWhatToDo() throws Exception {
    ConfigException noPsk =
        assertThrows(
            ConfigException.class,
            () -> ClientSection.load(write("client:\n  user: a\n  auth: psk-xauth\n")));
    assertTrue(
        noPsk.getMessage().contains("client.yaml:3: client.auth: psk-xauth needs psk_file"),
        noPsk.getMessage());
    ConfigException unknown =
        assertThrows(
            ConfigException.class,
            () -> ClientSection.load(write("client:\n  psk_file: psk.txt\n  gatway: x\n")));
    assertTrue(
        unknown.getMessage().contains(":3: client.gatway: unknown key"), unknown.getMessage());
    ConfigException mode =
        assertThrows(
            ConfigException.class,
            () -> ClientSection.load(write("client:\n  psk_file: psk.txt\n  mode: quick\n")));
    assertTrue(mode.getMessage().contains("expected one of aggressive, main"), mode.getMessage());
    ConfigException none =
        assertThrows(ConfigException.class, () -> ClientSection.load(write("gateway: {}\n")));
    assertTrue(none.getMessage().contains("no client: section"), none.getMessage());
    Files.setPosixFilePermissions(
        dir.resolve("psk.txt"), PosixFilePermissions.fromString("rw-r--r--"));
    Path f = dir.resolve("client.yaml");
    Files.writeString(f, "client:\n  psk_file: psk.txt\n");
    ConfigException open = assertThrows(ConfigException.class, () -> ClientSection.load(f));
    assertTrue(open.getMessage().contains("chmod 600"), open.getMessage());
  }
}
