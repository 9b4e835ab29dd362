package dev.coati.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProposalParserTest {
  @Test
  void ike_strongSwanSyntax() {
    List<IkeProposalSpec> p = ProposalParser.parseIke("aes256-sha256-modp2048", false);
    assertEquals(
        List.of(
            new IkeProposalSpec(IkeCipher.AES_CBC, 256, HashAlg.SHA2_256, null, DhGroup.MODP_2048)),
        p);
    assertEquals("aes256-sha256-modp2048", p.get(0).toString());
  }

  @Test
  void ike_cartesianProductInWrittenOrder() {
    List<IkeProposalSpec> p = ProposalParser.parseIke("aes128-aes256-sha1-sha256-ecp256", false);
    assertEquals(4, p.size());
    assertEquals("aes128-sha1-ecp256", p.get(0).toString());
    assertEquals("aes128-sha256-ecp256", p.get(1).toString());
    assertEquals("aes256-sha1-ecp256", p.get(2).toString());
    assertEquals(
        3,
        ProposalParser.parseIke("aes256-sha1-ecp384, 3des-sha1-modp1024,aes128-sha1-x25519", true)
            .size());
  }

  @Test
  void esp_gcmCbcAndPfs() {
    EspProposalSpec gcm = ProposalParser.parseEsp("aes128gcm16", false).get(0);
    assertEquals(EspCipher.ESP_AES_GCM_16, gcm.cipher());
    assertEquals(128, gcm.keyBits());
    assertNull(gcm.auth());
    assertNull(gcm.pfs());
    EspProposalSpec pfs = ProposalParser.parseEsp("aes256gcm16-modp2048", false).get(0);
    assertEquals(DhGroup.MODP_2048, pfs.pfs());
    EspProposalSpec cbc = ProposalParser.parseEsp("aes256-sha256", false).get(0);
    assertEquals(EspAuth.HMAC_SHA2_256_128, cbc.auth());
    assertEquals(
        EspAuth.HMAC_SHA2_256_96, ProposalParser.parseEsp("aes128-sha256_96", false).get(0).auth());
    assertEquals(
        EspCipher.ESP_AES_GCM_8, ProposalParser.parseEsp("aes256gcm64", false).get(0).cipher());
    assertEquals(EspCipher.ESP_3DES, ProposalParser.parseEsp("3des-md5", true).get(0).cipher());
  }

  @Test
  void errors_nameTheToken() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ProposalParser.parseIke("aes256-sha999-modp2048", false));
    assertTrue(e.getMessage().contains("'sha999'"), e.getMessage());
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> ProposalParser.parseIke("aes256-sha1", false))
            .getMessage()
            .contains("DH group"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> ProposalParser.parseEsp("aes128", false))
            .getMessage()
            .contains("integrity"));
    assertThrows(
        IllegalArgumentException.class, () -> ProposalParser.parseEsp("aes128gcm16-sha1", false));
    assertThrows(IllegalArgumentException.class, () -> ProposalParser.parseEsp("", false));
  }

  @Test
  void legacy_needsOptIn() {
    for (String s :
        new String[] {"des-sha1-modp2048", "aes128-md5-modp2048", "aes128-sha1-modp1024"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> ProposalParser.parseIke(s, false), s);
      assertTrue(e.getMessage().contains("legacy"));
      assertEquals(1, ProposalParser.parseIke(s, true).size());
    }
    assertThrows(IllegalArgumentException.class, () -> ProposalParser.parseEsp("null-sha1", false));
  }
}
