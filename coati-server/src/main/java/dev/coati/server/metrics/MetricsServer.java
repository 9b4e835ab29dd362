package dev.coati.server.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The Prometheus endpoint: {@code GET /metrics} on the configured address (loopback by default, off
 * unless configured), one daemon thread. Anything else is 404; methods other than GET/HEAD 405.
 */
public final class MetricsServer implements AutoCloseable {
  private final HttpServer http;

  public MetricsServer(InetSocketAddress listen, Metrics metrics) throws IOException {
    try {
      http = HttpServer.create(listen, 8);
    } catch (IOException e) {
      throw new IOException("metrics: cannot listen on " + listen + ": " + e.getMessage(), e);
    }
    http.createContext(
        "/",
        ex -> {
          try (ex) {
            String method = ex.getRequestMethod();
            if (!ex.getRequestURI().getPath().equals("/metrics")) {
              ex.sendResponseHeaders(404, -1);
              return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
              ex.sendResponseHeaders(405, -1);
              return;
            }
            byte[] body = metrics.render().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, method.equals("HEAD") ? -1 : body.length);
            if (method.equals("GET")) {
              try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
              }
            }
          }
        });
    http.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "coati-metrics");
              t.setDaemon(true);
              return t;
            }));
    http.start();
  }

  /** Where it listens (the port, when 0 was asked for). */
  public InetSocketAddress address() {
    return http.getAddress();
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
