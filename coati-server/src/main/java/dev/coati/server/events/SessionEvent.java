package dev.coati.server.events;

import dev.coati.server.dataplane.Traffic;

/**
 * What happened to a user's session: {@code up} (address assigned), {@code interim} (still up; for
 * RADIUS Interim-Update only), {@code down} (with how long it lasted, what it moved and why) or
 * {@code auth_failed}. {@code kind}: "xauth" or "l2tp". Never holds a secret.
 *
 * @param address the assigned address, or null
 * @param seconds the session's duration ({@code interim}, {@code down}), else 0
 * @param reason why it ended or failed, or null
 * @param traffic what it moved so far ({@code interim}, {@code down}), else null
 * @param accountingId the session's RADIUS Acct-Session-Id, unique across restarts (null: none)
 * @param radiusClass the Class of the Access-Accept, echoed in accounting (empty: none)
 */
public record SessionEvent(
    String type,
    String kind,
    String session,
    String user,
    String peer,
    String address,
    long seconds,
    String reason,
    Traffic traffic,
    String accountingId,
    byte[] radiusClass) {
  private static final byte[] NONE = new byte[0];

  public static SessionEvent up(String kind, String session, String user, String peer, String a) {
    return new SessionEvent("up", kind, session, user, peer, a, 0, null, null, null, NONE);
  }

  public static SessionEvent down(
      String kind, String session, String user, String peer, String a, long s, String reason) {
    return new SessionEvent(
        "down", kind, session, user, peer, a, s, reason, Traffic.ZERO, null, NONE);
  }

  public static SessionEvent authFailed(String kind, String user, String peer, String reason) {
    return new SessionEvent(
        "auth_failed", kind, null, user, peer, null, 0, reason, null, null, NONE);
  }

  /** This event as {@code type} with the session's duration and traffic so far. */
  public SessionEvent as(String type, long seconds, String reason, Traffic traffic) {
    return new SessionEvent(
        type,
        kind,
        session,
        user,
        peer,
        address,
        seconds,
        reason,
        traffic,
        accountingId,
        radiusClass);
  }

  /** This event with its accounting identity. */
  public SessionEvent accounted(String id, byte[] cls) {
    return new SessionEvent(
        type,
        kind,
        session,
        user,
        peer,
        address,
        seconds,
        reason,
        traffic,
        id,
        cls == null ? NONE : cls);
  }

  /** One JSON object, keys in a fixed order, absent values left out. */
  public String toJson(long epochMillis) {
    StringBuilder b = new StringBuilder(160).append("{\"time\":").append(epochMillis);
    field(b, "event", type);
    field(b, "kind", kind);
    field(b, "session", session);
    field(b, "user", user);
    field(b, "peer", peer);
    field(b, "address", address);
    field(b, "acct_session_id", accountingId);
    if (!type.equals("up") && !type.equals("auth_failed")) {
      b.append(",\"seconds\":").append(seconds);
    }
    if (traffic != null) {
      b.append(",\"bytes_in\":")
          .append(traffic.inOctets())
          .append(",\"bytes_out\":")
          .append(traffic.outOctets())
          .append(",\"packets_in\":")
          .append(traffic.inPackets())
          .append(",\"packets_out\":")
          .append(traffic.outPackets());
    }
    field(b, "reason", reason);
    return b.append('}').toString();
  }

  private static void field(StringBuilder b, String key, String value) {
    if (value == null) {
      return;
    }
    b.append(",\"").append(key).append("\":\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
