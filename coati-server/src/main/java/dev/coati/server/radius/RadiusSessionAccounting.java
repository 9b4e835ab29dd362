package dev.coati.server.radius;

import dev.coati.radius.RadiusAccountingRecords.Counters;
import dev.coati.radius.RadiusAccountingRecords.Session;
import dev.coati.radius.RadiusAccountingRecords.TerminateCause;
import dev.coati.server.dataplane.Traffic;
import dev.coati.server.events.SessionEvent;
import dev.coati.util.Ipv4Address;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Turns session events ({@code up}, {@code interim}, {@code down}) into RADIUS accounting Start,
 * Interim-Update and Stop with the session's Acct-Session-Id, Class, duration and counters (octets
 * and packets of the client's IP packets; input: from the client).
 */
public record RadiusSessionAccounting(RadiusAccounting accounting, boolean radiusAuthenticated)
    implements Consumer<SessionEvent> {

  @Override
  public void accept(SessionEvent e) {
    switch (e.type()) {
      case "up" -> accounting.start(session(e));
      case "interim" -> accounting.interim(session(e), counters(e));
      case "down" -> accounting.stop(session(e), counters(e), cause(e.reason()));
      default -> {
        // auth_failed: nothing to account
      }
    }
  }

  private static Counters counters(SessionEvent e) {
    Traffic t = e.traffic() == null ? Traffic.ZERO : e.traffic();
    return new Counters(t.inOctets(), t.outOctets(), t.inPackets(), t.outPackets(), e.seconds());
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
    String id = e.accountingId() != null ? e.accountingId() : e.kind() + "-" + e.session();
    return new Session(id, e.user(), a, e.peer(), e.radiusClass(), radiusAuthenticated);
  }

  /** Acct-Terminate-Cause (RFC 2866 section 5.10) from the down reason's words. */
  static TerminateCause cause(String reason) {
    String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
    if (r.contains("shutting down") || r.contains("shutdown")) {
      return TerminateCause.NAS_REBOOT; // the gateway stops: every session ends, whatever layer
    }
    if (r.contains("session timeout")) {
      return TerminateCause.SESSION_TIMEOUT;
    }
    if (r.contains("idle timeout")) {
      return TerminateCause.IDLE_TIMEOUT;
    }
    if (r.contains("operator") || r.contains("disconnect-request")) {
      return TerminateCause.ADMIN_RESET;
    }
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
    if (r.contains("stop")) {
      return TerminateCause.NAS_REBOOT;
    }
    return TerminateCause.NAS_REQUEST;
  }
}
