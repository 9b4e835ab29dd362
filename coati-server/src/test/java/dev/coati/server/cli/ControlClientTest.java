package dev.coati.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlClientTest {
  @TempDir Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String verb, String... args) {
    return ControlClient.run(
        verb, List.of(args), new PrintStream(out, true), new PrintStream(err, true));
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void notRunning() {
    assertEquals(1, run("status", "--socket", dir.resolve("none.sock").toString()));
    assertTrue(err().contains("the gateway is not running (no control socket"), err());
  }

  @Test
  void usageErrors() {
    assertEquals(2, run("kick", "--socket", "/x"));
    assertTrue(err().contains("missing USER, ADDRESS or SESSION"), err());
    assertEquals(2, run("reload", "--json"));
    assertTrue(err().contains("reload does not take --json"), err());
    assertEquals(2, run("status", "extra"));
  }

  @Test
  void socketFromTheConfigsControlSection() throws Exception {
    Path cfg = dir.resolve("c.yaml");
    Files.writeString(cfg, "control: { socket: ctl.sock }\n");
    assertEquals(1, run("status", "--config", cfg.toString()));
    assertTrue(err().contains(dir.resolve("ctl.sock").toString()), err());
  }

  @Test
  void checkSaysOkOrTheErrorWithFileAndLine() throws Exception {
    Path psk = dir.resolve("psk.txt");
    Files.writeString(psk, "s3cret-of-twenty-or-more\n"); // a shorter one draws a warning
    Files.setPosixFilePermissions(
        psk, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Path cfg = dir.resolve("coati.yaml");
    String good = "secrets:\n  psk:\n    - peers: any\n      secret_file: psk.txt\n";
    Files.writeString(cfg, good);
    PrintStream o = new PrintStream(out, true);
    PrintStream e = new PrintStream(err, true);
    assertEquals(0, CheckCommand.run(List.of("--config", cfg.toString()), o, e));
    assertEquals("ok\n", out.toString(StandardCharsets.UTF_8));
    Files.writeString(cfg, good + "ike:\n  lifetime: forever\n");
    assertEquals(1, CheckCommand.run(List.of("--config", cfg.toString()), o, e));
    assertTrue(err().contains("coati.yaml:6: ike.lifetime"), err());
    assertEquals(2, CheckCommand.run(List.of(), o, e));
  }
}
