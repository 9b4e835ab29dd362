package dev.coati.ppp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.coati.auth.AuthRequest;
import dev.coati.auth.AuthResult;
import dev.coati.ppp.wire.AuthProtocol;
import dev.coati.util.Hex;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whole sessions, frame by frame and byte-exact, as Windows RAS and Linux pppd run them against an
 * LNS (clients-and-user-needs.md: Windows sends MRU 1400 and CBCP, then CCP and IPV6CP; pppd sends
 * asyncmap 0, PFC/ACFC, VJ compression and compresses its non-LCP frames). Our magic is 05060708,
 * the CHAP identifier 09 and the challenge 0a..19 (SessionHost.counting()).
 */
class PppSessionClientsTest {
  static final String CHALLENGE =
      "ff03c223 0109001a 10 0a0b0c0d0e0f10111213141516171819 636f617469";
  static final String OUR_IPCP = "ff038021 0100000a 03060a090001";
  static final String LEASE_AND_DNS = "03060a090017 8106c0000235 8306c0000236";

  static String hex(String ascii) {
    return Hex.encode(ascii.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void windowsClient() {
    SessionHost h =
        new SessionHost(SessionHost.config(0, 1500, AuthProtocol.MSCHAPV2, AuthProtocol.CHAP_MD5));
    h.session.start(0);
    h.expect("ff03c021 0100000f 0305c22381 050605060708");
    // MRU 1400, magic, PFC, ACFC, Callback CBCP: the callback is rejected
    h.in("ff03c021 01000015 01040578 05063c1f5a22 0702 0802 0d0306");
    h.expect("ff03c021 04000007 0d0306");
    h.in("ff03c021 0200000f 0305c22381 050605060708");
    h.in("ff03c021 01010012 01040578 05063c1f5a22 0702 0802");
    h.expect("ff03c021 02010012 01040578 05063c1f5a22 0702 0802");
    h.expect(CHALLENGE);
    assertEquals(1400, h.session.peerMru());
    h.in("ff03c021 0c020012 3c1f5a22" + hex("MSRASV5.20"));
    h.expectNothing();
    String peerChallenge = "21402324255e262a28295f2b3a337c7e";
    String ntResponse = "82309ecd8d708b5ea08faa3981cd83544233114a3d85d6df";
    h.in(
        "ff03c223 0209003b 31"
            + peerChallenge
            + "0000000000000000"
            + ntResponse
            + "00"
            + hex("alice"));
    AuthRequest.MsChapV2 req =
        assertInstanceOf(AuthRequest.MsChapV2.class, h.authRequests.getFirst());
    assertEquals("alice", req.user());
    assertEquals("0a0b0c0d0e0f10111213141516171819", Hex.encode(req.authenticatorChallenge()));
    assertEquals(ntResponse, Hex.encode(req.ntResponse()));
    String s = "S=407A5589115FD0D6209F510FE9C04566932CDA56";
    h.session.authenticated(AuthResult.success("alice", null, 0, s), 10);
    h.expect("ff03c223 03090038" + hex(s + " M=Welcome"));
    h.expect(OUR_IPCP);
    assertEquals("alice", h.leases.getFirst().user());
    // CCP (MPPE): Protocol-Rejected, which Windows accepts over IPsec
    h.in("ff0380fd 0103000a 120601000001");
    h.expect("ff03c021 08010010 80fd 0103000a120601000001");
    h.in("ff038021 01040022 030600000000 810600000000 820600000000 830600000000 840600000000");
    h.expect("ff038021 04040010 820600000000 840600000000");
    h.in("ff038057 0105000e 010a1122334455667788");
    h.expect("ff03c021 08020014 8057 0105000e010a1122334455667788");
    h.in("ff038021 0200000a 03060a090001");
    h.in("ff038021 01050016 030600000000 810600000000 830600000000");
    h.expect("ff038021 03050016 " + LEASE_AND_DNS);
    h.in("ff038021 01060016 " + LEASE_AND_DNS);
    h.expect("ff038021 02060016 " + LEASE_AND_DNS);
    assertEquals(List.of("up 10.9.0.23 alice"), h.events);
    h.in("ff030021 4500001c");
    assertEquals("4500001c", Hex.encode(h.ip.getFirst()));
    h.in("ff03c021 05070010" + hex("User request"));
    h.expect("ff03c021 06070004");
    h.expectNothing();
    assertEquals(List.of("up 10.9.0.23 alice", "down peer terminated the link"), h.events);
  }

  @Test
  void linuxPppdClient() {
    SessionHost h =
        new SessionHost(
            SessionHost.config(
                0, 1500, AuthProtocol.MSCHAPV2, AuthProtocol.CHAP_MD5, AuthProtocol.PAP));
    h.session.start(0);
    h.expect("ff03c021 0100000f 0305c22381 050605060708");
    // mru 1400, asyncmap 0, magic, PFC, ACFC: all acked (SoftEther Q12)
    h.in("ff03c021 01010018 01040578 020600000000 050611223344 0702 0802");
    h.expect("ff03c021 02010018 01040578 020600000000 050611223344 0702 0802");
    // refuse-mschap-v2: pppd Naks with CHAP-MD5, which we offer next
    h.in("ff03c021 03000009 0305c22305");
    h.expect("ff03c021 0101000f 0305c22305 050605060708");
    h.in("ff03c021 0201000f 0305c22305 050605060708");
    h.expect(CHALLENGE);
    // from here pppd omits FF 03 (ACFC)
    String md5 = "00112233445566778899aabbccddeeff";
    h.in("c223 02090018 10" + md5 + hex("bob"));
    AuthRequest.ChapMd5 req =
        assertInstanceOf(AuthRequest.ChapMd5.class, h.authRequests.getFirst());
    assertEquals(9, req.identifier());
    assertEquals(md5, Hex.encode(req.response()));
    h.session.authenticated(AuthResult.success("bob", null, 0, null), 10);
    h.expect("ff03c223 0309000b" + hex("Welcome"));
    h.expect(OUR_IPCP);
    // VJ compression rejected, then the address and DNS Nak'd in (usepeerdns)
    h.in("8021 0101001c 0206002d0f01 030600000000 810600000000 830600000000");
    h.expect("ff038021 0401000a 0206002d0f01");
    h.in("8021 01020016 030600000000 810600000000 830600000000");
    h.expect("ff038021 03020016 " + LEASE_AND_DNS);
    h.in("8021 0200000a 03060a090001");
    h.in("8021 01030016 " + LEASE_AND_DNS);
    h.expect("ff038021 02030016 " + LEASE_AND_DNS);
    assertEquals(List.of("up 10.9.0.23 bob"), h.events);
    // PFC: one-octet protocol 0x21
    h.in("21 45000014 0000");
    assertArrayEquals(Hex.decode("450000140000"), h.ip.getFirst());
    h.in("c021 09010008 11223344");
    h.expect("ff03c021 0a010008 05060708");
    h.in("c021 05020010" + hex("User request"));
    h.expect("ff03c021 06020004");
    assertEquals(List.of("up 10.9.0.23 bob", "down peer terminated the link"), h.events);
  }
}
