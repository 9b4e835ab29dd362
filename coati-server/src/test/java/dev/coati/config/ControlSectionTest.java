package dev.coati.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlSectionTest {
  @TempDir Path dir;

  static final String BASE =
      """
      gateway:
        listen: [10.97.0.1]
      secrets:
        psk:
          - peers: any
            secret_file: psk.txt
      """;

  Path write(String extra) throws Exception {
    Path psk = dir.resolve("psk.txt");
    Files.writeString(psk, "s3cret\n");
    Files.setPosixFilePermissions(psk, PosixFilePermissions.fromString("rw-------"));
    Path f = dir.resolve("coati.yaml");
    Files.writeString(f, BASE + extra);
    return f;
  }

  @Test
  void defaults() throws Exception {
    GatewayConfig.Control c = ConfigLoader.load(write("")).control();
    assertEquals(Path.of("/run/coati/coati.sock"), c.socket());
    assertEquals(0600, c.mode());
    assertNull(c.group());
  }

  @Test
  void socketModeGroup() throws Exception {
    GatewayConfig.Control c =
        ConfigLoader.load(
                write("control: { socket: /run/coati/ops.sock, mode: \"0660\", group: coati }\n"))
            .control();
    assertEquals(new GatewayConfig.Control(Path.of("/run/coati/ops.sock"), 0660, "coati"), c);
  }

  @Test
  void relativeSocketIsUnderTheConfigDirectory() throws Exception {
    assertEquals(
        dir.resolve("run/c.sock"),
        ConfigLoader.load(write("control:\n  socket: run/c.sock\n")).control().socket());
  }

  @Test
  void errorsNameFileLineAndKey() throws Exception {
    String e = error("control:\n  mode: \"0644x\"\n");
    assertTrue(e.matches(".*coati.yaml:8: control.mode: expected an octal mode.*"), e);
    e = error("control:\n  mode: \"0060\"\n");
    assertTrue(e.contains("control.mode"), e);
    e = error("control:\n  sockets: /x\n");
    assertTrue(e.contains(":8: control.sockets: unknown key"), e);
    e = error("control:\n  group: \"no group\"\n");
    assertTrue(e.contains("control.group: expected a group name"), e);
    e = error("control:\n  socket: /" + "x".repeat(120) + "\n");
    assertTrue(e.contains("at most 107 bytes"), e);
  }

  @Test
  void onlyTheControlSectionForClients() throws Exception {
    Path f = dir.resolve("client.yaml");
    Files.writeString(f, "gateway: { nonsense: 1 }\ncontrol: { socket: /tmp/x.sock }\n");
    assertEquals(Path.of("/tmp/x.sock"), ControlSection.of(f).socket());
    Files.writeString(f, "gateway: {}\n");
    assertEquals(GatewayConfig.Control.DEFAULT, ControlSection.of(f));
  }

  private String error(String extra) throws Exception {
    Path f = write(extra);
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(f)).getMessage();
  }
}
