package dev.coati.server.events;

/**
 * What happened to a user's session: {@code up} (address assigned), {@code down} (with how long it
 * lasted and why) or {@code auth_failed}. {@code kind}: "xauth" or "l2tp". Never holds a secret.
 *
 * @param address the assigned address, or null
 * @param seconds the session's duration ({@code down}), else 0
 * @param reason why it ended or failed, or null
 */
public record SessionEvent(
    String type,
    String kind,
    String session,
    String user,
    String peer,
    String address,
    long seconds,
    String reason) {
  public static SessionEvent up(String kind, String session, String user, String peer, String a) {
    return new SessionEvent("up", kind, session, user, peer, a, 0, null);
  }

  public static SessionEvent down(
      String kind, String session, String user, String peer, String a, long s, String reason) {
    return new SessionEvent("down", kind, session, user, peer, a, s, reason);
  }

  public static SessionEvent authFailed(String kind, String user, String peer, String reason) {
    return new SessionEvent("auth_failed", kind, null, user, peer, null, 0, reason);
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
    if (type.equals("down")) {
      b.append(",\"seconds\":").append(seconds);
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
