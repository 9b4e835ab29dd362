package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.config.GatewayConfig;
import dev.coati.crypto.Secret;
import dev.coati.ike.wire.Attribute;
import dev.coati.ike.wire.IpsecAttr;
import dev.coati.ike.wire.Proposal;
import dev.coati.ike.wire.ProtocolId;
import dev.coati.ike.wire.SaPayload;
import dev.coati.ike.wire.Transform;
import dev.coati.server.policy.ConfiguredPolicy;
import dev.coati.util.ByteWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue #12, deliver 7d (quick mode): the phase-2 offers of the built-in clients, rebuilt from
 * their public sources, against the ESP proposals and PFS policy of a gateway as {@code coati demo}
 * writes it (the engine's own selection, as {@link QuickModeTask} calls it). coati must choose one
 * transform the client offered, keep its encapsulation mode and accept it without PFS (none of
 * these clients proposes PFS). The first messages of the same clients: {@code
 * BuiltInClientOffersIT}. Sources:
 *
 * <ul>
 *   <li>Android &lt;= 11, every type (AOSP {@code external/ipsec-tools/setup.c} set_globals, as in
 *       CyanogenMod/android_external_ipsec-tools commit fdbd82dd): sainfo algorithms AES-256,
 *       AES-128, 3DES, DES and HMAC-SHA1, HMAC-MD5, lifetime {@code
 *       IPSECDOI_ATTR_SA_LD_SEC_DEFAULT} (28800 s), no pfs_group; racoon builds one ESP proposal
 *       with a transform per cipher x integrity pair, cipher outermost. Tunnel mode for "IPSec
 *       Xauth PSK/RSA" and "Hybrid RSA" (policies from mode config), transport mode for "L2TP/IPSec
 *       PSK/RSA" ({@code spdadd} of UDP to the server's port 1701).
 *   <li>macOS/iOS "Cisco IPSec" (PSK or certificate): apple-oss-distributions/ppp (ppp-1027.121.1)
 *       {@code Controller/ipsec_manager.c} racoon_send_cmd_start_ph2: lifetime 3600 s, AES-256, AES
 *       (128), 3DES x HMAC-SHA-256, HMAC-SHA1, HMAC-MD5, deflate (not used: the installed policies
 *       ask for ESP only), no PFS; tunnel mode.
 *   <li>macOS/iOS "L2TP over IPSec": {@code Helpers/vpnd/ipsec_utils.c}
 *       IPSecCreateL2TPDefaultConfiguration's policy (written as sainfo by configure_sainfo):
 *       transport mode, AES-256, AES, 3DES x SHA-256, SHA-1, MD5, 3600 s, PFS group 0 (none).
 * </ul>
 */
class BuiltInClientQuickModeTest {
  static final int AES = IpsecAttr.ESP_AES_CBC;
  static final int TDES = IpsecAttr.ESP_3DES;
  static final int DES = IpsecAttr.ESP_DES;

  /** ESP transform id and key bits (0: none sent). */
  record Cipher(int id, int bits) {}

  static final List<Cipher> ANDROID_CIPHERS =
      List.of(new Cipher(AES, 256), new Cipher(AES, 128), new Cipher(TDES, 0), new Cipher(DES, 0));
  static final List<Integer> ANDROID_AUTH = List.of(IpsecAttr.HMAC_SHA1, IpsecAttr.HMAC_MD5);
  static final List<Cipher> APPLE_CIPHERS =
      List.of(new Cipher(AES, 256), new Cipher(AES, 128), new Cipher(TDES, 0));
  static final List<Integer> APPLE_AUTH =
      List.of(IpsecAttr.HMAC_SHA2_256, IpsecAttr.HMAC_SHA1, IpsecAttr.HMAC_MD5);

  enum Client {
    ANDROID_XAUTH(ANDROID_CIPHERS, ANDROID_AUTH, 28800, IpsecAttr.TUNNEL),
    ANDROID_XAUTH_BEHIND_NAT(ANDROID_CIPHERS, ANDROID_AUTH, 28800, IpsecAttr.UDP_TUNNEL),
    ANDROID_L2TP(ANDROID_CIPHERS, ANDROID_AUTH, 28800, IpsecAttr.TRANSPORT),
    ANDROID_L2TP_BEHIND_NAT(ANDROID_CIPHERS, ANDROID_AUTH, 28800, IpsecAttr.UDP_TRANSPORT),
    APPLE_CISCO_IPSEC(APPLE_CIPHERS, APPLE_AUTH, 3600, IpsecAttr.TUNNEL),
    APPLE_CISCO_IPSEC_BEHIND_NAT(APPLE_CIPHERS, APPLE_AUTH, 3600, IpsecAttr.UDP_TUNNEL),
    APPLE_L2TP(APPLE_CIPHERS, APPLE_AUTH, 3600, IpsecAttr.TRANSPORT),
    APPLE_L2TP_BEHIND_NAT(APPLE_CIPHERS, APPLE_AUTH, 3600, IpsecAttr.UDP_TRANSPORT);

    final List<Cipher> ciphers;
    final List<Integer> auth;
    final int life;
    final int mode;

    Client(List<Cipher> ciphers, List<Integer> auth, int life, int mode) {
      this.ciphers = ciphers;
      this.auth = auth;
      this.life = life;
      this.mode = mode;
    }

    /** racoon's order: cipher outermost, then integrity; life, mode, auth, key length. */
    SaPayload offer() {
      List<Transform> ts = new ArrayList<>();
      for (Cipher c : ciphers) {
        for (int a : auth) {
          List<Attribute> attrs = new ArrayList<>();
          attrs.add(Attribute.tv(IpsecAttr.SA_LIFE_TYPE, 1));
          attrs.add(
              Attribute.tlv(IpsecAttr.SA_LIFE_DURATION, new ByteWriter(4).i32(life).toByteArray()));
          attrs.add(Attribute.tv(IpsecAttr.ENCAPSULATION_MODE, mode));
          attrs.add(Attribute.tv(IpsecAttr.AUTH_ALGORITHM, a));
          if (c.bits() > 0) {
            attrs.add(Attribute.tv(IpsecAttr.KEY_LENGTH, c.bits()));
          }
          ts.add(new Transform(ts.size() + 1, c.id(), attrs));
        }
      }
      byte[] spi = {0x0a, 0x1b, 0x2c, 0x3d};
      return new SaPayload(1, 1, List.of(new Proposal(1, ProtocolId.IPSEC_ESP, spi, ts)));
    }
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void coatiChoosesAnEspTransformTheClientOffered(Client c) {
    ConfiguredPolicy policy =
        new ConfiguredPolicy(
            GatewayConfig.demo(Secret.wrap("demo-psk".getBytes(StandardCharsets.US_ASCII))), true);
    SaPayload offer = c.offer();
    Optional<ProposalSelector.EspChoice> choice =
        ProposalSelector.selectEsp(
            offer,
            policy.espProposals(),
            policy.serverPreference(),
            t -> QuickModeTask.pfsAcceptable(policy.pfs(), t));
    assertTrue(
        choice.isPresent(),
        c
            + ": no ESP transform chosen; offered "
            + ProposalText.offeredEsp(offer)
            + ", coati accepts "
            + ProposalText.oursEsp(policy.espProposals()));
    Transform chosen = choice.get().transform();
    assertTrue(
        offer.proposals().get(0).transforms().contains(chosen), c + ": not one the client sent");
    Phase2Transform p2 = choice.get().phase2();
    assertEquals(c.mode, p2.encapsulationMode(), "the client's encapsulation mode");
    assertEquals(null, p2.pfsGroup(), "no PFS, as the client offered");
    assertEquals(c.life, p2.lifeSeconds());
    assertTrue(
        p2.auth() != null && c.auth.contains(p2.auth().authId()), c + ": integrity " + p2.auth());
    System.out.println(c + ": coati chooses " + p2.cipher() + "/" + p2.keyBits() + " " + p2.auth());
  }
}
