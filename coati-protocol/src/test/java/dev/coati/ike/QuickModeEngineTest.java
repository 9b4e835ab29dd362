package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.crypto.EspCipher;
import dev.coati.crypto.ProposalParser;
import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IpsecAttr;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Quick mode choices: modes, proposal order, lifetimes, deletes. */
class QuickModeEngineTest {
  static final String IKE = "aes256-sha256-modp2048";

  static EnginePair established(String esp, long seed) {
    EnginePair p = new EnginePair(IKE, esp, seed);
    p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    return p;
  }

  static IkeSa initiatorSa(EnginePair p) {
    return p.initiator.sas().iterator().next();
  }

  @Test
  void transportMode_udp1701_asL2tpClientsAsk() {
    EnginePair p = established("aes256-sha1,aes128-sha1,3des-sha1", 20);
    p.initiator.initiateChild(initiatorSa(p), ExchangeManagerTest.hostToHost());
    p.pump();
    ChildSa c = p.rEvents.children.get(0);
    assertFalse(c.transform().tunnel());
    assertEquals(IpsecAttr.TRANSPORT, c.transform().encapsulationMode());
    assertEquals(17, c.remote().protocol());
    assertEquals(1701, c.remote().port());
    assertEquals(EspCipher.ESP_AES_CBC, c.transform().cipher());
    assertEquals(256, c.transform().keyBits(), "first acceptable in the peer's order");
  }

  @Test
  void udpEncapsulatedTunnel_modeIsKept() {
    EnginePair p = established("aes128gcm16", 21);
    p.initiator.initiateChild(
        initiatorSa(p),
        new ChildRequest(
            TrafficSelector.host(new byte[] {10, 66, 0, 5}, 0, 0),
            TrafficSelector.subnet(new byte[] {0, 0, 0, 0}, 0, 0, 0),
            IpsecAttr.UDP_TUNNEL));
    p.pump();
    ChildSa c = p.rEvents.children.get(0);
    assertTrue(c.transform().udpEncapsulated());
    assertTrue(c.transform().tunnel());
    assertEquals(20, c.inboundKeymat().length(), "AES-128 key plus 4-byte GCM salt");
  }

  @Test
  void serverPreference_picksOurFavouriteAmongAcceptable() {
    EnginePair p = established("aes128-sha1,aes256-sha256", 22);
    p.rPolicy.esp = ProposalParser.parseEsp("aes256-sha256,aes128-sha1", true);
    p.rPolicy.serverPreference = true;
    p.initiator.initiateChild(initiatorSa(p), ExchangeManagerTest.hostToHost());
    p.pump();
    assertEquals(256, p.rEvents.children.get(0).transform().keyBits());
    assertEquals(256, p.iEvents.children.get(0).transform().keyBits());
  }

  @Test
  void peerPreference_isTheDefault() {
    EnginePair p = established("aes128-sha1,aes256-sha256", 23);
    p.rPolicy.esp = ProposalParser.parseEsp("aes256-sha256,aes128-sha1", true);
    p.initiator.initiateChild(initiatorSa(p), ExchangeManagerTest.hostToHost());
    p.pump();
    assertEquals(128, p.rEvents.children.get(0).transform().keyBits());
  }

  @Test
  void longerLifetimeOffered_responderShortensAndSaysSo() {
    EnginePair p = established("aes128-sha1", 24);
    p.iPolicy.childLifetime = 28800;
    p.rPolicy.childLifetime = 3600;
    p.initiator.initiateChild(initiatorSa(p), ExchangeManagerTest.hostToHost());
    p.pump();
    assertEquals(3600, p.rEvents.children.get(0).lifeSeconds());
    assertEquals(3600, p.iEvents.children.get(0).lifeSeconds(), "RESPONDER-LIFETIME honoured");
  }

  @Test
  void kilobyteLifetime_isNegotiated() {
    EnginePair p = established("aes128-sha1", 25);
    p.iPolicy.childKilobytes = 500_000;
    p.rPolicy.childKilobytes = 100_000;
    p.initiator.initiateChild(initiatorSa(p), ExchangeManagerTest.hostToHost());
    p.pump();
    assertEquals(100_000, p.rEvents.children.get(0).lifeKilobytes());
    assertEquals(100_000, p.iEvents.children.get(0).lifeKilobytes());
  }

  @Test
  void severalChildren_onOneIkeSa_haveDistinctSpis() {
    EnginePair p = established("aes128-sha1", 26);
    for (int n = 0; n < 3; n++) {
      p.initiator.initiateChild(
          initiatorSa(p),
          new ChildRequest(
              TrafficSelector.subnet(new byte[] {10, 1, (byte) n, 0}, 24, 0, 0),
              TrafficSelector.subnet(new byte[] {10, 2, (byte) n, 0}, 24, 0, 0),
              IpsecAttr.TUNNEL));
    }
    p.pump();
    assertEquals(3, p.rEvents.children.size());
    assertEquals(3, p.rEvents.children.stream().mapToInt(ChildSa::inboundSpi).distinct().count());
  }

  @Test
  void deleteChild_peerRemovesIt() {
    EnginePair p = established("aes128-sha1", 27);
    IkeSa i = initiatorSa(p);
    p.initiator.initiateChild(i, ExchangeManagerTest.hostToHost());
    p.pump();
    ChildSa c = i.children().get(0);
    p.initiator.deleteChild(i, c);
    p.pump();
    assertEquals(1, p.rEvents.childrenDeleted.size());
    assertTrue(p.responderSa().children().isEmpty());
    assertEquals(IkeSa.State.ESTABLISHED, p.responderSa().state());
  }

  @Test
  void spiAllocated_whileTheChildLives_notAfter() {
    EnginePair p = established("aes128-sha1", 31);
    IkeSa i = initiatorSa(p);
    p.initiator.initiateChild(i, ExchangeManagerTest.hostToHost());
    p.pump();
    int spi = p.iEvents.children.get(0).inboundSpi();
    assertTrue(p.initiator.spiAllocated(spi));
    assertFalse(p.initiator.spiAllocated(spi ^ 0x5a5a5a5a));
    p.initiator.delete(i, "operator");
    p.pump();
    assertFalse(p.initiator.spiAllocated(spi));
  }

  @Test
  void deleteIkeSa_peerRemovesSaAndChildren() {
    EnginePair p = established("aes128-sha1", 28);
    IkeSa i = initiatorSa(p);
    p.initiator.initiateChild(i, ExchangeManagerTest.hostToHost());
    p.pump();
    p.initiator.delete(i, "operator");
    p.pump();
    assertTrue(p.responder.sas().isEmpty());
    assertEquals(1, p.rEvents.childrenDeleted.size());
    assertEquals("deleted by peer", p.rEvents.deleted.get(0));
    assertTrue(p.rEvents.children.get(0).inboundKeymat().isDestroyed(), "keys destroyed");
  }

  @Test
  void childRequestedBeforePhase1_waitsForIt() {
    EnginePair p = new EnginePair(IKE, "aes128-sha1", 29);
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.initiator.initiateChild(i, ExchangeManagerTest.hostToHost());
    p.pump();
    assertEquals(1, p.iEvents.children.size());
    assertNull(p.toInitiator.peek());
  }

  @Test
  void ikeLifetime_expiresAndDeletes() {
    EnginePair p = new EnginePair(IKE, "aes128-sha1", 30);
    p.iPolicy.ikeLifetime = 600;
    p.rPolicy.ikeLifetime = 300;
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    assertEquals(300, p.responderSa().transform().orElseThrow().lifeSeconds());
    p.advance(300_000);
    p.pump();
    assertTrue(p.responder.sas().isEmpty());
    assertEquals(IkeSa.State.DELETED, i.state(), "the responder's Delete reached the initiator");
  }

  @Test
  void commitBit_echoed_connectedSent_initiatorInstallsOnlyAfterIt() {
    EnginePair p = established("aes128-sha1", 31);
    IkeSa i = initiatorSa(p);
    java.util.concurrent.atomic.AtomicInteger toInit =
        new java.util.concurrent.atomic.AtomicInteger();
    // hold back the responder's 2nd quick mode message (CONNECTED) once
    p.drop = d -> d.to().equals(EnginePair.I_ADDR) && toInit.incrementAndGet() == 2;
    p.initiator.initiateChild(
        i,
        new ChildRequest(
            TrafficSelector.host(EnginePair.I_ADDR.address(), 17, 1701),
            TrafficSelector.host(EnginePair.R_ADDR.address(), 17, 1701),
            IpsecAttr.TRANSPORT,
            true));
    p.pump();
    assertEquals(1, p.rEvents.children.size(), "responder installed after HASH(3)");
    assertTrue(p.iEvents.children.isEmpty(), "initiator waits for CONNECTED");
    EnginePair.Datagram qm2 =
        p.wire.stream()
            .filter(d -> d.to().equals(EnginePair.I_ADDR))
            .filter(
                d ->
                    dev.coati.ike.wire.IsakmpCodec.peekHeader(d.bytes())
                        .exchangeType()
                        .equals(ExchangeType.QUICK_MODE))
            .findFirst()
            .orElseThrow();
    assertTrue(dev.coati.ike.wire.IsakmpCodec.peekHeader(qm2.bytes()).isCommit());
    // the initiator retransmits HASH(3); the responder answers with its cached CONNECTED
    p.advance(RetransmitPolicy.DEFAULT.delay(0));
    p.pump();
    assertEquals(1, p.iEvents.children.size(), "installed after CONNECTED");
    assertEquals(1, p.rEvents.children.size());
  }

  @Test
  void commitBitInPhase1_isRefused() {
    EnginePair p = new EnginePair(IKE, "aes128-sha1", 32);
    p.connect(ExchangeType.IDENTITY_PROTECTION);
    EnginePair.Datagram m1 = p.toResponder.poll();
    byte[] b = m1.bytes().clone();
    b[19] |= 2; // flags byte of the ISAKMP header
    p.responder.receive(m1.to(), m1.from(), b);
    assertTrue(p.responder.sas().isEmpty());
    assertEquals(1, p.responder.counters().malformed());
  }

  @Test
  void phase1Reauthentication_childrenSurviveTheOldIsakmpSa() {
    EnginePair p = established("aes128-sha1", 33);
    IkeSa first = initiatorSa(p);
    p.initiator.initiateChild(first, ExchangeManagerTest.hostToHost());
    p.pump();
    // the initiator builds a second ISAKMP SA, then deletes the first (strongSwan's IKEv1 rekey)
    IkeSa second =
        p.initiator.initiate(
            EnginePair.I_ADDR, EnginePair.R_ADDR, ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    assertEquals(IkeSa.State.ESTABLISHED, second.state());
    p.initiator.retire(first);
    p.pump();
    assertEquals(1, p.responder.sas().size());
    assertTrue(p.rEvents.childrenDeleted.isEmpty(), "the IPsec SA outlives its ISAKMP SA");
    assertEquals(1, p.responder.sas().iterator().next().children().size());
  }

  @Test
  void childLifetime_initiatorRekeysAtNinetyPercent_oldOneDeletedAtTheEnd() {
    EnginePair p = established("aes128-sha1", 34);
    p.iPolicy.childLifetime = 100;
    p.rPolicy.childLifetime = 100;
    IkeSa i = initiatorSa(p);
    p.initiator.initiateChild(i, ExchangeManagerTest.hostToHost());
    p.pump();
    ChildSa first = i.children().get(0);
    p.advance(89_000);
    p.pump();
    assertEquals(1, i.children().size(), "not yet");
    p.advance(1_000);
    p.pump();
    assertEquals(2, i.children().size(), "a new child before the old one ends");
    assertEquals(2, p.responderSa().children().size());
    p.advance(10_000);
    p.pump();
    assertEquals(1, i.children().size());
    assertEquals(1, p.responderSa().children().size());
    assertTrue(i.children().get(0) != first, "the survivor is the new child");
    assertTrue(first.inboundKeymat().isDestroyed());
    assertEquals(i.children().get(0).inboundSpi(), p.responderSa().children().get(0).outboundSpi());
  }

  @Test
  void ourIkeSa_reauthenticatedAt90Percent_childrenKept_noInitialContact() {
    EnginePair p = new EnginePair(IKE, "aes128-sha1", 32);
    p.iPolicy.ikeLifetime = 300;
    p.rPolicy.ikeLifetime = 300;
    IkeSa old = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.initiator.initiateChild(old, ExchangeManagerTest.hostToHost());
    p.pump();
    ChildSa child = p.iEvents.children.get(0);
    assertEquals(1, p.rEvents.initialContacts);
    p.advance(269_000);
    p.pump();
    assertEquals(1, p.initiator.sas().size(), "nothing before 90%");
    p.advance(2_000);
    p.pump();
    assertEquals(IkeSa.State.DELETED, old.state(), "the old ISAKMP SA was retired");
    assertEquals(1, p.initiator.sas().size());
    assertEquals(1, p.responder.sas().size());
    IkeSa fresh = p.initiator.sas().iterator().next();
    assertTrue(fresh != old && fresh.state() == IkeSa.State.ESTABLISHED);
    assertEquals(List.of(child), fresh.children(), "the IPsec SA moved to the new ISAKMP SA");
    assertEquals(1, p.responderSa().children().size(), "and on the responder too");
    assertTrue(p.iEvents.childrenDeleted.isEmpty() && p.rEvents.childrenDeleted.isEmpty());
    assertEquals(1, p.rEvents.initialContacts, "a reauthentication sends no INITIAL-CONTACT");
  }

  @Test
  void childVolume_softRekeysByTheNegotiator_hardDeletes() {
    EnginePair p = established("aes128-sha1", 33);
    IkeSa i = initiatorSa(p);
    p.initiator.initiateChild(i, ExchangeManagerTest.hostToHost());
    p.pump();
    ChildSa first = p.iEvents.children.get(0);
    p.responder.childVolumeReached(p.responderSa(), p.rEvents.children.get(0), false);
    p.pump();
    assertEquals(1, p.iEvents.children.size(), "the responder did not negotiate it: no rekey");
    p.initiator.childVolumeReached(i, first, false);
    p.initiator.childVolumeReached(i, first, false);
    p.pump();
    assertEquals(2, p.iEvents.children.size(), "one rekey, however often the data plane asks");
    p.initiator.childVolumeReached(i, first, true);
    p.pump();
    assertEquals(List.of(first), p.iEvents.childrenDeleted);
    assertEquals(1, p.rEvents.childrenDeleted.size(), "the peer got our Delete");
    assertEquals(1, i.children().size(), "the rekeyed child carries the traffic");
  }
}
