package dev.coati.server.radius;

import dev.coati.radius.RadiusAccountingRecords.Counters;
import dev.coati.radius.RadiusAccountingRecords.Session;
import dev.coati.radius.RadiusAccountingRecords.TerminateCause;
import dev.coati.server.events.SessionEvent;
import dev.coati.util.Ipv4Address;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Turns session events ({@code up}, {@code down}) into RADIUS accounting Start and Stop. The events
 * carry no byte counters and no Class: Stop has Acct-Session-Time only, zero octets and packets.
 * Acct-Session-Id is {@code kind-session} (e.g. {@code l2tp-...}).
 */
public record RadiusSessionAccounting(RadiusAccounting accounting, boolean radiusAuthenticated)
    implements Consumer<SessionEvent> {

  @Override
  public void accept(SessionEvent e) {
    switch (e.type()) {
      case "up" -> accounting.start(session(e));
      case "down" ->
          accounting.stop(session(e), new Counters(0, 0, 0, 0, e.seconds()), cause(e.reason()));
      default -> {
        // auth_failed: nothing to account
      }
    }
  }

  private Session session(SessionEvent e) {
    Ipv4Address a = null;
    if (e.address() != null) {
      try {
        a = Ipv4Address.parse(e.address());
      } catch (IllegalArgumentException x) {
        a = null;
      }
    }
    return new Session(
        e.kind() + "-" + e.session(), e.user(), a, e.peer(), new byte[0], radiusAuthenticated);
  }

  /** A best guess from the down reason's words. */
  static TerminateCause cause(String reason) {
    String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
    if (r.contains("echo")
        || r.contains("dpd")
        || r.contains("timed out")
        || r.contains("timeout")) {
      return TerminateCause.LOST_CARRIER;
    }
    if (r.contains("delete")
        || r.contains("cdn")
        || r.contains("terminate")
        || r.contains("client")) {
      return TerminateCause.USER_REQUEST;
    }
    if (r.contains("shutdown") || r.contains("stop")) {
      return TerminateCause.NAS_REBOOT;
    }
    return TerminateCause.NAS_REQUEST;
  }
}
