package dev.coati.radius;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.util.Hex;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RadiusCodecTest {
  /** RFC 2865 section 7.1: User Telnet to Specified Host (secret xyzzy5461). */
  static final byte[] REQUEST_7_1 =
      hex(
          "01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a 01 06 6e 65 6d 6f 02 12 0d"
              + " be 70 8d 93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8 01 10 05 06 00 00 00 03");

  static final byte[] ACCEPT_7_1 =
      hex(
          "02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf 9b 55 e0 b2 06 06 00 00 00 01 0f 06 00"
              + " 00 00 00 0e 06 c0 a8 01 03");

  /** RFC 2865 section 7.2: Framed User Authenticating with CHAP. */
  static final byte[] CHAP_7_2 =
      hex(
          "01 01 00 47 2a ee 86 f0 8d 0d 55 96 9c a5 97 8e 0d 33 67 a2 01 08 66 6c 6f 70 73 79 03"
              + " 13 16 e9 75 57 c3 16 18 58 95 f2 93 ff 63 44 07 72 75 04 06 c0 a8 01 10 05 06 00"
              + " 00 00 14 06 06 00 00 00 02 07 06 00 00 00 01");

  /** RFC 2865 section 7.3: an Access-Challenge. */
  static final byte[] CHALLENGE_7_3 =
      hex(
          "0b 02 00 4e 36 f3 c8 76 4a e8 c7 11 57 40 3c 0c 71 ff 9c 45 12 30 43 68 61 6c 6c 65 6e"
              + " 67 65 20 33 32 37 36 39 34 33 30 2e 20 20 45 6e 74 65 72 20 72 65 73 70 6f 6e 73"
              + " 65 20 61 74 20 70 72 6f 6d 70 74 2e 18 0a 33 32 37 36 39 34 33 30");

  static byte[] hex(String s) {
    return Hex.decode(s.replace(" ", ""));
  }

  @Test
  void rfc2865_7_1_accessRequest_decodesAndReencodes() throws RadiusException {
    RadiusPacket p = RadiusCodec.decode(REQUEST_7_1);
    assertEquals(Radius.ACCESS_REQUEST, p.code());
    assertEquals(0, p.identifier());
    assertEquals(4, p.attributes().size());
    assertEquals("nemo", p.find(Radius.USER_NAME).orElseThrow().text());
    assertEquals("192.168.1.16", p.find(Radius.NAS_IP_ADDRESS).orElseThrow().address().toString());
    assertEquals(3, p.find(Radius.NAS_PORT).orElseThrow().integer());
    assertArrayEquals(REQUEST_7_1, RadiusCodec.encode(p));
  }

  @Test
  void rfc2865_7_1_accessAccept_decodesAndReencodes() throws RadiusException {
    RadiusPacket p = RadiusCodec.decode(ACCEPT_7_1);
    assertEquals(Radius.ACCESS_ACCEPT, p.code());
    assertEquals(1, p.find(Radius.SERVICE_TYPE).orElseThrow().integer());
    assertEquals("192.168.1.3", p.find(14).orElseThrow().address().toString());
    assertArrayEquals(ACCEPT_7_1, RadiusCodec.encode(p));
  }

  @Test
  void rfc2865_7_2_chapRequest() throws RadiusException {
    RadiusPacket p = RadiusCodec.decode(CHAP_7_2);
    assertEquals("flopsy", p.find(Radius.USER_NAME).orElseThrow().text());
    byte[] chap = p.find(Radius.CHAP_PASSWORD).orElseThrow().value();
    assertEquals(17, chap.length);
    assertEquals(22, chap[0]);
    assertEquals(Radius.SERVICE_TYPE_FRAMED, p.find(Radius.SERVICE_TYPE).orElseThrow().integer());
    assertArrayEquals(CHAP_7_2, RadiusCodec.encode(p));
  }

  @Test
  void rfc2865_7_3_challenge() throws RadiusException {
    RadiusPacket p = RadiusCodec.decode(CHALLENGE_7_3);
    assertEquals(Radius.ACCESS_CHALLENGE, p.code());
    assertEquals(
        "Challenge 32769430.  Enter response at prompt.",
        p.find(Radius.REPLY_MESSAGE).orElseThrow().text());
    assertEquals("32769430", p.find(Radius.STATE).orElseThrow().text());
    assertArrayEquals(CHALLENGE_7_3, RadiusCodec.encode(p));
  }

  @Test
  void vendorSpecific_roundTripsAndSplitsSubAttributes() throws RadiusException {
    RadiusPacket p =
        new RadiusPacket(
            Radius.ACCESS_ACCEPT,
            7,
            new byte[16],
            List.of(
                RadiusAttribute.vendor(
                    Radius.VENDOR_MICROSOFT,
                    Radius.MS_CHAP2_SUCCESS,
                    "\0S=0123".getBytes(StandardCharsets.US_ASCII)),
                RadiusAttribute.text(Radius.REPLY_MESSAGE, "hi")));
    byte[] b = RadiusCodec.encode(p);
    // 26, len, vendor 0x0000_0137, vendor type, vendor length
    assertArrayEquals(hex("1a 0f 00 00 01 37 1a 09"), java.util.Arrays.copyOfRange(b, 20, 28));
    RadiusPacket back = RadiusCodec.decode(b);
    assertEquals(
        "\0S=0123",
        back.find(Radius.VENDOR_MICROSOFT, Radius.MS_CHAP2_SUCCESS).orElseThrow().text());
    assertEquals("hi", back.find(Radius.REPLY_MESSAGE).orElseThrow().text());
    // One VSA with two sub-attributes becomes two attributes.
    byte[] two =
        hex("02 00 00 20 00000000000000000000000000000000 1a 0c 00 00 01 37 01 03 41 02 03 42");
    RadiusPacket t = RadiusCodec.decode(two);
    assertEquals(2, t.attributes().size());
    assertEquals("B", t.find(Radius.VENDOR_MICROSOFT, 2).orElseThrow().text());
  }

  @Test
  void malformedVendorSpecific_staysRaw() throws RadiusException {
    byte[] b = hex("01 00 00 1b 00000000000000000000000000000000 1a 07 00 00 01 37 01");
    RadiusPacket p = RadiusCodec.decode(b);
    assertEquals(Radius.VENDOR_SPECIFIC, p.attributes().get(0).type());
    assertEquals(0, p.attributes().get(0).vendor());
  }

  @Test
  void truncatedPrefixes_areRefused() {
    for (byte[] whole : List.of(REQUEST_7_1, ACCEPT_7_1, CHAP_7_2, CHALLENGE_7_3)) {
      for (int n = 0; n < whole.length; n++) {
        byte[] cut = java.util.Arrays.copyOf(whole, n);
        assertThrows(RadiusException.class, () -> RadiusCodec.decode(cut));
      }
    }
  }

  @Test
  void paddingPastLength_isIgnored() throws RadiusException {
    byte[] padded = java.util.Arrays.copyOf(REQUEST_7_1, REQUEST_7_1.length + 9);
    assertArrayEquals(REQUEST_7_1, RadiusCodec.encode(RadiusCodec.decode(padded)));
  }

  @Test
  void badAttributeLengths_areRefused() {
    byte[] b = REQUEST_7_1.clone();
    b[21] = 1; // User-Name length 1
    assertThrows(RadiusException.class, () -> RadiusCodec.decode(b));
    b[21] = (byte) 200; // past the end
    assertThrows(RadiusException.class, () -> RadiusCodec.decode(b));
    byte[] c = REQUEST_7_1.clone();
    c[3] = 19;
    assertThrows(RadiusException.class, () -> RadiusCodec.decode(c));
  }

  @Property(tries = 3000)
  void anyBytes_onlyRadiusException(@ForAll @Size(max = 300) byte[] data) {
    try {
      RadiusPacket p = RadiusCodec.decode(data);
      assertTrue(RadiusCodec.encode(p).length >= RadiusCodec.HEADER_LENGTH);
      RadiusSigner.verifyResponse(data, REQUEST_7_1, new byte[] {1}, true);
    } catch (RadiusException expected) {
      // the only allowed failure
    }
  }

  @Property(tries = 2000)
  void anyValidHeaderWithRandomAttributes_onlyRadiusException(
      @ForAll @Size(max = 200) byte[] attrs) {
    byte[] b = new byte[20 + attrs.length];
    b[0] = Radius.ACCESS_ACCEPT;
    b[2] = (byte) (b.length >>> 8);
    b[3] = (byte) b.length;
    System.arraycopy(attrs, 0, b, 20, attrs.length);
    try {
      RadiusCodec.decode(b);
      RadiusSigner.verifyResponse(b, REQUEST_7_1, new byte[] {1}, false);
    } catch (RadiusException expected) {
      // the only allowed failure
    }
  }
}
