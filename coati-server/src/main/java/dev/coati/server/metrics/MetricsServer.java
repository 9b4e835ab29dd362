package dev.coati.server.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Prometheus endpoint: {@code GET /metrics} on the configured address (loopback by default, off
 * unless configured). Anything else is 404; methods other than GET/HEAD 405. One request per
 * connection ({@code Connection: close}). A client cannot stall it: each request head must arrive
 * within {@link #REQUEST_MILLIS} and be at most {@link #MAX_HEAD} bytes; at most {@link
 * #MAX_CONNECTIONS} connections are open at once, and when they are all taken a new one closes the
 * oldest that has not finished sending its request (a scrape sends its request at once).
 */
public final class MetricsServer implements AutoCloseable {
  static final int MAX_CONNECTIONS = 32;
  static final int REQUEST_MILLIS = 5_000;
  static final int MAX_HEAD = 8192;

  private final ServerSocket socket;
  private final Metrics metrics;
  private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
  private final LongAdder refused = new LongAdder();
  private final Thread acceptor;
  private final Map<Socket, Long> reading = new ConcurrentHashMap<>(); // head not complete yet

  public MetricsServer(InetSocketAddress listen, Metrics metrics) throws IOException {
    this.metrics = metrics;
    try {
      socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(listen, 64);
    } catch (IOException e) {
      throw new IOException("metrics: cannot listen on " + listen + ": " + e.getMessage(), e);
    }
    metrics.httpRefused(refused::sum);
    acceptor = Thread.ofPlatform().daemon().name("coati-metrics").start(this::acceptLoop);
  }

  /** Where it listens (the port, when 0 was asked for). */
  public InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /** Connections closed unserved because {@link #MAX_CONNECTIONS} were busy, or timed out. */
  public long refused() {
    return refused.sum();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      Socket c;
      try {
        c = socket.accept();
      } catch (IOException e) {
        continue; // closed (the loop ends) or a transient accept error
      }
      if (!slots.tryAcquire() && !evictSlowest()) {
        refused.increment();
        close(c);
        continue;
      }
      reading.put(c, System.nanoTime());
      Thread.ofVirtual()
          .name("coati-metrics-conn")
          .start(
              () -> {
                try {
                  serve(c);
                } finally {
                  reading.remove(c);
                  drainAndClose(c);
                  slots.release();
                }
              });
    }
  }

  /** Closes the oldest connection still sending its head and takes its slot (false: none). */
  private boolean evictSlowest() {
    var oldest = reading.entrySet().stream().min(Comparator.comparingLong(Map.Entry::getValue));
    if (oldest.isEmpty()) {
      return false;
    }
    reading.remove(oldest.get().getKey());
    refused.increment(); // before the close the client sees
    close(oldest.get().getKey());
    try {
      return slots.tryAcquire(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void serve(Socket c) {
    try {
      long deadline = System.nanoTime() + REQUEST_MILLIS * 1_000_000L;
      String head = readHead(c, deadline);
      if (reading.remove(c) == null) {
        return; // evicted (counted there)
      }
      if (head == null) {
        refused.increment();
        return;
      }
      String[] request = head.substring(0, Math.max(0, head.indexOf('\r'))).split(" ");
      OutputStream out = c.getOutputStream();
      if (request.length != 3 || !request[2].startsWith("HTTP/")) {
        respond(out, "400 Bad Request", null, false);
      } else if (!request[1].equals("/metrics") && !request[1].startsWith("/metrics?")) {
        respond(out, "404 Not Found", null, false);
      } else if (!request[0].equals("GET") && !request[0].equals("HEAD")) {
        respond(out, "405 Method Not Allowed", null, false);
      } else {
        byte[] body = metrics.render().getBytes(StandardCharsets.UTF_8);
        respond(out, "200 OK", body, request[0].equals("GET"));
      }
    } catch (IOException e) {
      if (!c.isClosed()) {
        refused.increment(); // the client went away (an evicted one is already counted)
      }
    }
  }

  /** The request line and headers up to the blank line; null when late, too long or cut off. */
  private static String readHead(Socket c, long deadline) throws IOException {
    InputStream in = c.getInputStream();
    byte[] buf = new byte[MAX_HEAD];
    int n = 0;
    while (n < buf.length) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return null;
      }
      c.setSoTimeout((int) left);
      int r;
      try {
        r = in.read(buf, n, buf.length - n);
      } catch (SocketTimeoutException e) {
        return null;
      }
      if (r < 0) {
        return null;
      }
      n += r;
      String s = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
      if (s.contains("\r\n\r\n")) {
        return s;
      }
    }
    return null;
  }

  private static void respond(OutputStream out, String status, byte[] body, boolean withBody)
      throws IOException {
    StringBuilder h = new StringBuilder("HTTP/1.1 ").append(status).append("\r\n");
    if (body != null) {
      h.append("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n");
    }
    h.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n");
    h.append("Connection: close\r\n\r\n");
    out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (withBody) {
      out.write(body);
    }
    out.flush();
  }

  /** Half-closes, reads what the client still sends (briefly), closes: no reset under a reply. */
  private static void drainAndClose(Socket c) {
    try {
      c.shutdownOutput();
      c.setSoTimeout(200);
      InputStream in = c.getInputStream();
      byte[] sink = new byte[4096];
      for (int i = 0; i < 16 && in.read(sink) >= 0; i++) {
        // discard a request body nobody asked for
      }
    } catch (IOException ignored) {
      // timed out or gone: close anyway
    }
    close(c);
  }

  private static void close(Socket c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
