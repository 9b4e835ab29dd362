package dev.coati;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  /**
   * {@code coati run} without {@code --config}: the complete demo gateway in the state directory
   * (remote access, L2TP/IPsec, TUN data plane), secrets 0600; a second start reuses them and
   * prints the same settings; another {@code --address} for the same state is refused (exit 2).
   */
  @Test
  void runOnce_embeddedDefault_isTheDemoGateway_secondStartReusesIt(@TempDir Path dir)
      throws Exception {
    Path state = dir.resolve("run");
    String first =
        runOk("run", "--once", "--state-dir", state.toString(), "--address", "127.0.0.1");
    assertTrue(first.contains("ESP data plane: tunnel mode (raw ESP or UDP 4500) via TUN coati0"));
    assertTrue(first.contains("remote access (PSK + Xauth, mode config): on; L2TP/IPsec: on"));
    assertTrue(first.contains("UDP 500/4500 on [127.0.0.1]"), first);
    String psk = Files.readString(state.resolve("psk.txt")).strip();
    String password = Files.readString(state.resolve("demo-password.txt")).strip();
    for (String f : List.of("psk.txt", "demo-password.txt", "users.txt", "pki/ca.key")) {
      assertEquals(
          Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
          Files.getPosixFilePermissions(state.resolve(f)),
          f);
    }
    assertTrue(first.contains("shared secret   " + psk), first);
    assertTrue(first.contains("password        " + password), first);
    String users = Files.readString(state.resolve("users.txt"));
    assertTrue(users.contains("demo:") && !users.contains(password), "only hashes in users.txt");

    String second = runOk("run", "--once", "--state-dir", state.toString());
    assertEquals(psk, Files.readString(state.resolve("psk.txt")).strip(), "the PSK is kept");
    assertTrue(second.contains("shared secret   " + psk), second);
    assertTrue(second.contains("password        " + password), second);
    assertTrue(second.contains("UDP 500/4500 on [127.0.0.1]"), second);

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        Main.run(
            List.of("run", "--once", "--state-dir", state.toString(), "--address", "127.0.0.2"),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, rc);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("holds a gateway for 127.0.0.1"));
  }

  static String runOk(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        Main.run(
            List.of(args),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void badConfigFile_clearErrorWithFileAndLine(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("coati.yaml");
    Files.writeString(
        cfg, "gateway:\n  listen: [127.0.0.1]\nike:\n  proposals: [aes256-sha999-modp2048]\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        Main.run(
            List.of("run", "--config", cfg.toString(), "--once"),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, rc);
    String msg = err.toString(StandardCharsets.UTF_8);
    assertTrue(msg.contains(cfg + ":4: ike.proposals[0]: unknown IKE algorithm 'sha999'"), msg);
  }
}
