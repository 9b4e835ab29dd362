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

/** {@code coati user ...} reaches the user command (its own tests: UserCommandTest). */
class MainUserDispatchTest {
  @TempDir Path dir;

  @Test
  void userCommand_isDispatched_withItsExitCodes() throws Exception {
    Path users = dir.resolve("users.txt");
    Files.writeString(users, "# nobody yet\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(0, Main.run(List.of("user", "list", "--file", users.toString()), o, e));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("0 users in"), out.toString());
    assertEquals(1, Main.run(List.of("user", "del", "bob", "--file", users.toString()), o, e));
    assertEquals(2, Main.run(List.of("user"), o, e));
  }
}
