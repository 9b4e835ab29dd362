package dev.coati.server.ops;

import dev.coati.ike.IkeSaView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One line of {@code coati status} ({@code nat}: the peer is behind a NAT): an IKE SA (Xauth road
 * warrior or site-to-site) or an L2TP/PPP session with the IKE SA under it. {@code ike} is the
 * engine's SA (for kicks; never shown); {@code accountingId} the session's RADIUS Acct-Session-Id
 * (also in the event log), null for sessions without a user.
 */
public record SessionRow(
    String kind,
    String session,
    String l2tpSession,
    String user,
    String auth,
    String client,
    String peer,
    boolean nat,
    String address,
    String ikeAlgorithms,
    List<Child> children,
    long uptimeSeconds,
    long idleSeconds,
    List<String> vendorIds,
    IkeSaView ike,
    String accountingId) {

  /** One ESP SA pair: SPIs, mode, algorithms, selectors and (if counted) traffic. */
  public record Child(
      String spis,
      String mode,
      String algorithms,
      String local,
      String remote,
      long bytesIn,
      long packetsIn,
      long bytesOut,
      long packetsOut) {
    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("spis", spis);
      m.put("mode", mode);
      m.put("algorithms", algorithms);
      m.put("local_ts", local);
      m.put("remote_ts", remote);
      m.put("bytes_in", bytesIn);
      m.put("packets_in", packetsIn);
      m.put("bytes_out", bytesOut);
      m.put("packets_out", packetsOut);
      return m;
    }
  }

  /** True if {@code selector} names this row: its user, address, public address or session. */
  public boolean matches(String selector) {
    String peerIp = peer == null ? null : peer.substring(0, peer.lastIndexOf(':'));
    for (String s : new String[] {user, address, peer, peerIp, session, l2tpSession}) {
      if (s != null && s.equalsIgnoreCase(selector)) {
        return true;
      }
    }
    return false;
  }

  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind);
    m.put("session", session);
    m.put("l2tp_session", l2tpSession);
    m.put("user", user);
    m.put("auth", auth);
    m.put("client", client);
    m.put("public_address", peer);
    m.put("nat", nat);
    m.put("address", address);
    m.put("ike", ikeAlgorithms);
    List<Object> cs = new ArrayList<>();
    long[] sum = new long[4];
    for (Child c : children) {
      cs.add(c.json());
      sum[0] += c.bytesIn();
      sum[1] += c.packetsIn();
      sum[2] += c.bytesOut();
      sum[3] += c.packetsOut();
    }
    m.put("esp", cs);
    m.put("bytes_in", sum[0]);
    m.put("packets_in", sum[1]);
    m.put("bytes_out", sum[2]);
    m.put("packets_out", sum[3]);
    m.put("uptime_seconds", uptimeSeconds);
    m.put("idle_seconds", idleSeconds);
    m.put("vendor_ids", vendorIds);
    m.put("acct_session_id", accountingId);
    return m;
  }

  /** The JSON array of {@code rows}. */
  public static String json(List<SessionRow> rows) {
    return Json.write(rows.stream().map(SessionRow::json).toList());
  }

  /** The human table: one line per session, its IKE and ESP details indented under it. */
  public static String table(List<SessionRow> rows) {
    if (rows.isEmpty()) {
      return "no sessions\n";
    }
    String fmt = "%-22s %-12s %-12s %-22s %-3s %-15s %-9s %s%n";
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            fmt, "SESSION", "KIND", "USER", "PUBLIC", "NAT", "ADDRESS", "UPTIME", "CLIENT"));
    for (SessionRow r : rows) {
      sb.append(
          String.format(
              fmt,
              r.l2tpSession != null ? r.l2tpSession : r.session,
              r.kind,
              dash(r.user),
              dash(r.peer),
              r.nat ? "yes" : "no",
              dash(r.address),
              duration(r.uptimeSeconds),
              r.client));
      sb.append("    ike ")
          .append(dash(r.ikeAlgorithms))
          .append(" auth ")
          .append(r.auth)
          .append(r.session == null ? "" : " sa " + r.session)
          .append(", idle ")
          .append(duration(r.idleSeconds))
          .append('\n');
      for (Child c : r.children) {
        sb.append(
            String.format(
                Locale.ROOT,
                "    esp %s %s %s %s === %s in %d B/%d pkts out %d B/%d pkts%n",
                c.spis(),
                c.mode(),
                c.algorithms(),
                c.local(),
                c.remote(),
                c.bytesIn(),
                c.packetsIn(),
                c.bytesOut(),
                c.packetsOut()));
      }
    }
    return sb.toString();
  }

  private static String dash(String s) {
    return s == null ? "-" : s;
  }

  static String duration(long s) {
    if (s < 0) {
      return "-";
    }
    return s >= 3600
        ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
        : String.format("%dm%02ds", s / 60, s % 60);
  }
}
