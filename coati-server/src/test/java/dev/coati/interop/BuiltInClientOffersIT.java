package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.coati.crypto.DhFactory;
import dev.coati.crypto.DhGroup;
import dev.coati.crypto.HashAlg;
import dev.coati.crypto.IkeCipher;
import dev.coati.ike.VendorIds;
import dev.coati.ike.wire.Attribute;
import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.FragmentPayload;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IkeAttr;
import dev.coati.ike.wire.IsakmpCodec;
import dev.coati.ike.wire.IsakmpHeader;
import dev.coati.ike.wire.IsakmpMessage;
import dev.coati.ike.wire.KePayload;
import dev.coati.ike.wire.NoncePayload;
import dev.coati.ike.wire.Payload;
import dev.coati.ike.wire.PayloadType;
import dev.coati.ike.wire.Proposal;
import dev.coati.ike.wire.ProtocolId;
import dev.coati.ike.wire.SaPayload;
import dev.coati.ike.wire.Transform;
import dev.coati.ike.wire.VendorIdPayload;
import dev.coati.nativeio.udp.NetnsThread;
import dev.coati.util.ByteWriter;
import dev.coati.util.Hex;
import dev.coati.util.RandomSource;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue #12, deliver 7d (first messages): the phase-1 offers of the built-in clients, rebuilt from
 * their public sources and replayed at coati with its default proposals (as {@code coati demo}
 * writes it), the way {@code WindowsNatDIT} replays Windows. coati must choose one transform the
 * client offered, answer with the group of the client's KE, and (aggressive mode) send its vendor
 * IDs before NAT-D. Sources:
 *
 * <ul>
 *   <li>Android &lt;= 11: AOSP {@code external/ipsec-tools/setup.c} (as in
 *       CyanogenMod/android_external_ipsec-tools, commit fdbd82dd): eight transforms AES-256,
 *       AES-128, 3DES, DES x SHA-1, MD5, all MODP-1024, 28800 s; main mode, or aggressive mode when
 *       an IPsec identifier is set (KEY_ID without a dot); methods PSK ("L2TP/IPSec PSK", {@code
 *       udppsk}), 65001 ("IPSec Xauth PSK", {@code xauthpsk}), 64221 ("IPSec Hybrid RSA", {@code
 *       hybridrsa}), and with a user certificate (identity ASN1_DN, so always main mode): 65005
 *       ("IPSec Xauth RSA", {@code xauthrsa}) and 3 ("L2TP/IPSec RSA", {@code udprsa}). racoon's
 *       attribute order (life first) and vendor IDs (Xauth, Unity, fragmentation, NAT-T, DPD;
 *       {@code isakmp_agg.c} agg_i1send).
 *   <li>macOS/iOS: apple-oss-distributions/ppp (ppp-1027.121.1) {@code Helpers/vpnd/ipsec_utils.c}:
 *       "Cisco IPSec" ({@code IPSecCreateCiscoDefaultConfiguration}) in aggressive mode with one
 *       group, MODP-2048 (AES-256 x SHA-256, SHA-1, MD5, SHA-512) or, with the legacy group-2
 *       setting, MODP-1024 (AES-256, AES-128, 3DES, DES x SHA-1, MD5), 3600 s; "L2TP over IPSec"
 *       ({@code IPSecCreateL2TPDefaultConfiguration}) in main mode: MODP-2048, MODP-1536 and
 *       MODP-1024 sets. "Cisco IPSec" with a certificate: {@code IPSecIsAggressiveMode} is false
 *       for {@code Certificate}, so main mode, {@code xauth_rsa_client} (65005, {@code
 *       configure_proposal}), and the main-mode group loop {14, 5, 2} of {@code
 *       IPSecCreateCiscoDefaultConfiguration}.
 * </ul>
 *
 * <p>Their quick mode offers (AOSP {@code setup.c} set_globals, Apple {@code
 * racoon_send_cmd_start_ph2} and the L2TP policy) are checked against the same defaults by {@code
 * dev.coati.ike.BuiltInClientQuickModeTest}.
 */
class BuiltInClientOffersIT {
  static final String PSK = "ra-offers-psk";
  static final int AES = IkeCipher.AES_CBC.ikeId();
  static final int TDES = IkeCipher.TDES_CBC.ikeId();
  static final int DES = IkeCipher.DES_CBC.ikeId();
  static final int SHA1 = HashAlg.SHA1.ikeId();
  static final int MD5 = HashAlg.MD5.ikeId();
  static final int SHA256 = HashAlg.SHA2_256.ikeId();
  static final int SHA512 = HashAlg.SHA2_512.ikeId();
  static final int G2 = DhGroup.MODP_1024.ikeId();
  static final int G5 = 5;
  static final int G14 = DhGroup.MODP_2048.ikeId();

  /** cipher, key bits, hash, group of one transform. */
  record T(int cipher, int bits, int hash, int group) {}

  static final List<T> ANDROID =
      List.of(
          new T(AES, 256, SHA1, G2),
          new T(AES, 256, MD5, G2),
          new T(AES, 128, SHA1, G2),
          new T(AES, 128, MD5, G2),
          new T(TDES, 0, SHA1, G2),
          new T(TDES, 0, MD5, G2),
          new T(DES, 0, SHA1, G2),
          new T(DES, 0, MD5, G2));

  static final List<T> APPLE_GROUP2 =
      List.of(
          new T(AES, 256, SHA1, G2),
          new T(AES, 256, MD5, G2),
          new T(AES, 128, SHA1, G2),
          new T(AES, 128, MD5, G2),
          new T(TDES, 0, SHA1, G2),
          new T(TDES, 0, MD5, G2),
          new T(DES, 0, SHA1, G2),
          new T(DES, 0, MD5, G2));

  /** The clients and the first message each sends. */
  enum Client {
    ANDROID_XAUTH_PSK(ExchangeType.AGGRESSIVE, IkeAttr.XAUTH_INIT_PSK, 28800, ANDROID),
    ANDROID_HYBRID_RSA(ExchangeType.IDENTITY_PROTECTION, IkeAttr.HYBRID_INIT_RSA, 28800, ANDROID),
    ANDROID_L2TP_PSK(ExchangeType.IDENTITY_PROTECTION, IkeAttr.PSK, 28800, ANDROID),
    APPLE_CISCO_IPSEC(
        ExchangeType.AGGRESSIVE,
        IkeAttr.XAUTH_INIT_PSK,
        3600,
        List.of(
            new T(AES, 256, SHA256, G14),
            new T(AES, 256, SHA1, G14),
            new T(AES, 256, MD5, G14),
            new T(AES, 256, SHA512, G14))),
    APPLE_CISCO_IPSEC_GROUP2(ExchangeType.AGGRESSIVE, IkeAttr.XAUTH_INIT_PSK, 3600, APPLE_GROUP2),
    ANDROID_XAUTH_RSA(ExchangeType.IDENTITY_PROTECTION, IkeAttr.XAUTH_INIT_RSA, 28800, ANDROID),
    ANDROID_L2TP_RSA(ExchangeType.IDENTITY_PROTECTION, IkeAttr.RSA_SIG, 28800, ANDROID),
    APPLE_CISCO_IPSEC_CERTIFICATE(
        ExchangeType.IDENTITY_PROTECTION,
        IkeAttr.XAUTH_INIT_RSA,
        3600,
        List.of(
            new T(AES, 256, SHA256, G14),
            new T(AES, 256, SHA1, G14),
            new T(AES, 256, MD5, G14),
            new T(AES, 256, SHA512, G14),
            new T(AES, 256, SHA256, G5),
            new T(AES, 256, SHA1, G5),
            new T(AES, 256, MD5, G5),
            new T(AES, 256, SHA1, G2),
            new T(AES, 256, MD5, G2),
            new T(AES, 128, SHA1, G2),
            new T(AES, 128, MD5, G2),
            new T(TDES, 0, SHA1, G2),
            new T(TDES, 0, MD5, G2),
            new T(DES, 0, SHA1, G2),
            new T(DES, 0, MD5, G2))),
    APPLE_L2TP(
        ExchangeType.IDENTITY_PROTECTION,
        IkeAttr.PSK,
        3600,
        List.of(
            new T(AES, 256, SHA256, G14),
            new T(AES, 256, SHA1, G14),
            new T(AES, 256, MD5, G14),
            new T(AES, 256, SHA512, G14),
            new T(AES, 256, SHA256, G5),
            new T(AES, 256, SHA1, G5),
            new T(AES, 256, MD5, G5),
            new T(AES, 256, SHA256, G2),
            new T(AES, 256, SHA1, G2),
            new T(AES, 256, MD5, G2),
            new T(AES, 128, SHA1, G2),
            new T(AES, 128, MD5, G2),
            new T(TDES, 0, SHA1, G2),
            new T(TDES, 0, MD5, G2)));

    final ExchangeType mode;
    final int auth;
    final int life;
    final List<T> offer;

    Client(ExchangeType mode, int auth, int life, List<T> offer) {
      this.mode = mode;
      this.auth = auth;
      this.life = life;
      this.offer = offer;
    }
  }

  @TempDir Path dir;

  @BeforeEach
  void requirements() {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(Netns.available(), "needs root and strongSwan, or COATI_SKIP_INTEROP=1");
  }

  /**
   * racoon's phase-1 transform: life type and duration first, then cipher, key, auth, hash, group.
   */
  static Transform transform(int number, T t, int auth, int life) {
    List<Attribute> a = new ArrayList<>();
    a.add(Attribute.tv(IkeAttr.LIFE_TYPE, IkeAttr.LIFE_SECONDS));
    a.add(Attribute.tlv(IkeAttr.LIFE_DURATION, new ByteWriter(4).i32(life).toByteArray()));
    a.add(Attribute.tv(IkeAttr.ENCRYPTION_ALGORITHM, t.cipher()));
    if (t.bits() > 0) {
      a.add(Attribute.tv(IkeAttr.KEY_LENGTH, t.bits()));
    }
    a.add(Attribute.tv(IkeAttr.AUTH_METHOD, auth));
    a.add(Attribute.tv(IkeAttr.HASH_ALGORITHM, t.hash()));
    a.add(Attribute.tv(IkeAttr.GROUP_DESCRIPTION, t.group()));
    return new Transform(number, 1, a);
  }

  static List<Payload> firstMessage(Client c, RandomSource random) {
    List<Transform> ts = new ArrayList<>();
    for (int i = 0; i < c.offer.size(); i++) {
      ts.add(transform(i + 1, c.offer.get(i), c.auth, c.life));
    }
    List<Payload> out = new ArrayList<>();
    out.add(new SaPayload(1, 1, List.of(new Proposal(1, ProtocolId.ISAKMP, new byte[0], ts))));
    if (c.mode.equals(ExchangeType.AGGRESSIVE)) {
      DhGroup g = DhGroup.fromIkeId(c.offer.get(0).group()).orElseThrow();
      out.add(new KePayload(DhFactory.using(random).create(g).publicKey()));
      out.add(new NoncePayload(random.bytes(16)));
      out.add(IdPayload.keyId("vpngroup".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }
    for (byte[] vid :
        List.of(
            VendorIds.XAUTH,
            VendorIds.CISCO_UNITY,
            Hex.decode("4048b7d56ebce88525e7de7f00d6c2d380000000"), // fragmentation + FRAG_AGG
            VendorIds.NAT_T_RFC3947,
            VendorIds.NAT_T_DRAFT_02N,
            VendorIds.NAT_T_DRAFT_02,
            VendorIds.DPD)) {
      out.add(new VendorIdPayload(vid));
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void coatiChoosesATransformTheClientOffered(Client c) throws Exception {
    Netns.Result add =
        CoatiProcess.cli(
            "alice-pass\n",
            "user",
            "add",
            "alice",
            "--file",
            dir.resolve("users.txt").toString(),
            "--password-stdin");
    assertEquals(0, add.code(), add.output());
    Path pki = dir.resolve("pki");
    assertEquals(
        0, CoatiProcess.cli("", "pki", "ca", "--out", pki.toString(), "--cn", "ra CA").code());
    assertEquals(
        0,
        CoatiProcess.cli(
                "",
                "pki",
                "server",
                "--ca",
                pki.toString(),
                "--name",
                "vpn.test",
                "--ip",
                Netns.SRV_ADDR)
            .code());
    String cfg =
        """
        users:
          file: users.txt
        remote_access:
          auth: [psk-xauth, hybrid-rsa, rsa-xauth, rsa]
          pool: 10.99.99.10-10.99.99.50
        ike:
          aggressive_ids: [vpngroup]
        dataplane:
          tun: coati0
          address: 10.99.99.1/24
        l2tp: {}
        """;
    String gw =
        "  certificate: PKI/vpn.test.pem\n  private_key: PKI/vpn.test.key\n  ca: [PKI/ca.pem]\n"
            .replace("PKI", pki.toString());
    try (Netns ns = new Netns();
        CoatiProcess coati = new CoatiProcess(dir, PSK, cfg, gw)) {
      RandomSource random = RandomSource.secure();
      long ci = random.nextLong();
      IsakmpHeader h = new IsakmpHeader(ci, 0, PayloadType.NONE, 1, 0, c.mode, 0, 0, 0);
      byte[] reply = exchange(IsakmpCodec.assemble(h, firstMessage(c, random)), ci);
      assertTrue(reply != null, c + ": no answer from coati: " + coati.log());
      IsakmpMessage m = IsakmpMessage.decode(reply);
      assertEquals(c.mode, m.header().exchangeType());
      List<Payload> ps = m.payloads();
      assertTrue(ps.get(0) instanceof SaPayload, c + ": " + ps + coati.log());
      SaPayload sa = (SaPayload) ps.get(0);
      assertEquals(1, sa.proposals().size());
      assertEquals(1, sa.proposals().get(0).transforms().size());
      Transform chosen = sa.proposals().get(0).transforms().get(0);
      T picked = describe(chosen);
      assertTrue(c.offer.contains(picked), c + ": coati chose " + picked + ", not offered");
      assertEquals(c.auth, value(chosen, IkeAttr.AUTH_METHOD), "the client's auth method");
      List<String> kinds = ps.stream().map(p -> p.getClass().getSimpleName()).toList();
      assertTrue(kinds.contains("VendorIdPayload"), "NAT-T and DPD answered: " + kinds);
      if (c.mode.equals(ExchangeType.AGGRESSIVE)) {
        KePayload ke =
            (KePayload) ps.stream().filter(KePayload.class::isInstance).findFirst().get();
        assertEquals(
            DhGroup.fromIkeId(picked.group()).orElseThrow().publicKeyLength(), ke.keyData().length);
        int lastVid = kinds.lastIndexOf("VendorIdPayload");
        int firstNatD = kinds.indexOf("NatDPayload");
        assertTrue(firstNatD > lastVid, "vendor IDs before NAT-D (racoon): " + kinds);
        assertTrue(firstNatD > 0, "NAT-D answered: " + kinds);
      }
      System.out.println(c + " offered " + c.offer.size() + " transforms, coati chose " + picked);
    }
  }

  static T describe(Transform t) {
    return new T(
        value(t, IkeAttr.ENCRYPTION_ALGORITHM),
        value(t, IkeAttr.KEY_LENGTH),
        value(t, IkeAttr.HASH_ALGORITHM),
        value(t, IkeAttr.GROUP_DESCRIPTION));
  }

  static int value(Transform t, int type) {
    return t.attributes().stream()
        .filter(a -> a.type() == type)
        .mapToInt(Attribute::intValue)
        .findFirst()
        .orElse(0);
  }

  /** Sends from the client namespace (port 500) and waits up to 3 s for coati's answer. */
  static byte[] exchange(byte[] msg, long ci) throws Exception {
    try (DatagramSocket s =
        NetnsThread.in(
            Netns.CLI,
            () -> {
              DatagramSocket d = new DatagramSocket(new InetSocketAddress(Netns.CLI_ADDR, 500));
              d.setSoTimeout(500);
              return d;
            })) {
      s.send(new DatagramPacket(msg, msg.length, new InetSocketAddress(Netns.SRV_ADDR, 500)));
      byte[] buf = new byte[65535];
      TreeMap<Integer, byte[]> pieces = new TreeMap<>();
      for (int i = 0; i < 12; i++) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          s.receive(p);
        } catch (SocketTimeoutException e) {
          continue;
        }
        byte[] b = Arrays.copyOf(p.getData(), p.getLength());
        IsakmpHeader h = IsakmpCodec.peekHeader(b);
        if (h.initiatorSpi() != ci) {
          continue;
        }
        if (!h.nextPayload().equals(PayloadType.FRAGMENT)) {
          return b;
        }
        // the client announced IKE fragmentation (Apple does) and the answer is longer than
        // ike.fragment_size: put the pieces back together as the client would
        FragmentPayload f = (FragmentPayload) IsakmpMessage.decode(b).payloads().get(0);
        pieces.put(f.number(), f.data());
        if (f.last()) {
          ByteArrayOutputStream whole = new ByteArrayOutputStream();
          for (byte[] piece : pieces.values()) {
            whole.writeBytes(piece);
          }
          return whole.toByteArray();
        }
      }
      return null;
    }
  }
}
