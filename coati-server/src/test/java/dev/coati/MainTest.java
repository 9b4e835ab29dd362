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
  @Test
  void runOnce_startsOnEmbeddedDemo_pskFileIsPrivate(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        Main.run(
            List.of("run", "--once", "--state-dir", dir.toString()),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
    assertTrue(text.contains("IKEv1 engine ready"), text);
    assertTrue(text.contains("IKE proposals 8"), text);
    assertTrue(text.contains("ESP data plane: off"), text);
    Path psk = dir.resolve("demo-psk.txt");
    assertEquals(
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(psk));
    String secret = Files.readString(psk).strip();
    assertTrue(!text.contains(secret), "the PSK is never printed");
    // a second start reuses the key, and tightens a file someone made readable
    Files.setPosixFilePermissions(
        psk, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    assertEquals(
        0,
        Main.run(
            List.of("run", "--once", "--state-dir", dir.toString()),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertEquals(secret, Files.readString(psk).strip());
    assertEquals(
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(psk));
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
