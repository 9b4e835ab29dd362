package dev.coati.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.config.GatewayConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {
  @TempDir Path dir;
  final PrintStream log = new PrintStream(new ByteArrayOutputStream());

  static String ask(Path socket, String line) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
      ch.shutdownOutput();
      return new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void answersOneLineWithCodeAndText_modeSetDirectoryCreated() throws Exception {
    Path sock = dir.resolve("sub/coati.sock");
    ControlServer.Handler echo = l -> new ControlServer.Response(l.equals("x") ? 0 : 1, l + "!\n");
    try (ControlServer s =
        ControlServer.start(new GatewayConfig.Control(sock, 0660, null), echo, log)) {
      assertEquals("0\nx!\n", ask(sock, "x\n"));
      assertEquals("1\ny!\n", ask(sock, "y"));
      assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
      assertEquals(
          "rwxr-x---",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(sock.getParent())));
      assertTrue(ask(sock, "z".repeat(5000) + "\n").startsWith("2\nrequest too long"));
    }
    assertFalse(Files.exists(sock), "removed on close");
  }

  @Test
  void staleSocketReplaced_liveOneRefused() throws Exception {
    Path sock = dir.resolve("coati.sock");
    ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    dead.bind(UnixDomainSocketAddress.of(sock));
    dead.close(); // the file stays, nobody listens: a gateway that died
    assertTrue(Files.exists(sock));
    ControlServer.Handler ok = l -> new ControlServer.Response(0, "ok\n");
    GatewayConfig.Control c = new GatewayConfig.Control(sock, 0600, null);
    try (ControlServer s = ControlServer.start(c, ok, log)) {
      assertEquals("0\nok\n", ask(sock, "status\n"));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
      IOException e = assertThrows(IOException.class, () -> ControlServer.start(c, ok, log));
      assertTrue(e.getMessage().contains("another coati is running"), e.getMessage());
      assertEquals("0\nok\n", ask(sock, "status\n"), "the live one keeps serving");
    }
    Files.writeString(sock, "not a socket");
    IOException e =
        assertThrows(
            IOException.class,
            () -> ControlServer.start(new GatewayConfig.Control(sock, 0600, null), ok, log));
    assertTrue(e.getMessage().contains("is not a socket"), e.getMessage());
  }

  @Test
  void modeBits() {
    assertEquals("rw-------", PosixFilePermissions.toString(ControlServer.permissions(0600)));
    assertEquals("rw-rw----", PosixFilePermissions.toString(ControlServer.permissions(0660)));
    assertEquals("rwxr-x--x", PosixFilePermissions.toString(ControlServer.permissions(0751)));
  }
}
