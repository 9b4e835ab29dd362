package dev.coati.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.auth.AuthRequest;
import dev.coati.auth.AuthResult;
import dev.coati.auth.GuessingGuard;
import dev.coati.auth.GuessingLimits;
import dev.coati.ike.EngineCounters;
import dev.coati.server.dataplane.IdleWatchTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

public class MetricsTest {
  /** A sample line of the exposition format: name, optional labels, a number. */
  static final Pattern SAMPLE =
      Pattern.compile(
          "([a-z_][a-z0-9_]*)(\\{([a-z_]+=\"[a-z_0-9]+\"(,[a-z_]+=\"[a-z_0-9]+\")*)\\})? (\\S+)");

  /** Parses the text strictly: every line a HELP, a TYPE or a sample; returns sample → value. */
  public static Map<String, Double> parse(String text) {
    Map<String, Double> m = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
        continue;
      }
      Matcher x = SAMPLE.matcher(line);
      assertTrue(x.matches(), "not a Prometheus sample: '" + line + "'");
      m.put(x.group(1) + (x.group(2) == null ? "" : x.group(2)), Double.parseDouble(x.group(5)));
    }
    return m;
  }

  @Test
  void handshakesAuthAndGauges_renderAsValidExposition() throws Exception {
    Metrics m = new Metrics();
    var ok = new IdleWatchTest.Client("ike[1]", new byte[] {10, 99, 99, 10});
    m.ikeEstablished(ok);
    m.ikeDeleted(new IdleWatchTest.Client("ike[2]", null), "phase 1 timed out");
    m.ikeDeleted(new IdleWatchTest.Client("ike[3]", null), "NO_PROPOSAL_CHOSEN");
    CountingAuthenticator auth =
        new CountingAuthenticator(
            r ->
                CompletableFuture.completedFuture(
                    r.user().equals("alice")
                        ? AuthResult.success("alice", null, 0, null)
                        : AuthResult.failure(r.user(), "wrong password", 0)),
            m);
    auth.authenticate(AuthRequest.Plain.fromWire("alice".getBytes(), "x".getBytes()));
    auth.authenticate(AuthRequest.Plain.fromWire("mallory".getBytes(), "x".getBytes()));
    m.snapshot(41, 40, 1, 1);
    m.ikeDuplicates(2, 7);
    Map<String, Double> s = parse(m.render());
    assertEquals(2, s.get("coati_ike_duplicates_answered_total"));
    assertEquals(7, s.get("coati_ike_duplicates_dropped_total"));
    assertEquals(1, s.get("coati_ike_sas{kind=\"remote_access\"}"));
    assertEquals(1, s.get("coati_ike_handshakes_total{result=\"established\"}"));
    assertEquals(1, s.get("coati_ike_handshakes_total{result=\"failed\",reason=\"timeout\"}"));
    assertEquals(1, s.get("coati_ike_handshakes_total{result=\"failed\",reason=\"proposal\"}"));
    assertEquals(1, s.get("coati_auth_total{method=\"password\",result=\"success\"}"));
    assertEquals(1, s.get("coati_auth_total{method=\"password\",result=\"failure\"}"));
    assertEquals(0, s.get("coati_auth_total{method=\"mschapv2\",result=\"failure\"}"));
    assertEquals(2, s.get("coati_auth_seconds_count"));
    assertEquals(1, s.get("coati_pool_addresses{state=\"leased\"}"));
    assertEquals(1, s.get("coati_ppp_sessions"));
    m.ikeDeleted(ok, "deleted by peer");
    assertEquals(0, parse(m.render()).get("coati_ike_sas{kind=\"remote_access\"}"));
  }

  @Test
  void guessingRefusalsAndHalfOpenDropsAreCountedAndSummarised() throws Exception {
    Metrics m = new Metrics();
    long[] now = {0};
    GuessingGuard guard =
        new GuessingGuard(new GuessingLimits(10, 1, 1_000, 1_000, 0, 1, 900_000), () -> now[0]);
    m.guessing(guard, Runnable::run);
    guard.failed("bob", "192.0.2.9");
    assertEquals(GuessingGuard.Refusal.USER_BACKOFF, guard.check("bob", "192.0.2.9"));
    m.engine(new EngineCounters());
    Map<String, Double> s = parse(m.render());
    assertEquals(1, s.get("coati_auth_refused_total{reason=\"user_backoff\"}"));
    assertEquals(0, s.get("coati_auth_refused_total{reason=\"source_backoff\"}"));
    assertEquals(0, s.get("coati_ike_half_open"));
    assertEquals(0, s.get("coati_ike_half_open_dropped_total{reason=\"evicted\"}"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.reportGuessing(60_000, new PrintStream(out, true));
    String line = out.toString();
    assertTrue(line.startsWith("auth: 1 wrong credentials and 1 attempts refused"), line);
    out.reset();
    m.reportGuessing(90_000, new PrintStream(out, true));
    assertEquals("", out.toString(), "at most a line a minute");
  }

  @Test
  void endpointServesMetricsOnly() throws Exception {
    Metrics m = new Metrics();
    try (MetricsServer server =
        new MetricsServer(new java.net.InetSocketAddress("127.0.0.1", 0), m)) {
      String base = "http://127.0.0.1:" + server.address().getPort();
      HttpClient c = HttpClient.newHttpClient();
      HttpResponse<String> r =
          c.send(
              HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      assertEquals(0, parse(r.body()).get("coati_ike_handshakes_total{result=\"established\"}"));
      HttpResponse<String> other =
          c.send(
              HttpRequest.newBuilder(URI.create(base + "/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(404, other.statusCode());
      HttpResponse<String> post =
          c.send(
              HttpRequest.newBuilder(URI.create(base + "/metrics"))
                  .POST(HttpRequest.BodyPublishers.ofString("x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(405, post.statusCode());
    }
  }

  @Test
  void halfSentRequests_neitherStallTheEndpointNorHoldTheirConnections() throws Exception {
    Metrics m = new Metrics();
    java.util.List<java.net.Socket> slow = new java.util.ArrayList<>();
    try (MetricsServer server =
        new MetricsServer(new java.net.InetSocketAddress("127.0.0.1", 0), m)) {
      int port = server.address().getPort();
      for (int i = 0; i < 50; i++) {
        java.net.Socket s = new java.net.Socket("127.0.0.1", port);
        s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes());
        slow.add(s);
      }
      HttpClient c =
          HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2)).build();
      long start = System.nanoTime();
      HttpResponse<String> r =
          c.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                  .timeout(java.time.Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms < 1000, "a scrape behind 50 half-sent requests took " + ms + " ms");
      // each half-sent request is closed once its time is up
      for (java.net.Socket s : slow) {
        s.setSoTimeout(MetricsServer.REQUEST_MILLIS + 3000);
        assertEquals(-1, s.getInputStream().read(), "the server closes a request never finished");
      }
      assertTrue(server.refused() >= 50 - MetricsServer.MAX_CONNECTIONS, "" + server.refused());
      assertEquals(
          (double) server.refused(),
          parse(m.render()).get("coati_metrics_connections_refused_total"));
    } finally {
      for (java.net.Socket s : slow) {
        s.close();
      }
    }
  }

  /** An Xauth client's SA as the engine shows it: no user at phase 1, one after Xauth. */
  static final class XauthClient implements dev.coati.ike.IkeSaView {
    final IdleWatchTest.Client base = new IdleWatchTest.Client("ike[7]", null);
    String user;

    @Override
    public String name() {
      return base.name();
    }

    @Override
    public dev.coati.ike.PeerAddress peer() {
      return base.peer();
    }

    @Override
    public dev.coati.ike.PeerAddress local() {
      return base.local();
    }

    @Override
    public boolean isInitiator() {
      return false;
    }

    @Override
    public java.util.Optional<dev.coati.ike.wire.IdPayload> peerId() {
      return java.util.Optional.empty();
    }

    @Override
    public java.util.Set<dev.coati.ike.PeerFeature> peerFeatures() {
      return java.util.Set.of();
    }

    @Override
    public int microsoftVersion() {
      return -1;
    }

    @Override
    public dev.coati.ike.IkeSa.State state() {
      return dev.coati.ike.IkeSa.State.ESTABLISHED;
    }

    @Override
    public java.util.Optional<String> user() {
      return java.util.Optional.ofNullable(user);
    }
  }

  @Test
  void anXauthClient_countsAsRemoteAccessOnceItsUserIsKnown() {
    Metrics m = new Metrics();
    XauthClient sa = new XauthClient();
    m.ikeEstablished(sa); // phase 1 done, Xauth not yet
    assertEquals(1, parse(m.render()).get("coati_ike_sas{kind=\"other\"}"));
    sa.user = "alice"; // Xauth succeeded
    m.snapshot(10, 10, 0, 0); // the next tick
    Map<String, Double> s = parse(m.render());
    assertEquals(1, s.get("coati_ike_sas{kind=\"remote_access\"}"));
    assertEquals(0, s.get("coati_ike_sas{kind=\"other\"}"));
    m.ikeDeleted(sa, "deleted by peer");
    assertEquals(0, parse(m.render()).get("coati_ike_sas{kind=\"remote_access\"}"));
  }
}
