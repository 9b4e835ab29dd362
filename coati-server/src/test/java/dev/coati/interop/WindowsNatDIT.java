package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.coati.crypto.DhFactory;
import dev.coati.crypto.DhGroup;
import dev.coati.crypto.HashAlg;
import dev.coati.crypto.IkeCipher;
import dev.coati.crypto.KeyExchange;
import dev.coati.crypto.Prf;
import dev.coati.crypto.Secret;
import dev.coati.ike.Keymat;
import dev.coati.ike.VendorIds;
import dev.coati.ike.wire.Attribute;
import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.HashPayload;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IdType;
import dev.coati.ike.wire.IkeAttr;
import dev.coati.ike.wire.IsakmpCodec;
import dev.coati.ike.wire.IsakmpHeader;
import dev.coati.ike.wire.IsakmpMessage;
import dev.coati.ike.wire.KePayload;
import dev.coati.ike.wire.NatDPayload;
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
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 004 end to end: a Windows client behind NAT and a gateway behind NAT (the EC2 case), with a
 * test client that replays what Windows 10/11 sends in main mode (clients-and-user-needs §1b: the
 * four phase-1 transforms, PSK, 28800 s, the Microsoft and NAT-T vendor IDs, ID_IPV4_ADDR of its
 * private address) against coati running as its own process.
 *
 * <pre>
 *  coati-wm-cli             coati-wm-nat                                coati-wm-srv
 *  10.61.0.2 ---- 10.61.0.1 | 10.62.0.1 ------------------------------- 10.62.0.2 (coati)
 *                 "public" 203.0.113.61: DNAT udp 500/4500 to 10.62.0.2, MASQUERADE out to srv
 * </pre>
 *
 * The client sends to 203.0.113.61 and hashes that in its first NAT-D; coati sees the client as
 * 10.62.0.1 and itself as 10.62.0.2. Windows reads the second NAT-D of message 4 (the responder's
 * hash of itself): if it is not the hash of the address Windows sent to, Windows decides the server
 * is behind NAT and, without the AssumeUDPEncapsulationContextOnSendRule registry key, gives up
 * (error 809). With {@code microsoft_nat_d_parrot} coati returns the client's own hash there
 * (SoftEther's trick); without it, the honest hash of 10.62.0.2:500. Either way coati itself must
 * detect both NATs and follow the client to UDP 4500, where main mode completes.
 */
class WindowsNatDIT {
  static final String CLI = "coati-wm-cli";
  static final String NAT = "coati-wm-nat";
  static final String SRV = "coati-wm-srv";
  static final String CLI_ADDR = "10.61.0.2";
  static final String NAT_INSIDE = "10.61.0.1";
  static final String NAT_OUTSIDE = "10.62.0.1";
  static final String SRV_ADDR = "10.62.0.2";
  static final String PUBLIC = "203.0.113.61";
  static final String PSK = "wm-psk-1";

  /** Vendor IDs of Windows 10/11 in main mode 1 (values as in coati's VendorIds table). */
  static final List<byte[]> WINDOWS_VIDS =
      List.of(
          Hex.decode("1e2b516905991c7d7c96fcbfb587e46100000009"), // MS NT5 ISAKMPOAKLEY v9
          VendorIds.NAT_T_RFC3947,
          VendorIds.NAT_T_DRAFT_02N, // draft-ietf-ipsec-nat-t-ike-02\n
          VendorIds.FRAGMENTATION, // without capability flags
          Hex.decode("fb1de3cdf341b7ea16b7e5be0855f120"), // MS-Negotiation Discovery Capable
          Hex.decode("e3a5966a76379fe707228231e5ce8652"), // IKE CGA version 1
          Hex.decode("26244d38eddb61b3172a36e3d0cfb819")); // Vid-Initial-Contact

  @TempDir Path dir;

  @BeforeEach
  void namespaces() throws Exception {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(
        "root".equals(System.getProperty("user.name"))
            && Files.isExecutable(Path.of("/usr/sbin/iptables")),
        "needs root and iptables, or COATI_SKIP_INTEROP=1");
    cleanUp();
    for (String ns : List.of(CLI, NAT, SRV)) {
      Netns.run("ip", "netns", "add", ns);
      Netns.run("ip", "-n", ns, "link", "set", "lo", "up");
    }
    Netns.run(
        "ip", "link", "add", "wmc0", "netns", CLI, "type", "veth", "peer", "name", "wmn0", "netns",
        NAT);
    Netns.run(
        "ip", "link", "add", "wms0", "netns", SRV, "type", "veth", "peer", "name", "wmn1", "netns",
        NAT);
    Netns.run("ip", "-n", CLI, "addr", "add", CLI_ADDR + "/24", "dev", "wmc0");
    Netns.run("ip", "-n", NAT, "addr", "add", NAT_INSIDE + "/24", "dev", "wmn0");
    Netns.run("ip", "-n", NAT, "addr", "add", NAT_OUTSIDE + "/24", "dev", "wmn1");
    Netns.run("ip", "-n", NAT, "addr", "add", PUBLIC + "/32", "dev", "lo");
    Netns.run("ip", "-n", SRV, "addr", "add", SRV_ADDR + "/24", "dev", "wms0");
    for (String[] l : new String[][] {{CLI, "wmc0"}, {NAT, "wmn0"}, {NAT, "wmn1"}, {SRV, "wms0"}}) {
      Netns.run("ip", "-n", l[0], "link", "set", l[1], "up");
    }
    // the client knows only its router; the gateway needs no route at all (the NAT is on-link)
    Netns.run("ip", "-n", CLI, "route", "add", "default", "via", NAT_INSIDE);
    for (String port : List.of("500", "4500")) {
      Netns.run(
          "ip",
          "netns",
          "exec",
          NAT,
          "iptables",
          "-t",
          "nat",
          "-A",
          "PREROUTING",
          "-d",
          PUBLIC,
          "-p",
          "udp",
          "--dport",
          port,
          "-j",
          "DNAT",
          "--to-destination",
          SRV_ADDR + ":" + port);
    }
    Netns.masquerade(NAT, "wmn1");
  }

  /** Kills what still runs in our namespaces (by PID) and deletes them. */
  @AfterEach
  void cleanUp() throws Exception {
    Netns.remove(CLI, NAT, SRV);
  }

  static String config(boolean parrot) {
    return "ike:\n"
        + "  proposals: [aes256-sha1-modp2048, aes128-sha1-modp2048]\n"
        + "  lifetime: 8h\n"
        + "  microsoft_nat_d_parrot: "
        + parrot
        + "\n";
  }

  /**
   * SoftEther's Q1 and Q2 together: coati's hash of the client is random, so even a client with a
   * public address would float to 4500, while the hash of coati itself is still the client's.
   */
  @Test
  void parrotWithForcedEncapsulation_hashOfTheClientIsRandom() throws Exception {
    try (CoatiProcess coati =
            new CoatiProcess(
                SRV, SRV_ADDR, dir, PSK, config(true) + "  force_udp_encapsulation: true\n");
        WindowsClient w = WindowsClient.open()) {
      byte[][] mm4 = w.mainMode(coati);
      assertArrayEquals(w.sentNatD.get(0), mm4[1], "still parroted");
      assertFalse(Arrays.equals(natD(w.ci, w.cr, NAT_OUTSIDE, 500), mm4[0]), "not the real hash");
      assertFalse(Arrays.equals(w.sentNatD.get(1), mm4[0]), "Windows believes it is behind NAT");
      w.finishOn4500(coati);
    }
  }

  @Test
  void parrotOn_windowsSeesTheGatewayAsNotNatted() throws Exception {
    try (CoatiProcess coati = new CoatiProcess(SRV, SRV_ADDR, dir, PSK, config(true));
        WindowsClient w = WindowsClient.open()) {
      byte[][] mm4 = w.mainMode(coati);
      byte[] ourViewOfServer = w.sentNatD.get(0);
      assertArrayEquals(
          ourViewOfServer,
          mm4[1],
          "the responder's NAT-D of itself is the client's hash of " + PUBLIC + ":500");
      // what Windows concludes: it is behind NAT itself, the server is not
      assertFalse(Arrays.equals(w.sentNatD.get(1), mm4[0]), "client behind NAT");
      assertArrayEquals(
          natD(w.ci, w.cr, NAT_OUTSIDE, 500),
          mm4[0],
          "coati's hash of the client is of the address it really saw (the NAT's)");
      w.finishOn4500(coati);
    }
  }

  @Test
  void parrotOff_gatewayHashesItsOwnPrivateAddress() throws Exception {
    try (CoatiProcess coati = new CoatiProcess(SRV, SRV_ADDR, dir, PSK, config(false));
        WindowsClient w = WindowsClient.open()) {
      byte[][] mm4 = w.mainMode(coati);
      assertArrayEquals(natD(w.ci, w.cr, SRV_ADDR, 500), mm4[1], "honest hash of 10.62.0.2:500");
      assertFalse(
          Arrays.equals(w.sentNatD.get(0), mm4[1]),
          "Windows would see the server behind NAT (error 809 without the registry key)");
      assertArrayEquals(natD(w.ci, w.cr, NAT_OUTSIDE, 500), mm4[0]);
      w.finishOn4500(coati);
    }
  }

  /** RFC 3947 3.2, computed independently of coati: SHA1(CKY-I | CKY-R | IP | Port). */
  static byte[] natD(long ci, long cr, String ip, int port) throws Exception {
    byte[] a = InetAddress.getByName(ip).getAddress();
    return HashAlg.SHA1.digest(
        new ByteWriter(16).i64(ci).i64(cr).toByteArray(),
        a,
        new byte[] {(byte) (port >>> 8), (byte) port});
  }

  /** One Windows-style phase-1 transform: SHA-1, PSK, 28800 s (lifetime as a 4-byte TLV). */
  static Transform windowsTransform(int number, int cipher, int keyBits, int group) {
    List<Attribute> a = new ArrayList<>();
    a.add(Attribute.tv(IkeAttr.ENCRYPTION_ALGORITHM, cipher));
    if (keyBits > 0) {
      a.add(Attribute.tv(IkeAttr.KEY_LENGTH, keyBits));
    }
    a.add(Attribute.tv(IkeAttr.HASH_ALGORITHM, HashAlg.SHA1.ikeId()));
    a.add(Attribute.tv(IkeAttr.AUTH_METHOD, IkeAttr.PSK));
    a.add(Attribute.tv(IkeAttr.GROUP_DESCRIPTION, group));
    a.add(Attribute.tv(IkeAttr.LIFE_TYPE, IkeAttr.LIFE_SECONDS));
    a.add(Attribute.tlv(IkeAttr.LIFE_DURATION, new ByteWriter(4).i32(28800).toByteArray()));
    return new Transform(number, 1, a); // KEY_IKE
  }

  /**
   * Windows 10/11 phase 1 (clients-and-user-needs §1b): AES256/SHA1/ECP384, AES128/SHA1/ECP256,
   * AES256/SHA1/MODP2048, 3DES/SHA1/MODP2048, in one ISAKMP proposal.
   */
  static SaPayload windowsOffer() {
    int aes = IkeCipher.AES_CBC.ikeId();
    return new SaPayload(
        1,
        1,
        List.of(
            new Proposal(
                1,
                ProtocolId.ISAKMP,
                new byte[0],
                List.of(
                    windowsTransform(1, aes, 256, DhGroup.ECP_384.ikeId()),
                    windowsTransform(2, aes, 128, DhGroup.ECP_256.ikeId()),
                    windowsTransform(3, aes, 256, DhGroup.MODP_2048.ikeId()),
                    windowsTransform(
                        4, IkeCipher.TDES_CBC.ikeId(), 0, DhGroup.MODP_2048.ikeId())))));
  }

  static byte[] body(Payload p) {
    ByteWriter w = new ByteWriter(p.bodyLength());
    p.encodeBody(w);
    return w.toByteArray();
  }

  /** The test client: sockets on 10.61.0.2:500 and :4500 inside coati-wm-cli. */
  static final class WindowsClient implements AutoCloseable {
    final DatagramSocket ike;
    final DatagramSocket natT;
    final InetSocketAddress gw500 = new InetSocketAddress(PUBLIC, 500);
    final InetSocketAddress gw4500 = new InetSocketAddress(PUBLIC, 4500);
    final RandomSource random = RandomSource.secure();
    final long ci = random.nextLong();
    long cr;
    final SaPayload offer = windowsOffer();
    final KeyExchange dh = DhFactory.using(random).create(DhGroup.MODP_2048);
    final byte[] ni = random.bytes(32);
    byte[] gxr;
    byte[] nr;
    final List<byte[]> sentNatD = new ArrayList<>();

    private WindowsClient(DatagramSocket ike, DatagramSocket natT) {
      this.ike = ike;
      this.natT = natT;
    }

    static WindowsClient open() throws Exception {
      return NetnsThread.in(
          CLI,
          () -> {
            DatagramSocket a = new DatagramSocket(new InetSocketAddress(CLI_ADDR, 500));
            DatagramSocket b = new DatagramSocket(new InetSocketAddress(CLI_ADDR, 4500));
            a.setSoTimeout(500);
            b.setSoTimeout(500);
            return new WindowsClient(a, b);
          });
    }

    IsakmpHeader header(int flags) {
      return new IsakmpHeader(
          ci, cr, PayloadType.NONE, 1, 0, ExchangeType.IDENTITY_PROTECTION, flags, 0, 0);
    }

    /**
     * MM1..MM4; checks MM2 (chosen transform, RFC 3947 VID) and returns the two NAT-D hashes of
     * MM4.
     */
    byte[][] mainMode(CoatiProcess coati) throws Exception {
      List<Payload> mm1 = new ArrayList<>();
      mm1.add(offer);
      WINDOWS_VIDS.forEach(v -> mm1.add(new VendorIdPayload(v)));
      IsakmpMessage mm2 =
          exchange(ike, gw500, IsakmpCodec.assemble(header(0), mm1), PayloadType.SA, coati);
      cr = mm2.header().responderSpi();
      SaPayload chosen =
          mm2.payloads().stream()
              .filter(SaPayload.class::isInstance)
              .map(SaPayload.class::cast)
              .findFirst()
              .orElseThrow();
      assertEquals(1, chosen.proposals().size());
      List<Transform> ts = chosen.proposals().get(0).transforms();
      assertEquals(1, ts.size());
      Transform t = ts.get(0);
      assertEquals(3, t.number(), "AES256/SHA1/MODP2048 (Windows' third) chosen: " + t);
      assertEquals(
          IkeCipher.AES_CBC.ikeId(),
          t.attribute(IkeAttr.ENCRYPTION_ALGORITHM).orElseThrow().intValue());
      assertEquals(256, t.attribute(IkeAttr.KEY_LENGTH).orElseThrow().intValue());
      assertEquals(14, t.attribute(IkeAttr.GROUP_DESCRIPTION).orElseThrow().intValue());
      assertEquals(IkeAttr.PSK, t.attribute(IkeAttr.AUTH_METHOD).orElseThrow().intValue());
      List<byte[]> vids =
          mm2.payloads().stream()
              .filter(VendorIdPayload.class::isInstance)
              .map(p -> ((VendorIdPayload) p).data())
              .toList();
      assertTrue(
          vids.stream().anyMatch(v -> Arrays.equals(v, VendorIds.NAT_T_RFC3947)),
          "coati answers the RFC 3947 NAT-T VID");

      // MM3 as Windows builds it: hash of where it sent to (the NAT's public address), then of
      // its own private source
      sentNatD.add(natD(ci, cr, PUBLIC, 500));
      sentNatD.add(natD(ci, cr, CLI_ADDR, 500));
      List<Payload> mm3 = new ArrayList<>();
      mm3.add(new KePayload(dh.publicKey()));
      mm3.add(new NoncePayload(ni));
      sentNatD.forEach(h -> mm3.add(new NatDPayload(PayloadType.NAT_D, h)));
      IsakmpMessage mm4 =
          exchange(ike, gw500, IsakmpCodec.assemble(header(0), mm3), PayloadType.KE, coati);
      gxr = first(mm4, KePayload.class).keyData();
      nr = first(mm4, NoncePayload.class).data();
      List<byte[]> natd =
          mm4.payloads().stream()
              .filter(NatDPayload.class::isInstance)
              .map(p -> ((NatDPayload) p).hash())
              .toList();
      assertEquals(2, natd.size(), "two NAT-D in MM4: " + mm4.payloads());
      assertTrue(
          mm4.payloads().stream()
              .allMatch(p -> !(p instanceof NatDPayload n) || n.type().equals(PayloadType.NAT_D)),
          "RFC 3947 payload type 20");
      return new byte[][] {natd.get(0), natd.get(1)};
    }

    /**
     * Windows is behind NAT, so it floats: MM5 (IDii = its private address, HASH_I) to port 4500
     * with the non-ESP marker; MM6 must come back from 4500 and carry a valid HASH_R.
     */
    void finishOn4500(CoatiProcess coati) throws Exception {
      Prf prf = HashAlg.SHA1.prf();
      Secret gxy = dh.agree(gxr);
      Secret skeyid =
          Keymat.skeyidPsk(prf, Secret.copyOf(PSK.getBytes(StandardCharsets.UTF_8)), ni, nr);
      Secret d = Keymat.skeyidD(prf, skeyid, gxy, ci, cr);
      Secret a = Keymat.skeyidA(prf, skeyid, d, gxy, ci, cr);
      Secret e = Keymat.skeyidE(prf, skeyid, a, gxy, ci, cr);
      var cipher = IkeCipher.AES_CBC.create(Keymat.encryptionKey(prf, e, 32));
      byte[] gxi = dh.publicKey();
      byte[] iv = Keymat.phase1Iv(HashAlg.SHA1, gxi, gxr, 16);
      byte[] saiB = body(offer);
      // Windows' IDii: ID_IPV4_ADDR of its private address, UDP port 500
      IdPayload idii =
          new IdPayload(IdType.IPV4_ADDR, 17, 500, InetAddress.getByName(CLI_ADDR).getAddress());
      byte[] hashI = Keymat.hashI(prf, skeyid, gxi, gxr, ci, cr, saiB, body(idii));
      byte[] plain = IsakmpCodec.encodePayloads(List.of(idii, new HashPayload(hashI)));
      byte[] ct = cipher.encrypt(iv, Arrays.copyOf(plain, (plain.length + 15) / 16 * 16));
      byte[] mm5 =
          IsakmpCodec.assembleRaw(header(IsakmpHeader.FLAG_ENCRYPTION), PayloadType.ID, ct);
      byte[] mm6 = null;
      for (int i = 0; i < 10 && mm6 == null; i++) {
        send(natT, gw4500, withMarker(mm5));
        mm6 = receive(natT, b -> b.length > 4 + IsakmpHeader.SIZE && isZeroMarker(b), 3);
      }
      assertTrue(mm6 != null, "MM6 on 4500: " + coati.log());
      byte[] m = Arrays.copyOfRange(mm6, 4, mm6.length);
      IsakmpHeader h = IsakmpCodec.peekHeader(m);
      assertTrue(h.isEncrypted());
      assertEquals(ci, h.initiatorSpi());
      byte[] body =
          cipher.decrypt(
              Arrays.copyOfRange(ct, ct.length - 16, ct.length),
              Arrays.copyOfRange(m, IsakmpHeader.SIZE, h.length()));
      List<Payload> ps =
          IsakmpCodec.decodePayloads(h.nextPayload(), body, 0, body.length).payloads();
      IdPayload idir =
          (IdPayload) ps.stream().filter(IdPayload.class::isInstance).findFirst().orElseThrow();
      HashPayload hashR =
          (HashPayload) ps.stream().filter(HashPayload.class::isInstance).findFirst().orElseThrow();
      assertArrayEquals(
          Keymat.hashR(prf, skeyid, gxi, gxr, ci, cr, saiB, body(idir)),
          hashR.data(),
          "HASH_R verifies: coati authenticated with the PSK");
      assertEquals(IdPayload.fqdn("vpn.test"), idir);
      String established = "IKE SA established peer=" + NAT_OUTSIDE + ":4500";
      for (int i = 0; i < 50 && !coati.log().contains(established); i++) {
        Thread.sleep(100);
      }
      String log = coati.log();
      assertTrue(log.contains(established), "coati followed the client to 4500: " + log);
      String line = log.lines().filter(l -> l.contains(established)).findFirst().orElse("");
      assertTrue(
          line.contains(" nat=both "),
          "coati detected the NAT in front of itself and in front of the client: " + log);
      assertTrue(line.contains(",ms_nt5_isakmpoakley,"), log);
    }

    /**
     * Sends {@code msg} (retransmitting like Windows) until a reply starting with {@code first}.
     */
    IsakmpMessage exchange(
        DatagramSocket s, InetSocketAddress to, byte[] msg, PayloadType first, CoatiProcess coati)
        throws Exception {
      for (int i = 0; i < 10; i++) {
        send(s, to, msg);
        byte[] r =
            receive(
                s,
                b -> {
                  try {
                    IsakmpHeader h = IsakmpCodec.peekHeader(b);
                    return h.initiatorSpi() == ci && h.nextPayload().equals(first);
                  } catch (RuntimeException e) {
                    return false;
                  }
                },
                3);
        if (r != null) {
          return IsakmpMessage.decode(r);
        }
      }
      throw new AssertionError("no answer with " + first + " from coati: " + coati.log());
    }

    static void send(DatagramSocket s, InetSocketAddress to, byte[] b) throws Exception {
      s.send(new DatagramPacket(b, b.length, to));
    }

    /** Up to {@code tries} × 500 ms for a datagram that matches; others are skipped. */
    static byte[] receive(DatagramSocket s, Predicate<byte[]> wanted, int tries) throws Exception {
      byte[] buf = new byte[65535];
      for (int i = 0; i < tries; i++) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          s.receive(p);
        } catch (SocketTimeoutException e) {
          continue;
        }
        byte[] b = Arrays.copyOf(p.getData(), p.getLength());
        if (wanted.test(b)) {
          return b;
        }
      }
      return null;
    }

    static byte[] withMarker(byte[] m) {
      byte[] out = new byte[m.length + 4];
      System.arraycopy(m, 0, out, 4, m.length);
      return out;
    }

    static boolean isZeroMarker(byte[] b) {
      return b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0;
    }

    static <T> T first(IsakmpMessage m, Class<T> type) {
      return m.payloads().stream()
          .filter(type::isInstance)
          .map(type::cast)
          .findFirst()
          .orElseThrow();
    }

    @Override
    public void close() {
      ike.close();
      natT.close();
      dh.destroy();
    }
  }
}
