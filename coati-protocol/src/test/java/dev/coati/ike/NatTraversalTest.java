package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.crypto.DhFactory;
import dev.coati.crypto.HashAlg;
import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IpsecAttr;
import dev.coati.ike.wire.IsakmpMessage;
import dev.coati.ike.wire.NatDPayload;
import dev.coati.ike.wire.PayloadType;
import dev.coati.util.Hex;
import dev.coati.util.RandomSource;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** NAT-T (RFC 3947): NAT-D hashes, detection, floating to 4500, UDP-encapsulated modes. */
class NatTraversalTest {

  /**
   * In the strongSwan capture, the hashes each side computed of the *other* side's address are
   * genuine (kernel-libipsec fakes only the hash of its own address); ours must equal them.
   */
  @Test
  void natDHash_equalsStrongSwans() throws Exception {
    List<StrongSwanCaptureTest.Msg> msgs =
        StrongSwanCaptureTest.messages("mm-aes128-sha1-modp2048");
    IsakmpMessage m3 = IsakmpMessage.decode(msgs.get(2).bytes());
    IsakmpMessage m4 = IsakmpMessage.decode(msgs.get(3).bytes());
    long ci = m4.header().initiatorSpi();
    long cr = m4.header().responderSpi();
    PeerAddress cli = PeerAddress.ipv4(10, 98, 0, 2, 500);
    PeerAddress srv = PeerAddress.ipv4(10, 98, 0, 1, 500);
    List<NatDPayload> fromCli =
        m3.payloads().stream()
            .filter(NatDPayload.class::isInstance)
            .map(NatDPayload.class::cast)
            .toList();
    List<NatDPayload> fromSrv =
        m4.payloads().stream()
            .filter(NatDPayload.class::isInstance)
            .map(NatDPayload.class::cast)
            .toList();
    assertEquals(PayloadType.NAT_D, fromCli.get(0).type());
    assertArrayEquals(fromCli.get(0).hash(), NatDetection.hash(HashAlg.SHA1, ci, cr, srv));
    assertArrayEquals(fromSrv.get(0).hash(), NatDetection.hash(HashAlg.SHA1, ci, cr, cli));
  }

  @Test
  void initiatorBehindNat_bothDetect_floatTo4500_udpEncapsulatedChild() {
    EnginePair p = new EnginePair("aes256-sha256-modp2048", "aes128-sha1", 40);
    p.natBetween = true;
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.initiator.initiateChild(i, ExchangeManagerTest.hostToHost());
    p.pump();
    IkeSa r = p.responderSa();
    assertEquals(IkeSa.State.ESTABLISHED, i.state());
    assertEquals(IkeSa.State.ESTABLISHED, r.state());
    assertEquals(NatVariant.RFC3947, i.natVariant());
    assertTrue(i.localBehindNat() && !i.peerBehindNat(), "initiator knows it is behind the NAT");
    assertTrue(r.peerBehindNat() && !r.localBehindNat(), "responder sees the peer behind a NAT");
    assertEquals(4500, i.local().port());
    assertEquals(4500, i.peer().port());
    assertEquals(EnginePair.NAT_PUBLIC.withPort(61001), r.peer(), "responder follows the float");
    assertEquals(4500, r.local().port());
    // main mode 5/6 and quick mode travelled on 4500
    long on4500 =
        p.wire.stream().filter(d -> d.to().port() == 4500 || d.from().port() == 4500).count();
    assertEquals(5, on4500);
    ChildSa c = p.rEvents.children.get(0);
    assertEquals(IpsecAttr.UDP_TRANSPORT, c.transform().encapsulationMode());
    assertTrue(c.transform().udpEncapsulated());
    // NAT-OA (RFC 3947 5.2): the responder learns the initiator's address behind the NAT, the
    // initiator the responder's own address
    assertArrayEquals(EnginePair.I_ADDR.address(), c.peerOriginalAddress());
    assertArrayEquals(EnginePair.R_ADDR.address(), p.iEvents.children.get(0).peerOriginalAddress());
  }

  /**
   * RFC 3947 section 5.2: only an authenticated message moves an SA to a new address or port. A
   * tampered or replayed copy of the client's message from another port behind its NAT (found by
   * MutatedReplayIT: the client's tunnel went dead) leaves the SA where it is; the client's next
   * real message from a new mapping moves it.
   */
  @Test
  void onlyAuthenticatedMessagesMoveTheSa_notTamperedOrReplayedCopiesFromAnotherPort() {
    EnginePair p = new EnginePair("aes256-sha256-modp2048", "aes128-sha1", 41);
    p.natBetween = true;
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.initiator.initiateChild(i, ExchangeManagerTest.hostToHost());
    p.pump();
    IkeSa r = p.responderSa();
    PeerAddress mapped = EnginePair.NAT_PUBLIC.withPort(61001);
    assertEquals(mapped, r.peer());
    EnginePair.Datagram last =
        p.wire.stream()
            .filter(d -> d.to().port() == 4500 && d.from().equals(EnginePair.I_ADDR.withPort(4500)))
            .reduce((a, b) -> b)
            .orElseThrow();
    PeerAddress other = EnginePair.NAT_PUBLIC.withPort(62000);
    PeerAddress us = EnginePair.R_ADDR.withPort(4500);
    byte[] tampered = last.bytes().clone();
    tampered[tampered.length - 1] ^= 1;
    p.responder.receive(us, other, tampered);
    assertEquals(mapped, r.peer(), "a tampered copy does not move the SA");
    p.responder.receive(us, other, last.bytes().clone());
    assertEquals(mapped, r.peer(), "nor does a replayed one");
    assertEquals(IkeSa.State.ESTABLISHED, r.state());

    p.initiator.initiateChild(i, ExchangeManagerTest.hostToHost());
    EnginePair.Datagram qm1 = p.toResponder.poll();
    p.responder.receive(us, other, qm1.bytes());
    assertEquals(other, r.peer(), "the client's real message from a new mapping moves it");
  }

  @Test
  void noNat_staysOn500_plainModes() {
    EnginePair p = new EnginePair("aes256-sha256-modp2048", "aes128-sha1", 41);
    p.iPolicy.localId = IdPayload.fqdn("client");
    p.rPolicy.aggressiveIds.add("client");
    IkeSa i = p.connect(ExchangeType.AGGRESSIVE);
    p.initiator.initiateChild(i, ExchangeManagerTest.hostToHost());
    p.pump();
    IkeSa r = p.responderSa();
    assertEquals(IkeSa.State.ESTABLISHED, i.state());
    assertEquals(NatVariant.RFC3947, r.natVariant());
    assertFalse(i.udpEncapsulation() || r.udpEncapsulation());
    assertEquals(500, i.local().port());
    assertEquals(IpsecAttr.TRANSPORT, p.rEvents.children.get(0).transform().encapsulationMode());
  }

  @Test
  void forcedEncapsulation_makesTheClientFloat_evenWithoutNat() {
    EnginePair p = new EnginePair("aes128-sha1-modp2048", "aes128gcm16", 42);
    p.rPolicy.forceUdpEncapsulation = true;
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.initiator.initiateChild(
        i,
        new ChildRequest(
            TrafficSelector.host(new byte[] {10, 66, 0, 9}, 0, 0),
            TrafficSelector.subnet(new byte[] {10, (byte) 200, 0, 0}, 16, 0, 0),
            IpsecAttr.TUNNEL));
    p.pump();
    assertTrue(i.localBehindNat(), "the responder's NAT-D made us believe in a NAT");
    assertEquals(4500, i.local().port());
    assertEquals(IpsecAttr.UDP_TUNNEL, p.rEvents.children.get(0).transform().encapsulationMode());
  }

  @Test
  void microsoftParrot_sendsTheClientsHashOfOurAddressBack() {
    TestPolicy policy = new TestPolicy("aes128-sha1-modp2048", "aes128-sha1", IdPayload.fqdn("gw"));
    policy.microsoftNatDParrot = true;
    RandomSource rnd = RandomSource.deterministic(9);
    IkeContext ctx =
        new IkeContext(
            () -> 0,
            rnd,
            DhFactory.using(rnd),
            policy,
            (a, b, c) -> {},
            new IkeListener() {},
            RetransmitPolicy.DEFAULT);
    IkeSa sa =
        new IkeSa(
            false,
            11,
            22,
            PeerAddress.ipv4(172, 31, 0, 5, 500),
            PeerAddress.ipv4(198, 51, 100, 7, 4500),
            ExchangeType.IDENTITY_PROTECTION,
            ctx);
    sa.setNatVariant(NatVariant.RFC3947);
    byte[] clientViewOfUs = Hex.decode("00112233445566778899aabbccddeeff00112233");
    List<NatDPayload> fromClient =
        List.of(
            new NatDPayload(PayloadType.NAT_D, clientViewOfUs),
            new NatDPayload(PayloadType.NAT_D, new byte[20]));
    // not a Microsoft client: our real hash
    List<NatDPayload> plain = NatDetection.ours(sa, ctx, HashAlg.SHA1, fromClient);
    assertArrayEquals(NatDetection.hash(HashAlg.SHA1, 11, 22, sa.local()), plain.get(1).hash());
    sa.addFeatures(Set.of(PeerFeature.MS_NT5_ISAKMPOAKLEY), 9);
    List<NatDPayload> parroted = NatDetection.ours(sa, ctx, HashAlg.SHA1, fromClient);
    assertArrayEquals(NatDetection.hash(HashAlg.SHA1, 11, 22, sa.peer()), parroted.get(0).hash());
    assertArrayEquals(clientViewOfUs, parroted.get(1).hash());
  }

  @Test
  void behindNat_sendsKeepalivesEvery20s_theOtherSideDoesNot() {
    EnginePair p = new EnginePair("aes128-sha1-modp2048", "aes128-sha1", 43);
    p.natBetween = true;
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    assertTrue(i.localBehindNat());
    p.advance(1_000);
    p.pump();
    assertTrue(p.iKeepalives.isEmpty(), "no keepalive on the first tick after phase 1");
    p.advance(18_000);
    p.pump();
    assertTrue(p.iKeepalives.isEmpty(), "none before the interval has passed");
    p.advance(1_000);
    p.pump();
    assertEquals(1, p.iKeepalives.size(), "the first one interval (20 s) after phase 1");
    for (int n = 0; n < 4; n++) {
      p.advance(10_000);
      p.pump();
    }
    assertEquals(3, p.iKeepalives.size(), "60 s behind a NAT: three keepalives");
    assertEquals(EnginePair.R_ADDR.withPort(4500), p.iKeepalives.get(0));
    assertTrue(p.rKeepalives.isEmpty(), "the side not behind a NAT sends none");
  }

  /**
   * vpnc 0.5.3 behind a MASQUERADE NAT (client 10.1.0.2, NAT 10.97.0.254, gateway 10.97.0.1), its
   * aggressive mode HASH_I message as vpnc's debug dump showed it (VpncIT's set-up, 2026-12-07):
   * sent from and to port 4500, it carries SHA-1 NAT-D hashes of the gateway's and its own address
   * with port 500, the ports of the first two messages. The gateway is not behind a NAT.
   */
  @Test
  void vpncAggressiveMode_natDOfThePhase1Ports_gatewayNotBehindNat() {
    long ci = Long.parseUnsignedLong("5b80122b8d3f2556", 16);
    long cr = Long.parseUnsignedLong("017d6ea5d5662610", 16);
    List<NatDPayload> fromVpnc =
        List.of(
            new NatDPayload(
                PayloadType.NAT_D, Hex.decode("287b7483fd5bafaaae7d2ca7304253b4ee767c10")),
            new NatDPayload(
                PayloadType.NAT_D, Hex.decode("0f7ad8b83f3487fd8568f6c5aceefc372d1d66d8")));
    TestPolicy policy = new TestPolicy("aes256-sha1-modp1024", "aes128-sha1", null);
    RandomSource rnd = RandomSource.deterministic(10);
    IkeContext ctx =
        new IkeContext(
            () -> 0,
            rnd,
            DhFactory.using(rnd),
            policy,
            (a, b, c) -> {},
            new IkeListener() {},
            RetransmitPolicy.DEFAULT);
    PeerAddress gw = PeerAddress.ipv4(10, 97, 0, 1, 500);
    PeerAddress natted = PeerAddress.ipv4(10, 97, 0, 254, 500);
    IkeSa sa = new IkeSa(false, ci, cr, gw, natted, ExchangeType.AGGRESSIVE, ctx);
    sa.setNatVariant(NatVariant.RFC3947);
    // HASH_I arrives on 4500 from 4500: the engine moves both ends before the task checks NAT-D
    sa.updateLocal(gw.withPort(4500));
    sa.updatePeer(natted.withPort(4500));
    NatDetection.check(sa, ctx, HashAlg.SHA1, fromVpnc);
    assertFalse(sa.localBehindNat(), "the gateway is not behind a NAT");
    assertTrue(sa.peerBehindNat(), "vpnc is");
    // the same hashes with the ports vpnc really used (4500) would match too
    NatDetection.check(
        sa,
        ctx,
        HashAlg.SHA1,
        List.of(
            new NatDPayload(PayloadType.NAT_D, NatDetection.hash(HashAlg.SHA1, ci, cr, sa.local())),
            fromVpnc.get(1)));
    assertFalse(sa.localBehindNat());
  }

  /**
   * Libreswan 4.10 behind a MASQUERADE NAT (VM 10.1.0.11, NAT 10.98.1.254, gateway 10.98.1.1;
   * LibreswanIT case b, 2026-12-07, {@code plutodebug=all}): in its aggressive mode third message,
   * sent after floating to 4500, {@code ikev1_nat_traversal_add_natd} hashes the endpoints of the
   * message it answers, port 500 for both: gateway 10.98.1.1:500, then itself 10.1.0.11:500
   * (pluto's "natd_hash: ip= port= hash=" lines). The same habit as vpnc's; the gateway is not
   * behind a NAT (coati logs nat=peer, never local or both).
   */
  @Test
  void libreswanAggressiveMode_natDOfThePhase1Ports_gatewayNotBehindNat() {
    long ci = Long.parseUnsignedLong("a7a715ac72ed1994", 16);
    long cr = Long.parseUnsignedLong("1232d20935364ecf", 16);
    List<NatDPayload> fromLibreswan =
        List.of(
            new NatDPayload(
                PayloadType.NAT_D,
                Hex.decode("f1a41efbb3c9dc73334dd70ec0c980a4151ce7213a19b301822d61dd5c78d4e9")),
            new NatDPayload(
                PayloadType.NAT_D,
                Hex.decode("f512e748bff4692708932b0709d9025d8b5e7c814c8f222d584e20a97939d6bd")));
    TestPolicy policy = new TestPolicy("aes256-sha256-modp2048", "aes128-sha1", null);
    RandomSource rnd = RandomSource.deterministic(11);
    IkeContext ctx =
        new IkeContext(
            () -> 0,
            rnd,
            DhFactory.using(rnd),
            policy,
            (a, b, c) -> {},
            new IkeListener() {},
            RetransmitPolicy.DEFAULT);
    PeerAddress gw = PeerAddress.ipv4(10, 98, 1, 1, 500);
    PeerAddress natted = PeerAddress.ipv4(10, 98, 1, 254, 500);
    // the hash of the gateway's address is what pluto computed: SHA-256 of cookies, IP, port 500
    assertArrayEquals(fromLibreswan.get(0).hash(), NatDetection.hash(HashAlg.SHA2_256, ci, cr, gw));
    IkeSa sa = new IkeSa(false, ci, cr, gw, natted, ExchangeType.AGGRESSIVE, ctx);
    sa.setNatVariant(NatVariant.RFC3947);
    sa.updateLocal(gw.withPort(4500));
    sa.updatePeer(natted.withPort(4500));
    NatDetection.check(sa, ctx, HashAlg.SHA2_256, fromLibreswan);
    assertFalse(sa.localBehindNat(), "the gateway is not behind a NAT");
    assertTrue(sa.peerBehindNat(), "Libreswan is (its own 10.1.0.11 hashed, 10.98.1.254 seen)");
  }
}
