package dev.coati;

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

/** {@code coati pki} is reachable from the command line. */
class MainPkiTest {
  @Test
  void dispatchesPkiCommand(@TempDir Path dir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(2, Main.run(List.of("pki"), o, e));
    String usage = err.toString(StandardCharsets.UTF_8);
    assertTrue(usage.contains("Usage: coati pki") && usage.contains("  ca "), usage);
    assertEquals(0, Main.run(List.of("pki", "ca", "--out", dir.toString(), "--ec"), o, e));
    assertTrue(Files.exists(dir.resolve("ca.pem")) && Files.exists(dir.resolve("ca.key")));
  }
}
