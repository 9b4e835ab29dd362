package dev.coati.radius;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.auth.AuthRequest;
import dev.coati.auth.AuthResult;
import dev.coati.util.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RadiusAuthMappingTest {
  static RadiusPacket answer(int code, RadiusAttribute... attrs) {
    return new RadiusPacket(code, 1, new byte[16], List.of(attrs));
  }

  @Test
  void plain_sendsUserPassword() {
    List<RadiusAttribute> a =
        RadiusAuthMapping.attributes(new AuthRequest.Plain("alice", "pw".getBytes()));
    assertEquals("alice", a.get(0).text());
    assertTrue(a.get(1).is(0, Radius.USER_PASSWORD));
    assertEquals(2, a.size());
  }

  @Test
  void chap_sendsIdentifierResponseAndChallenge() {
    byte[] ch = new byte[16];
    Arrays.fill(ch, (byte) 5);
    byte[] resp = new byte[16];
    Arrays.fill(resp, (byte) 9);
    List<RadiusAttribute> a =
        RadiusAuthMapping.attributes(new AuthRequest.ChapMd5("bob", 22, ch, resp));
    byte[] pw = a.get(1).value();
    assertEquals(17, pw.length);
    assertEquals(22, pw[0]);
    assertArrayEquals(resp, Arrays.copyOfRange(pw, 1, 17));
    assertArrayEquals(ch, a.get(2).value());
    assertTrue(a.get(2).is(0, Radius.CHAP_CHALLENGE));
  }

  @Test
  void msChapV2_sendsMicrosoftAttributes() {
    byte[] auth = new byte[16];
    byte[] peer = new byte[16];
    Arrays.fill(peer, (byte) 1);
    byte[] nt = new byte[24];
    Arrays.fill(nt, (byte) 2);
    List<RadiusAttribute> a =
        RadiusAuthMapping.attributes(new AuthRequest.MsChapV2("u", auth, peer, nt));
    assertTrue(a.get(1).is(Radius.VENDOR_MICROSOFT, Radius.MS_CHAP_CHALLENGE));
    byte[] r = a.get(2).value();
    assertEquals(50, r.length);
    assertArrayEquals(peer, Arrays.copyOfRange(r, 2, 18));
    assertArrayEquals(new byte[8], Arrays.copyOfRange(r, 18, 26));
    assertArrayEquals(nt, Arrays.copyOfRange(r, 26, 50));
  }

  @Test
  void accept_mapsAddressTimeoutsClassAndAuthenticatorResponse() {
    AuthRequest req = new AuthRequest.MsChapV2("u", new byte[16], new byte[16], new byte[24]);
    String s = "S=407A5589115FD0D6209F510FE9C04566932CDA56";
    AuthResult r =
        RadiusAuthMapping.result(
            req,
            answer(
                Radius.ACCESS_ACCEPT,
                RadiusAttribute.address(Radius.FRAMED_IP_ADDRESS, Ipv4Address.parse("10.66.0.77")),
                RadiusAttribute.integer(Radius.SESSION_TIMEOUT, 3600),
                RadiusAttribute.integer(Radius.IDLE_TIMEOUT, 600),
                RadiusAttribute.integer(Radius.ACCT_INTERIM_INTERVAL, 300),
                RadiusAttribute.text(Radius.CLASS, "c1"),
                RadiusAttribute.vendor(
                    Radius.VENDOR_MICROSOFT,
                    Radius.MS_CHAP2_SUCCESS,
                    ("\1" + s).getBytes(StandardCharsets.US_ASCII))),
            "srv");
    assertTrue(r.success());
    assertEquals("10.66.0.77", r.staticAddress().orElseThrow().toString());
    assertEquals(s, r.authenticatorResponse().orElseThrow());
    assertEquals(3600, r.session().sessionTimeoutSeconds());
    assertEquals(600, r.session().idleTimeoutSeconds());
    assertEquals(300, r.session().interimIntervalSeconds());
    assertArrayEquals("c1".getBytes(), r.session().radiusClass());
  }

  @Test
  void accept_withoutMsChap2Success_failsForMsChapV2() {
    AuthRequest req = new AuthRequest.MsChapV2("u", new byte[16], new byte[16], new byte[24]);
    AuthResult r = RadiusAuthMapping.result(req, answer(Radius.ACCESS_ACCEPT), "srv");
    assertFalse(r.success());
    assertEquals(691, r.errorCode());
  }

  @Test
  void accept_framedAddressNasSelects_isNoStaticAddress() {
    AuthResult r =
        RadiusAuthMapping.result(
            new AuthRequest.Plain("a", new byte[1]),
            answer(
                Radius.ACCESS_ACCEPT,
                RadiusAttribute.address(
                    Radius.FRAMED_IP_ADDRESS, Ipv4Address.parse("255.255.255.254"))),
            "srv");
    assertTrue(r.success());
    assertTrue(r.staticAddress().isEmpty());
  }

  @Test
  void reject_mapsMsChapErrorAndReplyMessage() {
    AuthRequest req = new AuthRequest.MsChapV2("u", new byte[16], new byte[16], new byte[24]);
    AuthResult r =
        RadiusAuthMapping.result(
            req,
            answer(
                Radius.ACCESS_REJECT,
                RadiusAttribute.text(Radius.REPLY_MESSAGE, "go away\n"),
                RadiusAttribute.vendor(
                    Radius.VENDOR_MICROSOFT,
                    Radius.MS_CHAP_ERROR,
                    "\1E=648 R=0 C=00 V=3".getBytes(StandardCharsets.US_ASCII))),
            "srv");
    assertFalse(r.success());
    assertEquals(648, r.errorCode());
    assertEquals("rejected by RADIUS srv (go away?)", r.reason());
    AuthResult plain =
        RadiusAuthMapping.result(
            new AuthRequest.Plain("a", new byte[1]), answer(Radius.ACCESS_REJECT), "srv");
    assertFalse(plain.success());
    assertEquals(0, plain.errorCode());
  }

  @Test
  void challenge_isAFailure() {
    AuthResult r =
        RadiusAuthMapping.result(
            new AuthRequest.Plain("a", new byte[1]), answer(Radius.ACCESS_CHALLENGE), "srv");
    assertFalse(r.success());
  }

  @Test
  void accounting_stopCarriesCountersGigawordsAndCause() throws RadiusException {
    var s =
        new RadiusAccountingRecords.Session(
            "coati-1",
            "alice",
            Ipv4Address.parse("10.66.0.77"),
            "192.0.2.1:4500",
            new byte[0],
            true);
    var c = new RadiusAccountingRecords.Counters(5L << 32 | 7, 100, 3, 4, 60);
    RadiusPacket p =
        new RadiusPacket(
            Radius.ACCOUNTING_REQUEST,
            1,
            new byte[16],
            RadiusAccountingRecords.stop(
                s, c, RadiusAccountingRecords.TerminateCause.LOST_CARRIER));
    assertEquals(Radius.ACCT_STATUS_STOP, p.find(Radius.ACCT_STATUS_TYPE).orElseThrow().integer());
    assertEquals(7, p.find(Radius.ACCT_INPUT_OCTETS).orElseThrow().integer());
    assertEquals(5, p.find(Radius.ACCT_INPUT_GIGAWORDS).orElseThrow().integer());
    assertTrue(p.find(Radius.ACCT_OUTPUT_GIGAWORDS).isEmpty());
    assertEquals(2, p.find(Radius.ACCT_TERMINATE_CAUSE).orElseThrow().integer());
    assertEquals("coati-1", p.find(Radius.ACCT_SESSION_ID).orElseThrow().text());
    assertEquals(1, RadiusAccountingRecords.start(s).stream().filter(a -> a.is(0, 40)).count());
  }
}
