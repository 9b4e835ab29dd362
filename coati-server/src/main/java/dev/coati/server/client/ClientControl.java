package dev.coati.server.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * The control socket of a running {@code coati connect} (racoon's adminsock): one line in, the
 * answer out. {@code status} answers the connection's state; {@code disconnect} ends it and answers
 * once routes and DNS are restored. Mode 0600: only its owner (root) may end the VPN.
 */
final class ClientControl implements AutoCloseable {
  private final Path path;
  private final ServerSocketChannel server;
  private final Thread thread;

  /** What the socket asks of the client. */
  interface Client {
    String status();

    /** Ends the connection; returns once it is down (bounded). */
    String disconnect();
  }

  private ClientControl(Path path, ServerSocketChannel server, Client client) {
    this.path = path;
    this.server = server;
    this.thread = new Thread(() -> serve(client), "coati-client-control");
    thread.setDaemon(true);
  }

  /** Opens the socket at {@code path}; fails if another client already listens there. */
  static ClientControl start(Path path, Client client) throws IOException {
    Files.createDirectories(path.getParent());
    if (Files.exists(path)) {
      if (ask(path, "status") != null) {
        throw new IOException("a coati connect already runs with control socket " + path);
      }
      Files.delete(path); // stale, from a client that did not stop cleanly
    }
    ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    s.bind(UnixDomainSocketAddress.of(path));
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    ClientControl c = new ClientControl(path, s, client);
    c.thread.start();
    return c;
  }

  private void serve(Client client) {
    while (server.isOpen()) {
      try (SocketChannel ch = server.accept()) {
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
        String cmd = in.readLine();
        String answer =
            switch (cmd == null ? "" : cmd.strip()) {
              case "status" -> client.status();
              case "disconnect" -> client.disconnect();
              default -> "unknown command; status or disconnect";
            };
        PrintStream out =
            new PrintStream(Channels.newOutputStream(ch), true, StandardCharsets.UTF_8);
        out.println(answer);
        out.flush();
      } catch (IOException e) {
        if (!server.isOpen()) {
          return;
        }
      }
    }
  }

  /** Sends {@code command} to the client at {@code path}; its answer, or null if none listens. */
  static String ask(Path path, String command) {
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      PrintStream out = new PrintStream(Channels.newOutputStream(ch), true, StandardCharsets.UTF_8);
      out.println(command);
      out.flush();
      return new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8)
          .stripTrailing();
    } catch (IOException e) {
      return null;
    }
  }

  /** The answer of a supplier, or why it failed. */
  static String safely(Supplier<String> s) {
    try {
      return s.get();
    } catch (RuntimeException e) {
      return "error: " + e.getMessage();
    }
  }

  /** Closes the socket; an answer being written (disconnect's) is finished first (bounded). */
  @Override
  public void close() {
    try {
      server.close();
      thread.join(3000);
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // nothing left to do: the socket file is gone with /run at the next boot
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
