package dev.coati.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.config.ConfigLoader;
import dev.coati.config.GatewayConfig;
import dev.coati.server.policy.ConfiguredPolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloaderTest {
  @TempDir Path dir;

  GatewayConfig load(String yaml) throws Exception {
    Path psk = dir.resolve("psk.txt");
    Files.writeString(psk, "s3cret\n");
    Files.setPosixFilePermissions(psk, PosixFilePermissions.fromString("rw-------"));
    Path f = dir.resolve("coati.yaml");
    Files.writeString(f, "secrets:\n  psk:\n    - peers: any\n      secret_file: psk.txt\n" + yaml);
    return ConfigLoader.load(f);
  }

  @Test
  void whatOnlyARestartChanges() throws Exception {
    GatewayConfig a = load("gateway:\n  listen: [10.0.0.1]\nike:\n  lifetime: 8h\n");
    GatewayConfig b = load("gateway:\n  listen: [10.0.0.1]\nike:\n  lifetime: 1h\n");
    assertEquals(List.of(), Reloader.restartNeeded(a, b), "lifetimes apply at once");
    GatewayConfig c = load("gateway:\n  listen: [10.0.0.2]\ncontrol:\n  socket: /tmp/other.sock\n");
    assertEquals(List.of("gateway.listen and ports", "control"), Reloader.restartNeeded(a, c));
    GatewayConfig d = load("dataplane:\n  tun: coati0\n  address: 10.99.99.1/24\n");
    assertEquals("adding or removing dataplane:", Reloader.structuralChange(a, d));
    assertNull(Reloader.structuralChange(a, c));
  }

  @Test
  void aRestartOnlyChangeRevertedNeedsNoRestart() throws Exception {
    GatewayConfig started = load("gateway:\n  listen: [10.0.0.1]\n");
    Path f = dir.resolve("coati.yaml");
    ConfiguredPolicy policy = new ConfiguredPolicy(started);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    Reloader reloader = new Reloader(f, started, policy, null, null, quiet);
    Operations ops =
        new Operations(
            new Operations.Gateway(Runnable::run, null, null, null, reloader, null), quiet);
    load("gateway:\n  listen: [10.0.0.2]\n");
    String changed = ops.handle("reload").text();
    assertTrue(changed.contains("restart needed for: gateway.listen and ports"), changed);
    load("gateway:\n  listen: [10.0.0.1]\n");
    String reverted = ops.handle("reload").text();
    assertTrue(reverted.startsWith("reloaded "), reverted);
    assertFalse(reverted.contains("restart needed"), reverted);
  }
}
