package dev.coati.radius;

import dev.coati.util.Ipv4Address;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a verified Disconnect-Request (RFC 5176 section 2.1) asks coati to end: every session that
 * matches all the session identification attributes present (section 3: "MUST apply to all matching
 * sessions"), and the NAS identification it was addressed with. Absent attributes are null. coati
 * identifies sessions by User-Name, Acct-Session-Id, Framed-IP-Address and Calling-Station-Id, the
 * attributes its accounting sends, so a RADIUS server can copy them from the Accounting-Request.
 *
 * @param nasIdentifier the NAS-Identifier, which matched ours
 * @param nasIpAddress the NAS-IP-Address, which is one of ours
 */
public record DisconnectRequest(
    String userName,
    String acctSessionId,
    Ipv4Address framedIpAddress,
    String callingStationId,
    String nasIdentifier,
    Ipv4Address nasIpAddress) {

  /** How far an Event-Timestamp may be from our clock (RFC 5176 section 6.4). */
  public static final long EVENT_TIMESTAMP_WINDOW_SECONDS = 300;

  /**
   * Who coati is as a NAS: the NAS-Identifier a request's must equal, and the addresses a
   * NAS-IP-Address may name (empty: a request with a NAS-IP-Address is never ours).
   */
  public record Nas(String identifier, Set<Ipv4Address> addresses) {
    public Nas {
      Objects.requireNonNull(identifier);
      addresses = Set.copyOf(addresses);
    }
  }

  /**
   * The request in {@code p} (already verified with the client's secret), or why not:
   *
   * <ul>
   *   <li>an Event-Timestamp more than {@value #EVENT_TIMESTAMP_WINDOW_SECONDS} s from {@code
   *       clock}: silently discarded (replay protection, section 6.4), before anything else;
   *   <li>an attribute coati does not act on: NAK 401 Unsupported Attribute (section 3.5). That is
   *       every session identification attribute but the four above (matching on fewer than the
   *       client named would end too many sessions), Vendor-Specific, and the Service-Type and
   *       State that only a CoA-Request may carry (the table in section 3.6). Proxy-State,
   *       Message-Authenticator, Event-Timestamp and Acct-Terminate-Cause are accepted; the first
   *       two are the server's business, the last is ignored;
   *   <li>an attribute twice: NAK 404 Invalid Request; a value that is not its type (an address of
   *       other than 4 bytes, empty or non-UTF-8 text): NAK 407 Invalid Attribute Value;
   *   <li>a NAS-Identifier other than ours, or a NAS-IP-Address not among ours: NAK 403 NAS
   *       Identification Mismatch (section 3);
   *   <li>none of the four session identification attributes: NAK 402 Missing Attribute.
   * </ul>
   */
  public static DisconnectRequest parse(RadiusPacket p, Nas nas, Clock clock)
      throws DynamicAuthException {
    String[] text = new String[256];
    Ipv4Address[] address = new Ipv4Address[256];
    Long timestamp = null;
    DynamicAuthException refused = null;
    boolean[] seen = new boolean[256];
    for (RadiusAttribute a : p.attributes()) {
      int t = a.type();
      try {
        if (a.vendor() != 0 || t == Radius.VENDOR_SPECIFIC) {
          throw DynamicAuthException.nak(
              Radius.ERROR_UNSUPPORTED_ATTRIBUTE, "Vendor-Specific attributes are not supported");
        }
        if (t == Radius.PROXY_STATE || t == Radius.MESSAGE_AUTHENTICATOR) {
          continue;
        }
        if (seen[t]) {
          throw DynamicAuthException.nak(
              Radius.ERROR_INVALID_REQUEST, "attribute " + t + " appears more than once");
        }
        seen[t] = true;
        switch (t) {
          case Radius.USER_NAME,
              Radius.ACCT_SESSION_ID,
              Radius.CALLING_STATION_ID,
              Radius.NAS_IDENTIFIER ->
              text[t] = text(a);
          case Radius.FRAMED_IP_ADDRESS, Radius.NAS_IP_ADDRESS -> address[t] = address(a);
          case Radius.EVENT_TIMESTAMP -> timestamp = integer(a);
          case Radius.ACCT_TERMINATE_CAUSE -> integer(a);
          case Radius.SERVICE_TYPE, Radius.STATE ->
              throw DynamicAuthException.nak(
                  Radius.ERROR_UNSUPPORTED_ATTRIBUTE,
                  (t == Radius.STATE ? "State" : "Service-Type")
                      + " belongs in a CoA-Request, not a Disconnect-Request");
          default ->
              throw DynamicAuthException.nak(
                  Radius.ERROR_UNSUPPORTED_ATTRIBUTE,
                  "attribute "
                      + t
                      + " is not supported (coati identifies sessions by User-Name,"
                      + " Acct-Session-Id, Framed-IP-Address and Calling-Station-Id)");
        }
      } catch (DynamicAuthException e) {
        refused = refused == null ? e : refused;
      }
    }
    if (timestamp != null) {
      long skew = Math.abs(clock.instant().getEpochSecond() - timestamp);
      if (skew > EVENT_TIMESTAMP_WINDOW_SECONDS) {
        throw DynamicAuthException.discard(
            "Event-Timestamp is "
                + skew
                + " s away from our clock (more than "
                + EVENT_TIMESTAMP_WINDOW_SECONDS
                + " s: a replay, or a clock to set right)");
      }
    }
    if (refused != null) {
      throw refused;
    }
    DisconnectRequest r =
        new DisconnectRequest(
            text[Radius.USER_NAME],
            text[Radius.ACCT_SESSION_ID],
            address[Radius.FRAMED_IP_ADDRESS],
            text[Radius.CALLING_STATION_ID],
            text[Radius.NAS_IDENTIFIER],
            address[Radius.NAS_IP_ADDRESS]);
    if (r.nasIdentifier != null && !r.nasIdentifier.equals(nas.identifier())) {
      throw DynamicAuthException.nak(
          Radius.ERROR_NAS_IDENTIFICATION_MISMATCH,
          "NAS-Identifier '"
              + printable(r.nasIdentifier)
              + "' is not ours ("
              + nas.identifier()
              + ")");
    }
    if (r.nasIpAddress != null && !nas.addresses().contains(r.nasIpAddress)) {
      throw DynamicAuthException.nak(
          Radius.ERROR_NAS_IDENTIFICATION_MISMATCH,
          "NAS-IP-Address " + r.nasIpAddress + " is not one of ours");
    }
    if (r.userName == null
        && r.acctSessionId == null
        && r.framedIpAddress == null
        && r.callingStationId == null) {
      throw DynamicAuthException.nak(
          Radius.ERROR_MISSING_ATTRIBUTE,
          "no User-Name, Acct-Session-Id, Framed-IP-Address or Calling-Station-Id names a session");
    }
    return r;
  }

  /**
   * Whether a session with these values is one this request names: each session identification
   * attribute present equals the session's (null: the session has none, and never matches).
   */
  public boolean matches(
      String user, String sessionId, Ipv4Address framedAddress, String callingStation) {
    return (userName == null || userName.equals(user))
        && (acctSessionId == null || acctSessionId.equals(sessionId))
        && (framedIpAddress == null || framedIpAddress.equals(framedAddress))
        && (callingStationId == null || callingStationId.equals(callingStation));
  }

  /** The session identification for a log line, e.g. "User-Name alice, Acct-Session-Id 17". */
  public String describe() {
    List<String> parts = new ArrayList<>();
    if (userName != null) {
      parts.add("User-Name " + printable(userName));
    }
    if (acctSessionId != null) {
      parts.add("Acct-Session-Id " + printable(acctSessionId));
    }
    if (framedIpAddress != null) {
      parts.add("Framed-IP-Address " + framedIpAddress);
    }
    if (callingStationId != null) {
      parts.add("Calling-Station-Id " + printable(callingStationId));
    }
    return String.join(", ", parts);
  }

  /** At most 64 characters, control characters as '?', so a client cannot forge log lines. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().limit(64).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return s.codePointCount(0, s.length()) > 64 ? b + "..." : b.toString();
  }

  private static String text(RadiusAttribute a) throws DynamicAuthException {
    try {
      if (a.value().length > 0) {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(a.value()))
            .toString();
      }
    } catch (CharacterCodingException e) {
      // reported below
    }
    throw DynamicAuthException.nak(
        Radius.ERROR_INVALID_ATTRIBUTE_VALUE,
        "attribute " + a.type() + " is not text (empty, or not UTF-8)");
  }

  private static Ipv4Address address(RadiusAttribute a) throws DynamicAuthException {
    try {
      return a.address();
    } catch (RadiusException e) {
      throw DynamicAuthException.nak(Radius.ERROR_INVALID_ATTRIBUTE_VALUE, e.getMessage());
    }
  }

  private static long integer(RadiusAttribute a) throws DynamicAuthException {
    try {
      return a.integer();
    } catch (RadiusException e) {
      throw DynamicAuthException.nak(Radius.ERROR_INVALID_ATTRIBUTE_VALUE, e.getMessage());
    }
  }
}
