package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.util.Hex;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VendorIdsTest {
  static byte[] md5(String s) throws Exception {
    return MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Several vendor IDs are the MD5 of a published string; recomputing them checks our constants
   * independently of where they were copied from.
   */
  @Test
  void natTVendorIds_areMd5OfTheirDraftNames() throws Exception {
    // RFC 3947 section 3.1: MD5("RFC 3947")
    assertEquals(Optional.of(PeerFeature.NAT_T_RFC3947), VendorIds.recognise(md5("RFC 3947")));
    assertEquals(
        Optional.of(PeerFeature.NAT_T_DRAFT_02N),
        VendorIds.recognise(md5("draft-ietf-ipsec-nat-t-ike-02\n")));
    assertEquals(
        Optional.of(PeerFeature.NAT_T_DRAFT_02),
        VendorIds.recognise(md5("draft-ietf-ipsec-nat-t-ike-02")));
    assertEquals(
        Optional.of(PeerFeature.NAT_T_DRAFT_03),
        VendorIds.recognise(md5("draft-ietf-ipsec-nat-t-ike-03")));
    assertEquals(
        Optional.of(PeerFeature.NAT_T_DRAFT_00),
        VendorIds.recognise(md5("draft-ietf-ipsec-nat-t-ike-00")));
    assertEquals(
        Optional.of(PeerFeature.NAT_T_DRAFT_01),
        VendorIds.recognise(md5("draft-ietf-ipsec-nat-t-ike-01")));
    assertEquals(
        Optional.of(PeerFeature.NAT_T_DRAFT),
        VendorIds.recognise(md5("draft-ietf-ipsec-nat-t-ike")));
    assertEquals(Optional.of(PeerFeature.FRAGMENTATION), VendorIds.recognise(md5("FRAGMENTATION")));
    assertEquals(Optional.of(PeerFeature.STRONGSWAN), VendorIds.recognise(md5("strongSwan")));
  }

  @Test
  void prefixVendorIds_withVersionBytes() {
    // RFC 3706 section 7: DPD vendor id, major 1 minor 0
    assertEquals(
        Optional.of(PeerFeature.DPD),
        VendorIds.recognise(Hex.decode("afcad71368a1f1c96b8696fc77570100")));
    // Windows 7: "MS NT5 ISAKMPOAKLEY" + version 9; Cisco Unity 1.0; FRAGMENTATION + flags
    byte[] win7 = Hex.decode("1e2b516905991c7d7c96fcbfb587e46100000009");
    assertEquals(Optional.of(PeerFeature.MS_NT5_ISAKMPOAKLEY), VendorIds.recognise(win7));
    assertEquals(9, VendorIds.microsoftVersion(win7));
    assertEquals(
        Optional.of(PeerFeature.CISCO_UNITY),
        VendorIds.recognise(Hex.decode("12f5f28c457168a9702d9fe274cc0100")));
    assertEquals(
        Optional.of(PeerFeature.FRAGMENTATION),
        VendorIds.recognise(Hex.decode("4048b7d56ebce88525e7de7f00d6c2d380000000")));
    assertEquals(
        Optional.of(PeerFeature.XAUTH), VendorIds.recognise(Hex.decode("09002689dfd6b712")));
  }

  @Test
  void unknownAndShort_areNotRecognised() {
    assertEquals(Optional.empty(), VendorIds.recognise(new byte[0]));
    assertEquals(Optional.empty(), VendorIds.recognise(Hex.decode("afcad713")));
    assertEquals(-1, VendorIds.microsoftVersion(Hex.decode("afcad71368a1f1c96b8696fc77570100")));
    Set<PeerFeature> f =
        VendorIds.recogniseAll(
            List.of(VendorIds.DPD, VendorIds.NAT_T_RFC3947, VendorIds.XAUTH, new byte[] {1}));
    assertEquals(Set.of(PeerFeature.DPD, PeerFeature.NAT_T_RFC3947, PeerFeature.XAUTH), f);
    assertTrue(PeerFeature.NAT_T_DRAFT_02N.isNatT());
  }
}
