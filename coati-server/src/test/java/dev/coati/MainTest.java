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
  void configFile_notYet_clearError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        Main.run(
            List.of("run", "--config", "x.yaml"),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, rc);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("issue #3"));
  }
}
