package dev.coati.radius;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.util.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** RFC 5176 Disconnect-Request: signing and verifying, and what coati accepts in one. */
class DisconnectRequestTest {
  static final byte[] SECRET = "dae-secret".getBytes(StandardCharsets.US_ASCII);
  static final long NOW = 1_750_000_000L;
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
  static final DisconnectRequest.Nas NAS =
      new DisconnectRequest.Nas("coati", Set.of(Ipv4Address.parse("192.0.2.1")));

  static RadiusPacket request(RadiusAttribute... attrs) {
    return new RadiusPacket(Radius.DISCONNECT_REQUEST, 7, new byte[16], List.of(attrs));
  }

  /** Signed as a DAC would, without a Message-Authenticator (radclient's default). */
  static byte[] signedWithout(RadiusPacket p, byte[] secret) {
    byte[] b = RadiusCodec.encode(p);
    System.arraycopy(RadiusSigner.md5(b, secret), 0, b, 4, 16);
    return b;
  }

  static DisconnectRequest parse(RadiusAttribute... attrs) throws DynamicAuthException {
    return DisconnectRequest.parse(request(attrs), NAS, CLOCK);
  }

  static int cause(RadiusAttribute... attrs) {
    DynamicAuthException e = assertThrows(DynamicAuthException.class, () -> parse(attrs));
    assertFalse(e.discard(), e.getMessage());
    return e.errorCause();
  }

  static RadiusAttribute user(String name) {
    return RadiusAttribute.text(Radius.USER_NAME, name);
  }

  @Test
  void signedRequest_verifies_withAndWithoutMessageAuthenticator() throws RadiusException {
    RadiusPacket p = request(user("alice"), RadiusAttribute.text(Radius.ACCT_SESSION_ID, "s1"));
    byte[] with = RadiusSigner.accountingRequest(p, SECRET);
    RadiusPacket v = RadiusSigner.verifyDynamicRequest(with, SECRET);
    assertEquals(Radius.DISCONNECT_REQUEST, v.code());
    assertTrue(v.find(Radius.MESSAGE_AUTHENTICATOR).isPresent());
    byte[] without = signedWithout(p, SECRET);
    assertEquals(
        "alice",
        RadiusSigner.verifyDynamicRequest(without, SECRET)
            .find(Radius.USER_NAME)
            .orElseThrow()
            .text());
    RadiusPacket coa = new RadiusPacket(Radius.COA_REQUEST, 8, new byte[16], List.of(user("a")));
    assertEquals(
        Radius.COA_REQUEST,
        RadiusSigner.verifyDynamicRequest(RadiusSigner.accountingRequest(coa, SECRET), SECRET)
            .code());
  }

  @Test
  void wrongSecret_andTampering_areRefused() {
    byte[] b = RadiusSigner.accountingRequest(request(user("alice")), SECRET);
    RadiusException e =
        assertThrows(
            RadiusException.class, () -> RadiusSigner.verifyDynamicRequest(b, "other".getBytes()));
    assertEquals("wrong Request Authenticator (is the shared secret right?)", e.getMessage());
    byte[] flipped = b.clone();
    flipped[22] ^= 1; // a letter of "alice"
    assertThrows(RadiusException.class, () -> RadiusSigner.verifyDynamicRequest(flipped, SECRET));
    // a wrong Message-Authenticator, with the Request Authenticator recomputed over it
    byte[] ma = b.clone();
    ma[ma.length - 1] ^= 1;
    Arrays.fill(ma, 4, 20, (byte) 0);
    System.arraycopy(RadiusSigner.md5(ma, SECRET), 0, ma, 4, 16);
    e = assertThrows(RadiusException.class, () -> RadiusSigner.verifyDynamicRequest(ma, SECRET));
    assertEquals("wrong Message-Authenticator in the request", e.getMessage());
    // an Access-Request is no Dynamic Authorization request, whatever its signature
    byte[] access =
        RadiusSigner.accountingRequest(
            new RadiusPacket(Radius.ACCESS_REQUEST, 1, new byte[16], List.of()), SECRET);
    assertThrows(RadiusException.class, () -> RadiusSigner.verifyDynamicRequest(access, SECRET));
  }

  @Test
  void ackAndNak_areSignedWithTheRequestAuthenticator_andVerifyAtTheClient()
      throws RadiusException {
    byte[] req = RadiusSigner.accountingRequest(request(user("alice")), SECRET);
    byte[] auth = Arrays.copyOfRange(req, 4, 20);
    RadiusPacket ack = new RadiusPacket(Radius.DISCONNECT_ACK, 7, new byte[16], List.of());
    byte[] a = RadiusSigner.response(ack, auth, SECRET);
    // ResponseAuth = MD5(Code+Identifier+Length+RequestAuth+Attributes+Secret), RFC 5176 2.3
    byte[] z = a.clone();
    System.arraycopy(auth, 0, z, 4, 16);
    assertArrayEquals(RadiusSigner.md5(z, SECRET), Arrays.copyOfRange(a, 4, 20));
    assertEquals(Radius.DISCONNECT_ACK, RadiusSigner.verifyResponse(a, req, SECRET, true).code());
    RadiusPacket nak =
        new RadiusPacket(
            Radius.DISCONNECT_NAK,
            7,
            new byte[16],
            List.of(
                RadiusAttribute.integer(
                    Radius.ERROR_CAUSE, Radius.ERROR_SESSION_CONTEXT_NOT_FOUND)));
    RadiusPacket n =
        RadiusSigner.verifyResponse(RadiusSigner.response(nak, auth, SECRET), req, SECRET, true);
    assertEquals(503, n.find(Radius.ERROR_CAUSE).orElseThrow().integer());
    RadiusPacket coaAck = new RadiusPacket(Radius.COA_ACK, 7, new byte[16], List.of());
    assertThrows(
        RadiusException.class,
        () ->
            RadiusSigner.verifyResponse(
                RadiusSigner.response(coaAck, auth, SECRET), req, SECRET, true));
  }

  @Test
  void sessionIdentification_isRead() throws DynamicAuthException {
    DisconnectRequest r =
        parse(
            user("alice"),
            RadiusAttribute.text(Radius.ACCT_SESSION_ID, "coati-17"),
            RadiusAttribute.address(Radius.FRAMED_IP_ADDRESS, Ipv4Address.parse("10.66.0.77")),
            RadiusAttribute.text(Radius.CALLING_STATION_ID, "192.0.2.10:4500"),
            RadiusAttribute.text(Radius.NAS_IDENTIFIER, "coati"),
            RadiusAttribute.address(Radius.NAS_IP_ADDRESS, Ipv4Address.parse("192.0.2.1")),
            RadiusAttribute.integer(Radius.EVENT_TIMESTAMP, NOW - 299),
            RadiusAttribute.integer(Radius.ACCT_TERMINATE_CAUSE, 6),
            RadiusAttribute.of(Radius.PROXY_STATE, new byte[] {1, 2}),
            RadiusAttribute.of(Radius.PROXY_STATE, new byte[] {3}));
    assertEquals(
        new DisconnectRequest(
            "alice",
            "coati-17",
            Ipv4Address.parse("10.66.0.77"),
            "192.0.2.10:4500",
            "coati",
            Ipv4Address.parse("192.0.2.1")),
        r);
    assertEquals(
        "User-Name alice, Acct-Session-Id coati-17, Framed-IP-Address 10.66.0.77,"
            + " Calling-Station-Id 192.0.2.10:4500",
        r.describe());
    assertTrue(r.matches("alice", "coati-17", Ipv4Address.parse("10.66.0.77"), "192.0.2.10:4500"));
    assertFalse(r.matches("alice", "coati-18", Ipv4Address.parse("10.66.0.77"), "192.0.2.10:4500"));
    DisconnectRequest byName = parse(user("bob"));
    assertNull(byName.acctSessionId());
    assertTrue(byName.matches("bob", "any", null, null));
    assertFalse(byName.matches("alice", "any", null, null));
  }

  @Test
  void noSessionIdentification_isMissingAttribute402() {
    assertEquals(402, cause());
    assertEquals(402, cause(RadiusAttribute.text(Radius.NAS_IDENTIFIER, "coati")));
    assertEquals(402, cause(RadiusAttribute.integer(Radius.EVENT_TIMESTAMP, NOW)));
  }

  @Test
  void attributesCoatiDoesNotActOn_areUnsupported401() {
    assertEquals(401, cause(user("a"), RadiusAttribute.integer(Radius.SERVICE_TYPE, 17)));
    assertEquals(401, cause(user("a"), RadiusAttribute.of(Radius.STATE, new byte[] {1})));
    assertEquals(401, cause(user("a"), RadiusAttribute.integer(Radius.NAS_PORT, 1)));
    assertEquals(401, cause(user("a"), RadiusAttribute.text(Radius.CALLED_STATION_ID, "x")));
    assertEquals(401, cause(user("a"), RadiusAttribute.text(Radius.CLASS, "c")));
    assertEquals(
        401, cause(user("a"), RadiusAttribute.vendor(9, 1, "subscriber:command".getBytes())));
    assertEquals(401, cause(user("a"), RadiusAttribute.of(Radius.VENDOR_SPECIFIC, new byte[] {1})));
    // the first problem is the one reported
    assertEquals(
        401,
        cause(
            RadiusAttribute.integer(Radius.NAS_PORT, 1),
            RadiusAttribute.of(Radius.FRAMED_IP_ADDRESS, new byte[] {1})));
  }

  @Test
  void malformedValues_areInvalidAttributeValue407_andRepeats_InvalidRequest404() {
    assertEquals(407, cause(RadiusAttribute.of(Radius.FRAMED_IP_ADDRESS, new byte[] {10, 0, 0})));
    assertEquals(407, cause(user("a"), RadiusAttribute.of(Radius.NAS_IP_ADDRESS, new byte[5])));
    assertEquals(407, cause(RadiusAttribute.of(Radius.USER_NAME, new byte[0])));
    assertEquals(407, cause(RadiusAttribute.of(Radius.USER_NAME, new byte[] {(byte) 0xc3})));
    assertEquals(407, cause(user("a"), RadiusAttribute.of(Radius.EVENT_TIMESTAMP, new byte[3])));
    assertEquals(404, cause(user("a"), user("b")));
  }

  @Test
  void anotherNas_isNasIdentificationMismatch403() {
    assertEquals(403, cause(user("a"), RadiusAttribute.text(Radius.NAS_IDENTIFIER, "gw2")));
    assertEquals(
        403,
        cause(
            user("a"),
            RadiusAttribute.address(Radius.NAS_IP_ADDRESS, Ipv4Address.parse("192.0.2.2"))));
    DynamicAuthException e =
        assertThrows(
            DynamicAuthException.class,
            () ->
                DisconnectRequest.parse(
                    request(
                        user("a"),
                        RadiusAttribute.address(
                            Radius.NAS_IP_ADDRESS, Ipv4Address.parse("192.0.2.1"))),
                    new DisconnectRequest.Nas("coati", Set.of()),
                    CLOCK));
    assertEquals(403, e.errorCause());
    assertEquals("NAS-IP-Address 192.0.2.1 is not one of ours", e.getMessage());
  }

  @Test
  void staleEventTimestamp_isDiscarded_beforeAnyOtherCheck() throws DynamicAuthException {
    for (long t : new long[] {NOW - 301, NOW + 301, 0, 0xffffffffL}) {
      DynamicAuthException e =
          assertThrows(
              DynamicAuthException.class,
              () ->
                  parse(
                      RadiusAttribute.integer(Radius.NAS_PORT, 1),
                      RadiusAttribute.integer(Radius.EVENT_TIMESTAMP, t)));
      assertTrue(e.discard(), e.getMessage());
      assertEquals(0, e.errorCause());
    }
    assertEquals(
        "a",
        parse(user("a"), RadiusAttribute.integer(Radius.EVENT_TIMESTAMP, NOW + 300)).userName());
  }

  @Test
  void logText_cannotForgeLines() throws DynamicAuthException {
    String d = parse(user("eve\ncoati: forged " + "x".repeat(80))).describe();
    assertFalse(d.contains("\n"), d);
    assertTrue(d.startsWith("User-Name eve?coati: forged ") && d.endsWith("..."), d);
  }

  /** Every truncation and every single-bit flip of a signed request: RadiusException at most. */
  @Test
  void truncationsAndBitFlips_onlyRadiusException() {
    byte[] good =
        RadiusSigner.accountingRequest(
            request(
                user("alice"),
                RadiusAttribute.integer(Radius.EVENT_TIMESTAMP, NOW),
                RadiusAttribute.text(Radius.NAS_IDENTIFIER, "coati")),
            SECRET);
    List<byte[]> variants = new ArrayList<>();
    for (int n = 0; n < good.length; n++) {
      variants.add(Arrays.copyOf(good, n));
    }
    for (int bit = 0; bit < good.length * 8; bit++) {
      byte[] b = good.clone();
      b[bit / 8] ^= (byte) (1 << (bit % 8));
      variants.add(b);
    }
    int accepted = 0;
    for (byte[] v : variants) {
      accepted += verifyAndParse(v) ? 1 : 0;
    }
    // every change is caught by the Request Authenticator or the Message-Authenticator
    assertEquals(0, accepted);
    assertTrue(verifyAndParse(good));
  }

  @Property(tries = 2000)
  void randomAttributesUnderAValidSignature_onlyRadiusException(
      @ForAll byte[] attrs, @ForAll @IntRange(min = 0, max = 255) int code) {
    byte[] b = new byte[Math.min(4096, 20 + attrs.length)];
    System.arraycopy(attrs, 0, b, 20, b.length - 20);
    b[0] = (byte) (code < 128 ? Radius.DISCONNECT_REQUEST : code);
    b[2] = (byte) (b.length >>> 8);
    b[3] = (byte) b.length;
    System.arraycopy(RadiusSigner.md5(b, SECRET), 0, b, 4, 16);
    verifyAndParse(b);
  }

  /** Whether the bytes verify and parse; RadiusException (and subclasses) only. */
  static boolean verifyAndParse(byte[] b) {
    try {
      DisconnectRequest.parse(RadiusSigner.verifyDynamicRequest(b, SECRET), NAS, CLOCK);
      return true;
    } catch (RadiusException expected) {
      return false;
    }
  }
}
