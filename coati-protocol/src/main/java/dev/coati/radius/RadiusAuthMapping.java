package dev.coati.radius;

import dev.coati.auth.AuthRequest;
import dev.coati.auth.AuthResult;
import dev.coati.util.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps coati's {@link AuthRequest} to Access-Request attributes and the answer back to an {@link
 * AuthResult}:
 *
 * <ul>
 *   <li>Plain (Xauth, PAP): User-Password (hidden by {@link RadiusSigner}).
 *   <li>CHAP-MD5: CHAP-Password (identifier + response) and CHAP-Challenge (RFC 2865 5.3, 5.40).
 *   <li>MS-CHAPv2: MS-CHAP-Challenge and MS-CHAP2-Response (RFC 2548 2.3.2); the Accept's
 *       MS-CHAP2-Success carries the "S=..." authenticator response for the PPP Success packet.
 * </ul>
 */
public final class RadiusAuthMapping {
  private static final Pattern ERROR = Pattern.compile("E=(\\d+)");

  private RadiusAuthMapping() {}

  /** User-Name, the method's attributes and PPP framing hints (the caller adds NAS-*). */
  public static List<RadiusAttribute> attributes(AuthRequest request) {
    List<RadiusAttribute> a = new ArrayList<>();
    a.add(RadiusAttribute.text(Radius.USER_NAME, request.user()));
    switch (request) {
      case AuthRequest.Plain p -> a.add(RadiusAttribute.of(Radius.USER_PASSWORD, p.password()));
      case AuthRequest.ChapMd5 c -> {
        byte[] v = new byte[1 + c.response().length];
        v[0] = (byte) c.identifier();
        System.arraycopy(c.response(), 0, v, 1, c.response().length);
        a.add(RadiusAttribute.of(Radius.CHAP_PASSWORD, v));
        a.add(RadiusAttribute.of(Radius.CHAP_CHALLENGE, c.challenge()));
      }
      case AuthRequest.MsChapV2 m -> {
        a.add(
            RadiusAttribute.vendor(
                Radius.VENDOR_MICROSOFT, Radius.MS_CHAP_CHALLENGE, m.authenticatorChallenge()));
        // Ident, Flags, Peer-Challenge (16), Reserved (8), Response (24).
        byte[] v = new byte[50];
        System.arraycopy(m.peerChallenge(), 0, v, 2, Math.min(16, m.peerChallenge().length));
        System.arraycopy(m.ntResponse(), 0, v, 26, Math.min(24, m.ntResponse().length));
        a.add(RadiusAttribute.vendor(Radius.VENDOR_MICROSOFT, Radius.MS_CHAP2_RESPONSE, v));
      }
    }
    if (!(request instanceof AuthRequest.Plain)) {
      a.add(RadiusAttribute.integer(Radius.SERVICE_TYPE, Radius.SERVICE_TYPE_FRAMED));
      a.add(RadiusAttribute.integer(Radius.FRAMED_PROTOCOL, Radius.FRAMED_PROTOCOL_PPP));
    }
    return a;
  }

  /** The verified answer as a result; {@code server} names the server for the reason. */
  public static AuthResult result(AuthRequest request, RadiusPacket answer, String server) {
    boolean ms = request instanceof AuthRequest.MsChapV2;
    int failCode = ms ? AuthResult.ERROR_AUTHENTICATION_FAILURE : 0;
    String user = request.user();
    String reply = answer.find(Radius.REPLY_MESSAGE).map(RadiusAttribute::text).orElse(null);
    if (answer.code() == Radius.ACCESS_CHALLENGE) {
      return AuthResult.failure(
          user, "RADIUS " + server + " sent an Access-Challenge, which coati does not support", 0);
    }
    if (answer.code() != Radius.ACCESS_ACCEPT) {
      if (ms) {
        failCode =
            answer
                .find(Radius.VENDOR_MICROSOFT, Radius.MS_CHAP_ERROR)
                .map(RadiusAuthMapping::errorCode)
                .orElse(failCode);
      }
      return AuthResult.failure(
          user,
          "rejected by RADIUS " + server + (reply != null ? " (" + clean(reply) + ")" : ""),
          failCode);
    }
    String authResponse = null;
    if (ms) {
      Optional<RadiusAttribute> s = answer.find(Radius.VENDOR_MICROSOFT, Radius.MS_CHAP2_SUCCESS);
      if (s.isEmpty() || s.get().value().length < 2) {
        return AuthResult.failure(
            user, "RADIUS " + server + " accepted MS-CHAPv2 without MS-CHAP2-Success", failCode);
      }
      byte[] v = s.get().value();
      authResponse = new String(v, 1, v.length - 1, StandardCharsets.US_ASCII);
    }
    Ipv4Address address = null;
    long session = 0;
    long idle = 0;
    long interim = 0;
    try {
      Optional<RadiusAttribute> f = answer.find(Radius.FRAMED_IP_ADDRESS);
      if (f.isPresent()) {
        Ipv4Address ip = f.get().address();
        // 255.255.255.255: the user may choose; 255.255.255.254: the NAS picks (the pool).
        address = ip.value() == -1 || ip.value() == -2 ? null : ip;
      }
      Optional<RadiusAttribute> st = answer.find(Radius.SESSION_TIMEOUT);
      session = st.isPresent() ? st.get().integer() : 0;
      Optional<RadiusAttribute> it = answer.find(Radius.IDLE_TIMEOUT);
      idle = it.isPresent() ? it.get().integer() : 0;
      Optional<RadiusAttribute> ii = answer.find(Radius.ACCT_INTERIM_INTERVAL);
      interim = ii.isPresent() ? ii.get().integer() : 0;
    } catch (RadiusException e) {
      return AuthResult.failure(user, "RADIUS " + server + ": " + e.getMessage(), failCode);
    }
    byte[] cls = answer.find(Radius.CLASS).map(RadiusAttribute::value).orElse(new byte[0]);
    return AuthResult.success(user, address, 0, authResponse)
        .withSession(new AuthResult.Session(session, idle, interim, cls));
  }

  /** MS-CHAP-Error: Ident then "E=691 R=0 C=... V=3 M=..." (RFC 2759 section 6). */
  static int errorCode(RadiusAttribute a) {
    String s = new String(a.value(), StandardCharsets.US_ASCII);
    Matcher m = ERROR.matcher(s);
    if (m.find() && m.group(1).length() <= 6) {
      return Integer.parseInt(m.group(1));
    }
    return AuthResult.ERROR_AUTHENTICATION_FAILURE;
  }

  /** A Reply-Message for the log: printable ASCII only, at most 80 characters. */
  static String clean(String s) {
    String t = s.replaceAll("[^\\x20-\\x7e]", "?");
    return t.length() > 80 ? t.substring(0, 80) : t;
  }
}
