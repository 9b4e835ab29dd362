package dev.coati.radius;

import dev.coati.util.Ipv4Address;
import java.util.ArrayList;
import java.util.List;

/**
 * The attributes of Accounting-Request Start, Interim-Update and Stop (RFC 2866 section 5, RFC 2869
 * section 5.1 for Interim-Update). The caller adds NAS-Identifier / NAS-IP-Address.
 */
public final class RadiusAccountingRecords {
  private RadiusAccountingRecords() {}

  /** Acct-Terminate-Cause values (RFC 2866 section 5.10). */
  public enum TerminateCause {
    USER_REQUEST(1),
    LOST_CARRIER(2),
    IDLE_TIMEOUT(4),
    SESSION_TIMEOUT(5),
    ADMIN_RESET(6),
    NAS_ERROR(9),
    NAS_REQUEST(10),
    NAS_REBOOT(11);

    public final int code;

    TerminateCause(int code) {
      this.code = code;
    }
  }

  /**
   * One session: its unique Acct-Session-Id, the user, the leased address (null: none), the
   * client's public address and port as Calling-Station-Id (null: none), the Class from the
   * Access-Accept (empty: none) and whether RADIUS authenticated the user (Acct-Authentic).
   */
  public record Session(
      String sessionId,
      String user,
      Ipv4Address framedAddress,
      String callingStationId,
      byte[] radiusClass,
      boolean radiusAuthenticated) {}

  /** What the session moved, both directions from the client's view (input: from the client). */
  public record Counters(
      long inputOctets,
      long outputOctets,
      long inputPackets,
      long outputPackets,
      long sessionSeconds) {
    public static final Counters ZERO = new Counters(0, 0, 0, 0, 0);
  }

  public static List<RadiusAttribute> start(Session s) {
    return common(s, Radius.ACCT_STATUS_START);
  }

  public static List<RadiusAttribute> interim(Session s, Counters c) {
    List<RadiusAttribute> a = common(s, Radius.ACCT_STATUS_INTERIM);
    counters(a, c);
    return a;
  }

  public static List<RadiusAttribute> stop(Session s, Counters c, TerminateCause cause) {
    List<RadiusAttribute> a = common(s, Radius.ACCT_STATUS_STOP);
    counters(a, c);
    a.add(RadiusAttribute.integer(Radius.ACCT_TERMINATE_CAUSE, cause.code));
    return a;
  }

  /**
   * Accounting-On ({@code on}) or Accounting-Off (RFC 2866 section 5.1, values 7 and 8): the NAS
   * starts or stops; the server may end every session it still records for this NAS (FreeRADIUS's
   * sqlippool frees its leases). {@code sessionId}: an Acct-Session-Id no session uses.
   */
  public static List<RadiusAttribute> nasState(boolean on, String sessionId) {
    List<RadiusAttribute> a = new ArrayList<>();
    a.add(
        RadiusAttribute.integer(
            Radius.ACCT_STATUS_TYPE,
            on ? Radius.ACCT_STATUS_ACCOUNTING_ON : Radius.ACCT_STATUS_ACCOUNTING_OFF));
    a.add(RadiusAttribute.text(Radius.ACCT_SESSION_ID, sessionId));
    a.add(RadiusAttribute.integer(Radius.NAS_PORT_TYPE, Radius.NAS_PORT_TYPE_VIRTUAL));
    return a;
  }

  private static List<RadiusAttribute> common(Session s, int status) {
    List<RadiusAttribute> a = new ArrayList<>();
    a.add(RadiusAttribute.integer(Radius.ACCT_STATUS_TYPE, status));
    a.add(RadiusAttribute.text(Radius.ACCT_SESSION_ID, s.sessionId()));
    a.add(RadiusAttribute.text(Radius.USER_NAME, s.user()));
    a.add(
        RadiusAttribute.integer(
            Radius.ACCT_AUTHENTIC,
            s.radiusAuthenticated() ? Radius.ACCT_AUTHENTIC_RADIUS : Radius.ACCT_AUTHENTIC_LOCAL));
    if (s.framedAddress() != null) {
      a.add(RadiusAttribute.address(Radius.FRAMED_IP_ADDRESS, s.framedAddress()));
    }
    if (s.callingStationId() != null) {
      a.add(RadiusAttribute.text(Radius.CALLING_STATION_ID, s.callingStationId()));
    }
    if (s.radiusClass() != null && s.radiusClass().length > 0) {
      a.add(RadiusAttribute.of(Radius.CLASS, s.radiusClass()));
    }
    a.add(RadiusAttribute.integer(Radius.SERVICE_TYPE, Radius.SERVICE_TYPE_FRAMED));
    a.add(RadiusAttribute.integer(Radius.NAS_PORT_TYPE, Radius.NAS_PORT_TYPE_VIRTUAL));
    return a;
  }

  /** Octets above 2^32 go to the Gigawords attributes (RFC 2869 section 5.1). */
  private static void counters(List<RadiusAttribute> a, Counters c) {
    a.add(RadiusAttribute.integer(Radius.ACCT_SESSION_TIME, c.sessionSeconds()));
    a.add(RadiusAttribute.integer(Radius.ACCT_INPUT_OCTETS, c.inputOctets() & 0xffffffffL));
    a.add(RadiusAttribute.integer(Radius.ACCT_OUTPUT_OCTETS, c.outputOctets() & 0xffffffffL));
    a.add(RadiusAttribute.integer(Radius.ACCT_INPUT_PACKETS, c.inputPackets()));
    a.add(RadiusAttribute.integer(Radius.ACCT_OUTPUT_PACKETS, c.outputPackets()));
    if (c.inputOctets() >>> 32 != 0) {
      a.add(RadiusAttribute.integer(Radius.ACCT_INPUT_GIGAWORDS, c.inputOctets() >>> 32));
    }
    if (c.outputOctets() >>> 32 != 0) {
      a.add(RadiusAttribute.integer(Radius.ACCT_OUTPUT_GIGAWORDS, c.outputOctets() >>> 32));
    }
  }
}
