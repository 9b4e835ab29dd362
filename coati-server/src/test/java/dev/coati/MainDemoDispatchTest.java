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

/** {@code coati demo} is reachable from the command line (its own tests: DemoCommandTest). */
class MainDemoDispatchTest {
  @Test
  void dispatchesDemoCommand(@TempDir Path dir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(2, Main.run(List.of("demo", "--bogus"), o, e));
    String refused = err.toString(StandardCharsets.UTF_8);
    assertTrue(refused.contains("Unknown option: '--bogus'"), refused);
    assertTrue(refused.contains("Try 'coati demo --help'"), refused);
    Path demo = dir.resolve("demo");
    assertEquals(0, Main.run(List.of("demo", "--dir", demo.toString()), o, e), err.toString());
    assertTrue(Files.exists(demo.resolve("coati.yaml")) && Files.exists(demo.resolve("psk.txt")));
    assertEquals(1, Main.run(List.of("demo", "--dir", demo.toString()), o, e));
  }
}
