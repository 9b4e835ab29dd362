package dev.coati.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessControlTest {
  @Test
  void coreDumpsOff_dumpableZeroAndCoreLimitZero() throws Exception {
    ProcessControl.disableCoreDumps();
    assertEquals(0, ProcessControl.dumpable());
    assertEquals(0, ProcessControl.coreLimit());
    String limits = Files.readString(Path.of("/proc/self/limits"));
    assertTrue(
        limits.lines().anyMatch(l -> l.matches("Max core file size\\s+0\\s+0\\s+bytes.*")), limits);
  }

  @Test
  void aSignalTheJvmHandles_isLeftAlone() throws Exception {
    // SIGTERM has the JVM's handler (not ignored): nothing to reset
    assertFalse(ProcessControl.unignore(15));
  }

  @Test
  void usersComeFromThePasswdDatabase() {
    assertEquals(new ProcessControl.User("root", 0, 0), ProcessControl.user("root").orElseThrow());
    assertTrue(ProcessControl.user("rf-no-such-user").isEmpty());
  }
}
