package dev.coati.server.ops;

import dev.coati.config.GatewayConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The operators' UNIX domain socket: one request line in, the answer out ("CODE\n" then the text),
 * then the connection closes. The socket file gets its mode and group right after bind (its
 * directory, created 0750 if missing, keeps others out meanwhile); a stale file from a dead gateway
 * is replaced, a live gateway's is refused. Each connection is served on a virtual thread, at most
 * eight at once; request lines longer than {@link ControlRequest#MAX_LINE} are refused.
 */
public final class ControlServer implements AutoCloseable {
  /** Answers one request line. */
  public interface Handler {
    Response handle(String line);
  }

  /** An answer: the exit code for the client (0 ok, 1 failed, 2 bad request) and its text. */
  public record Response(int code, String text) {}

  private static final long READ_SECONDS = 10; // a client that sends no line is cut off
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "coati-control-timer");
            t.setDaemon(true);
            return t;
          });

  private final Path path;
  private final ServerSocketChannel server;
  private final Handler handler;
  private final PrintStream log;
  private final Semaphore slots = new Semaphore(8);

  private ControlServer(Path path, ServerSocketChannel server, Handler handler, PrintStream log) {
    this.path = path;
    this.server = server;
    this.handler = handler;
    this.log = log;
  }

  /**
   * The control socket. A configured one that cannot be bound stops the start; the default one (no
   * {@code control:} section) only warns, so a gateway without /run/coati still runs.
   */
  public static ControlServer startOrWarn(GatewayConfig config, Operations ops, PrintStream out)
      throws IOException {
    try {
      ControlServer c = start(config.control(), ops, out);
      out.println("coati: control socket " + c.path() + " (coati status, kick, reload)");
      return c;
    } catch (IOException e) {
      if (!config.control().equals(GatewayConfig.Control.DEFAULT)) {
        throw e;
      }
      out.println("coati: " + e.getMessage() + "; running without (set control.socket)");
      return null;
    }
  }

  /** Binds the socket of {@code c} and starts serving on a daemon thread. */
  public static ControlServer start(GatewayConfig.Control c, Handler handler, PrintStream log)
      throws IOException {
    Path path = c.socket().toAbsolutePath();
    Path dir = path.getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
    }
    replaceStale(path);
    ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      s.bind(UnixDomainSocketAddress.of(path));
      Files.setPosixFilePermissions(path, permissions(c.mode()));
      if (c.group() != null) {
        GroupPrincipal g =
            path.getFileSystem()
                .getUserPrincipalLookupService()
                .lookupPrincipalByGroupName(c.group());
        Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(g);
      }
    } catch (IOException e) {
      s.close();
      Files.deleteIfExists(path);
      throw new IOException("control socket " + path + ": " + e.getMessage(), e);
    }
    ControlServer cs = new ControlServer(path, s, handler, log);
    Thread t = new Thread(cs::acceptLoop, "coati-control");
    t.setDaemon(true);
    t.start();
    return cs;
  }

  /** A socket file nobody answers on is removed; one a gateway answers on is an error. */
  static void replaceStale(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .isOther()) {
      throw new IOException(
          "control socket "
              + path
              + " exists and is not a socket; remove it or set control.socket");
    }
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      throw new IOException(
          "control socket "
              + path
              + " is in use: another coati is running (stop it, or set another control.socket)");
    } catch (ConnectException e) {
      Files.delete(path); // left behind by a gateway that died
    }
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> p = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
    for (int i = 0; i < 9; i++) {
      if ((mode & (0400 >> i)) != 0) {
        p.add(bits[i]);
      }
    }
    return p;
  }

  public Path path() {
    return path;
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        SocketChannel ch = server.accept();
        if (!slots.tryAcquire()) {
          answer(ch, new Response(1, "busy: too many control connections\n"));
          continue;
        }
        Thread.ofVirtual()
            .name("coati-control-request")
            .start(
                () -> {
                  try {
                    serve(ch);
                  } finally {
                    slots.release();
                  }
                });
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        log.println("coati: control socket: " + e.getMessage());
      }
    }
  }

  private void serve(SocketChannel ch) {
    var deadline = TIMER.schedule(() -> closeQuietly(ch), READ_SECONDS, TimeUnit.SECONDS);
    String line = readLine(ch);
    deadline.cancel(false);
    Response r;
    if (line == null) {
      r = new Response(2, "request too long or not one line\n");
    } else {
      try {
        r = handler.handle(line);
      } catch (RuntimeException e) {
        r = new Response(1, "internal error: " + e + "\n");
      }
    }
    answer(ch, r);
  }

  /** The request line, or null if it exceeds the limit or is not UTF-8 text. */
  static String readLine(SocketChannel ch) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(256);
    try {
      while (got.size() <= ControlRequest.MAX_LINE) {
        buf.clear();
        int n = ch.read(buf);
        if (n < 0) {
          return fits(got); // a last line without its newline
        }
        for (int i = 0; i < n; i++) {
          byte b = buf.get(i);
          if (b == '\n') {
            return fits(got);
          }
          got.write(b);
        }
      }
      drain(ch, buf); // too long: read what the client still sends, so it gets the answer
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  private static String fits(ByteArrayOutputStream got) {
    return got.size() <= ControlRequest.MAX_LINE ? got.toString(StandardCharsets.UTF_8) : null;
  }

  private static void drain(SocketChannel ch, ByteBuffer buf) throws IOException {
    for (int total = 0; total < 65536; ) {
      buf.clear();
      int n = ch.read(buf);
      if (n < 0) {
        return;
      }
      total += n;
    }
  }

  private static void closeQuietly(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // closed already
    }
  }

  private static void answer(SocketChannel ch, Response r) {
    try (ch) {
      ByteBuffer out =
          ByteBuffer.wrap((r.code() + "\n" + r.text()).getBytes(StandardCharsets.UTF_8));
      while (out.hasRemaining()) {
        ch.write(out);
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    try {
      Files.deleteIfExists(path);
    } catch (AccessDeniedException e) {
      // gateway.user dropped root and may not write the socket's directory: the file stays,
      // and the next start replaces a socket nobody answers on
    }
  }
}
