package dev.coati.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code coati check}: aggressive mode open with a short PSK is warned about (issue #13). */
class CheckCommandTest {
  @TempDir Path dir;

  /** The warnings printed (standard output, exit 0) for this PSK and ike: section. */
  private String check(String psk, String ike) throws Exception {
    Path pskFile = dir.resolve("psk.txt");
    Files.writeString(pskFile, psk + "\n");
    Files.setPosixFilePermissions(pskFile, PosixFilePermissions.fromString("rw-------"));
    Path cfg = dir.resolve("coati.yaml");
    Files.writeString(
        cfg,
        "gateway:\n  listen: [127.0.0.1]\nsecrets:\n  psk:\n    - peers: any\n"
            + "      secret_file: psk.txt\n"
            + ike);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        CheckCommand.run(
            List.of("--config", cfg.toString()), new PrintStream(out), new PrintStream(err));
    assertEquals(0, code, err.toString());
    assertEquals("", err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void shortPskWithAggressiveModeIsWarnedAbout() throws Exception {
    String warn = check("short-secret", "ike:\n  aggressive_ids: [vpngroup]\n");
    assertTrue(warn.contains("answers aggressive mode for [vpngroup] and has 12 characters"), warn);
    assertTrue(warn.contains("psk-crack") && warn.contains("hybrid-rsa"), warn);
    assertFalse(warn.contains("short-secret"), "never the secret itself");
    assertTrue(warn.endsWith("ok, 2 warnings\n"), warn);
  }

  @Test
  void longPskOrNoAggressiveModeIsNotAnAggressiveModeRisk() throws Exception {
    assertEquals(
        "ok\n", check("a-random-group-secret-of-32-chars", "ike:\n  aggressive_ids: [g]\n"));
    String shortMainMode = check("short-secret", "");
    assertFalse(shortMainMode.contains("answers aggressive mode"), shortMainMode);
    assertTrue(shortMainMode.endsWith("ok, 1 warning\n"), shortMainMode);
  }

  private String refused(String limits) throws Exception {
    Path pskFile = dir.resolve("psk.txt");
    Files.writeString(pskFile, "x\n");
    Files.setPosixFilePermissions(pskFile, PosixFilePermissions.fromString("rw-------"));
    Path cfg = dir.resolve("coati.yaml");
    Files.writeString(
        cfg,
        "gateway:\n  listen: [127.0.0.1]\nsecrets:\n  psk:\n    - peers: any\n"
            + "      secret_file: psk.txt\nlimits:\n"
            + limits);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        CheckCommand.run(
            List.of("--config", cfg.toString()),
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err));
    assertEquals(1, code);
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void limitsAreCheckedWithFileAndLine() throws Exception {
    String e = refused("  half_open:\n    max: 100\n    busy: 200\n");
    assertTrue(e.contains("coati.yaml:10") && e.contains("must not exceed max"), e);
    e = refused("  guessing:\n    per_user: 0\n");
    assertTrue(e.contains("coati.yaml:9") && e.contains("whole number from 1"), e);
    e = refused("  guessing:\n    backoff: 10m\n    max_backoff: 1m\n");
    assertTrue(e.contains("coati.yaml:10") && e.contains("max_backoff must be at least"), e);
    e = refused("  half_open:\n    timeout: soon\n");
    assertTrue(e.contains("coati.yaml:9") && e.contains("duration"), e);
    e = refused("  guesing: {}\n");
    assertTrue(e.contains("coati.yaml:8") && e.contains("known keys here: guessing, half_open"), e);
  }
}
