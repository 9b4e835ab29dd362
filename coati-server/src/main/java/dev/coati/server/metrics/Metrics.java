package dev.coati.server.metrics;

import dev.coati.auth.GuessingGuard;
import dev.coati.ike.ChildSa;
import dev.coati.ike.EngineCounters;
import dev.coati.ike.HalfOpenDrop;
import dev.coati.ike.IkeListener;
import dev.coati.ike.IkeSaView;
import dev.coati.server.auth.FairAuthQueue;
import dev.coati.server.dataplane.DataPlane;
import dev.coati.server.dataplane.DropCounters;
import dev.coati.server.dataplane.InvalidSpiNotifier;
import dev.coati.server.log.LogSetup;
import dev.coati.server.queues.BoundedQueues;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The gateway's counters and gauges in Prometheus text format (version 0.0.4): IKE handshakes
 * (established, failed by reason class), SAs and sessions by kind, authentications by method and
 * outcome with their latency, data-plane packets, bytes and drops by reason, pool usage. Counters
 * are written by the socket, TUN and auth threads; gauges are snapshots the socket thread takes
 * every tick ({@link #snapshot}), so a scrape never touches the engine's state. Label values come
 * from fixed sets: no client can grow the output.
 */
public final class Metrics implements IkeListener {
  /** Failure reasons, classified from the engine's text so the label set stays bounded. */
  static final Set<String> REASONS =
      Set.of("timeout", "authentication", "proposal", "peer", "other");

  private final LongAdder established = new LongAdder();
  private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> auth = new ConcurrentHashMap<>();
  private final LongAdder authSeconds = new LongAdder(); // in microseconds
  private final LongAdder authCount = new LongAdder();
  private final LongAdder childrenEstablished = new LongAdder();
  private final Set<String> up = ConcurrentHashMap.newKeySet();
  // established IKE SAs; sorted into kinds on the socket thread, where Xauth and mode config
  // fill in the user and the address after phase 1 (so not at ikeEstablished)
  private final Map<String, IkeSaView> live = new ConcurrentHashMap<>();
  private volatile long remoteAccessSas;
  private volatile long otherSas;
  private volatile DataPlane dataPlane;
  private volatile InvalidSpiNotifier invalidSpi;
  private volatile LongSupplier httpRefused = () -> 0;
  private volatile long poolCapacity;
  private volatile long poolFree;
  private volatile long l2tpTunnels;
  private volatile long l2tpSessions;
  private volatile long halfOpen;
  private final long[] halfOpenDrops = new long[HalfOpenDrop.values().length];
  private volatile GuessingGuard guard;
  private volatile Executor authQueue;
  private long reportedAt;
  private long reportedFailures;
  private long reportedRefusals;

  public void dataPlane(DataPlane dp) {
    this.dataPlane = dp;
  }

  /** The INVALID-SPI notifier's counters (null: no data plane). */
  public void invalidSpi(InvalidSpiNotifier n) {
    this.invalidSpi = n;
  }

  /** The /metrics server's count of connections closed unserved. */
  void httpRefused(LongSupplier refused) {
    this.httpRefused = refused;
  }

  @Override
  public void ikeEstablished(IkeSaView sa) {
    established.increment();
    up.add(sa.name());
    live.put(sa.name(), sa);
    sortSas();
  }

  /** Counts the live SAs by kind (socket thread: reads the SAs' state). */
  private void sortSas() {
    long ra = 0;
    for (IkeSaView sa : live.values()) {
      if (sa.user().isPresent() || sa.virtualAddress().isPresent()) {
        ra++;
      }
    }
    remoteAccessSas = ra;
    otherSas = live.size() - ra;
  }

  @Override
  public void ikeDeleted(IkeSaView sa, String reason) {
    if (!up.remove(sa.name())) {
      failed.computeIfAbsent(classify(reason), k -> new LongAdder()).increment();
    }
    live.remove(sa.name());
    sortSas();
  }

  @Override
  public void childEstablished(IkeSaView sa, ChildSa child) {
    childrenEstablished.increment();
    sortSas();
  }

  static String classify(String reason) {
    String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
    if (r.contains("timed out") || r.contains("timeout") || r.contains("no answer")) {
      return "timeout";
    }
    if (r.contains("auth") || r.contains("hash") || r.contains("psk") || r.contains("xauth")) {
      return "authentication";
    }
    if (r.contains("proposal") || r.contains("no_proposal")) {
      return "proposal";
    }
    if (r.contains("by peer") || r.contains("peer")) {
      return "peer";
    }
    return "other";
  }

  /** One verdict of the user backend; {@code seconds}: how long it took. */
  public void authenticated(String method, boolean ok, double seconds) {
    auth.computeIfAbsent(method + "," + (ok ? "success" : "failure"), k -> new LongAdder())
        .increment();
    authSeconds.add((long) (seconds * 1e6));
    authCount.increment();
  }

  private volatile long duplicatesAnswered;
  private volatile long duplicatesDropped;

  /** The engine's duplicate counters, taken on the socket thread every tick. */
  public void ikeDuplicates(long answered, long dropped) {
    this.duplicatesAnswered = answered;
    this.duplicatesDropped = dropped;
  }

  /** Gauges, taken on the socket thread every tick. */
  public void snapshot(long capacity, long free, long tunnels, long sessions) {
    this.poolCapacity = capacity;
    this.poolFree = free;
    this.l2tpTunnels = tunnels;
    this.l2tpSessions = sessions;
    sortSas();
  }

  /** The guessing budgets and the auth queue whose refusals are counted (set once). */
  public void guessing(GuessingGuard g, Executor queue) {
    this.guard = g;
    this.authQueue = queue;
  }

  private long queueRejected() {
    return authQueue instanceof FairAuthQueue q ? q.rejected() : 0;
  }

  /**
   * Once a minute, when anything was refused or failed: one summary line instead of a line per
   * guess (socket thread, from the tick).
   */
  public void reportGuessing(long now, PrintStream out) {
    GuessingGuard g = guard;
    if (g == null || now - reportedAt < 60_000) {
      return;
    }
    long f = g.failures();
    long src = g.refused(GuessingGuard.Refusal.SOURCE_BACKOFF);
    long usr = g.refused(GuessingGuard.Refusal.USER_BACKOFF);
    long refusals = src + usr + queueRejected();
    if (f != reportedFailures || refusals != reportedRefusals) {
      out.println(
          "auth: "
              + (f - reportedFailures)
              + " wrong credentials and "
              + (refusals - reportedRefusals)
              + " attempts refused unchecked since the last report (totals: source back-off "
              + src
              + ", user back-off "
              + usr
              + ", queue full "
              + queueRejected()
              + ")");
    }
    reportedAt = now;
    reportedFailures = f;
    reportedRefusals = refusals;
  }

  private void renderGuessing(StringBuilder b) {
    GuessingGuard g = guard;
    if (g == null) {
      return;
    }
    head(b, "coati_auth_refused_total", "counter", "logins refused unchecked, by reason");
    sample(
        b,
        "coati_auth_refused_total",
        "reason=\"source_backoff\"",
        g.refused(GuessingGuard.Refusal.SOURCE_BACKOFF));
    sample(
        b,
        "coati_auth_refused_total",
        "reason=\"user_backoff\"",
        g.refused(GuessingGuard.Refusal.USER_BACKOFF));
    sample(b, "coati_auth_refused_total", "reason=\"queue_full\"", queueRejected());
  }

  /** The engine's half-open counters, copied on the socket thread every tick. */
  public void engine(EngineCounters c) {
    this.halfOpen = c.halfOpen();
    synchronized (halfOpenDrops) {
      for (HalfOpenDrop d : HalfOpenDrop.values()) {
        halfOpenDrops[d.ordinal()] = c.halfOpenDrops(d);
      }
    }
  }

  private void renderHalfOpen(StringBuilder b) {
    head(
        b,
        "coati_ike_half_open",
        "gauge",
        "responder IKE SAs whose peer has not echoed our cookie");
    sample(b, "coati_ike_half_open", null, halfOpen);
    head(
        b,
        "coati_ike_half_open_dropped_total",
        "counter",
        "first messages refused and half-open IKE SAs dropped, by reason");
    synchronized (halfOpenDrops) {
      for (HalfOpenDrop d : HalfOpenDrop.values()) {
        sample(
            b,
            "coati_ike_half_open_dropped_total",
            "reason=\"" + d.name().toLowerCase(Locale.ROOT) + "\"",
            halfOpenDrops[d.ordinal()]);
      }
    }
  }

  /** The exposition text. */
  public String render() {
    StringBuilder b = new StringBuilder(4096);
    head(b, "coati_ike_sas", "gauge", "IKE SAs established now, by kind");
    sample(b, "coati_ike_sas", "kind=\"remote_access\"", remoteAccessSas);
    sample(b, "coati_ike_sas", "kind=\"other\"", otherSas);
    head(b, "coati_ike_handshakes_total", "counter", "IKE SAs by outcome (failed: by reason)");
    sample(b, "coati_ike_handshakes_total", "result=\"established\"", established.sum());
    for (String r : REASONS.stream().sorted().toList()) {
      LongAdder n = failed.get(r);
      sample(
          b,
          "coati_ike_handshakes_total",
          "result=\"failed\",reason=\"" + r + "\"",
          n == null ? 0 : n.sum());
    }
    renderHalfOpen(b);
    head(
        b,
        "coati_ike_duplicates_answered_total",
        "counter",
        "copies of a peer's IKE request answered with the cached answer");
    sample(b, "coati_ike_duplicates_answered_total", null, duplicatesAnswered);
    head(
        b,
        "coati_ike_duplicates_dropped_total",
        "counter",
        "copies of peer IKE messages dropped unanswered (answers to our own requests, stale ones)");
    sample(b, "coati_ike_duplicates_dropped_total", null, duplicatesDropped);
    head(b, "coati_esp_children_established_total", "counter", "ESP SA pairs negotiated");
    sample(b, "coati_esp_children_established_total", null, childrenEstablished.sum());
    head(b, "coati_l2tp_tunnels", "gauge", "L2TP tunnels now");
    sample(b, "coati_l2tp_tunnels", null, l2tpTunnels);
    head(b, "coati_ppp_sessions", "gauge", "L2TP/PPP sessions now");
    sample(b, "coati_ppp_sessions", null, l2tpSessions);
    head(b, "coati_auth_total", "counter", "user authentications by method and result");
    for (String m : List.of("password", "chap", "mschapv2")) {
      for (String r : List.of("success", "failure")) {
        LongAdder n = auth.get(m + "," + r);
        sample(
            b,
            "coati_auth_total",
            "method=\"" + m + "\",result=\"" + r + "\"",
            n == null ? 0 : n.sum());
      }
    }
    renderGuessing(b);
    head(b, "coati_auth_seconds", "summary", "time the user backend took");
    b.append("coati_auth_seconds_sum ").append(authSeconds.sum() / 1e6).append('\n');
    sample(b, "coati_auth_seconds_count", null, authCount.sum());
    head(b, "coati_log_dropped_total", "counter", "log lines dropped: the log reader was too slow");
    sample(b, "coati_log_dropped_total", null, LogSetup.dropped());
    head(b, "coati_queue_dropped_total", "counter", "tasks refused by a full bounded queue");
    BoundedQueues.drops()
        .forEach((q, n) -> sample(b, "coati_queue_dropped_total", "queue=\"" + q + "\"", n));
    head(b, "coati_pool_addresses", "gauge", "address pool: capacity and leased");
    sample(b, "coati_pool_addresses", "state=\"capacity\"", poolCapacity);
    sample(b, "coati_pool_addresses", "state=\"leased\"", poolCapacity - poolFree);
    DataPlane dp = dataPlane;
    if (dp != null) {
      head(b, "coati_dataplane_packets_total", "counter", "packets through the data plane");
      sample(b, "coati_dataplane_packets_total", "direction=\"in\"", dp.inPackets.sum());
      sample(b, "coati_dataplane_packets_total", "direction=\"out\"", dp.outPackets.sum());
      head(b, "coati_dataplane_bytes_total", "counter", "inner IP bytes through the data plane");
      sample(b, "coati_dataplane_bytes_total", "direction=\"in\"", dp.inBytes.sum());
      sample(b, "coati_dataplane_bytes_total", "direction=\"out\"", dp.outBytes.sum());
      head(b, "coati_dataplane_drops_total", "counter", "packets dropped, by reason");
      for (DropCounters.Reason r : DropCounters.Reason.values()) {
        sample(
            b,
            "coati_dataplane_drops_total",
            "reason=\"" + r.name().toLowerCase(Locale.ROOT) + "\"",
            dp.drops.get(r));
      }
    }
    InvalidSpiNotifier n = invalidSpi;
    if (n != null) {
      head(
          b,
          "coati_esp_invalid_spi_notifies_total",
          "counter",
          "ESP for unknown SPIs: INVALID-SPI notifies sent, or not (rate limit)");
      sample(b, "coati_esp_invalid_spi_notifies_total", "result=\"sent\"", n.sent());
      sample(b, "coati_esp_invalid_spi_notifies_total", "result=\"suppressed\"", n.suppressed());
    }
    head(
        b,
        "coati_metrics_connections_refused_total",
        "counter",
        "/metrics connections closed unserved (late, oversized or evicted requests)");
    sample(b, "coati_metrics_connections_refused_total", null, httpRefused.getAsLong());
    return b.toString();
  }

  private static void head(StringBuilder b, String name, String type, String help) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder b, String name, String labels, long v) {
    b.append(name);
    if (labels != null) {
      b.append('{').append(labels).append('}');
    }
    b.append(' ').append(v).append('\n');
  }
}
