package dev.coati.server.metrics;

import dev.coati.ike.ChildSa;
import dev.coati.ike.IkeListener;
import dev.coati.ike.IkeSaView;
import dev.coati.server.dataplane.DataPlane;
import dev.coati.server.dataplane.DropCounters;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

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
  private final Map<String, Boolean> remoteAccess = new ConcurrentHashMap<>();
  private volatile DataPlane dataPlane;
  private volatile long poolCapacity;
  private volatile long poolFree;
  private volatile long l2tpTunnels;
  private volatile long l2tpSessions;

  public void dataPlane(DataPlane dp) {
    this.dataPlane = dp;
  }

  @Override
  public void ikeEstablished(IkeSaView sa) {
    established.increment();
    up.add(sa.name());
    remoteAccess.put(sa.name(), sa.user().isPresent() || sa.virtualAddress().isPresent());
  }

  @Override
  public void ikeDeleted(IkeSaView sa, String reason) {
    if (!up.remove(sa.name())) {
      failed.computeIfAbsent(classify(reason), k -> new LongAdder()).increment();
    }
    remoteAccess.remove(sa.name());
  }

  @Override
  public void childEstablished(IkeSaView sa, ChildSa child) {
    childrenEstablished.increment();
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
  }

  /** The exposition text. */
  public String render() {
    StringBuilder b = new StringBuilder(4096);
    long ra = remoteAccess.values().stream().filter(Boolean::booleanValue).count();
    head(b, "coati_ike_sas", "gauge", "IKE SAs established now, by kind");
    sample(b, "coati_ike_sas", "kind=\"remote_access\"", ra);
    sample(b, "coati_ike_sas", "kind=\"other\"", remoteAccess.size() - ra);
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
    for (String m : java.util.List.of("password", "chap", "mschapv2")) {
      for (String r : java.util.List.of("success", "failure")) {
        LongAdder n = auth.get(m + "," + r);
        sample(
            b,
            "coati_auth_total",
            "method=\"" + m + "\",result=\"" + r + "\"",
            n == null ? 0 : n.sum());
      }
    }
    head(b, "coati_auth_seconds", "summary", "time the user backend took");
    b.append("coati_auth_seconds_sum ").append(authSeconds.sum() / 1e6).append('\n');
    sample(b, "coati_auth_seconds_count", null, authCount.sum());
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
