package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IpsecAttr;
import dev.coati.ike.wire.IsakmpCodec;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Retransmission, duplicate detection and timeouts, owned by the exchange manager. */
class ExchangeManagerTest {
  static final String IKE = "aes128-sha256-modp2048";

  static ChildRequest hostToHost() {
    return new ChildRequest(
        TrafficSelector.host(EnginePair.I_ADDR.address(), 17, 1701),
        TrafficSelector.host(EnginePair.R_ADDR.address(), 17, 1701),
        IpsecAttr.TRANSPORT);
  }

  @Test
  void lostResponse_initiatorRetransmits_andCompletes() {
    EnginePair p = new EnginePair(IKE, "aes128-sha1", 1);
    AtomicInteger dropped = new AtomicInteger();
    // drop the responder's first reply (main mode message 2) once
    p.drop = d -> d.to().equals(EnginePair.I_ADDR) && dropped.getAndIncrement() == 0;
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    assertEquals(IkeSa.State.CONNECTING, i.state());
    int before = p.wire.size();
    p.advance(RetransmitPolicy.DEFAULT.delay(0));
    p.pump();
    assertTrue(p.wire.size() > before, "message 1 was retransmitted");
    assertEquals(IkeSa.State.ESTABLISHED, i.state());
    assertEquals(IkeSa.State.ESTABLISHED, p.responderSa().state());
    assertEquals(1, p.responder.sas().size(), "the retransmission made no second SA");
  }

  @Test
  void duplicateRequest_isAnsweredFromCache_notProcessedTwice() {
    EnginePair p = new EnginePair(IKE, "aes128-sha1", 2);
    p.connect(ExchangeType.IDENTITY_PROTECTION);
    EnginePair.Datagram m1 = p.toResponder.poll();
    // --> ID_PROT {SA}   (twice, as a client retransmits when the answer is slow)
    p.responder.receive(m1.to(), m1.from(), m1.bytes());
    p.responder.receive(m1.to(), m1.from(), m1.bytes());
    assertEquals(2, p.toInitiator.size(), "both copies answered");
    assertArrayEquals(p.toInitiator.poll().bytes(), p.toInitiator.peek().bytes(), "same answer");
    assertEquals(1, p.responder.sas().size());
    p.pump();
    assertEquals(1, p.responder.counters().ikeEstablished());
    assertEquals(1, p.initiator.counters().ikeEstablished());
    // a stale copy of message 1 after the exchange moved on is dropped, not answered
    p.responder.receive(m1.to(), m1.from(), m1.bytes());
    assertNull(p.toInitiator.peek());
  }

  @Test
  void lostFinalMessage_retransmittedRequestGetsCachedFinalAnswer() {
    EnginePair p = new EnginePair(IKE, "aes128-sha1", 3);
    AtomicInteger toInit = new AtomicInteger();
    // drop main mode message 6 (the responder's third message) once
    p.drop = d -> d.to().equals(EnginePair.I_ADDR) && toInit.incrementAndGet() == 3;
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    assertEquals(IkeSa.State.CONNECTING, i.state());
    assertEquals(IkeSa.State.ESTABLISHED, p.responderSa().state());
    p.advance(RetransmitPolicy.DEFAULT.delay(0));
    p.pump();
    assertEquals(IkeSa.State.ESTABLISHED, i.state());
    assertEquals(1, p.responder.counters().ikeEstablished());
  }

  @Test
  void noReply_retransmitsAreBounded_thenSaDeleted() {
    EnginePair p = new EnginePair(IKE, "aes128-sha1", 4);
    p.drop = d -> true;
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    for (int n = 0; n < 20 && i.state() != IkeSa.State.DELETED; n++) {
      p.advance(RetransmitPolicy.DEFAULT.delay(n));
      p.pump();
    }
    assertEquals(IkeSa.State.DELETED, i.state());
    long fromInitiator = p.wire.stream().filter(d -> d.to().equals(EnginePair.R_ADDR)).count();
    assertEquals(1 + RetransmitPolicy.DEFAULT.maxRetransmits(), fromInitiator);
    assertEquals(1, p.iEvents.deleted.size());
    assertTrue(p.initiator.sas().isEmpty());
  }

  @Test
  void quickModeRetransmission_duplicateQuickMode1_getsCachedQuickMode2() {
    EnginePair p = new EnginePair(IKE, "aes128-sha1", 5);
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    p.initiator.initiateChild(i, hostToHost());
    EnginePair.Datagram qm1 = p.toResponder.poll();
    assertEquals(ExchangeType.QUICK_MODE, IsakmpCodec.peekHeader(qm1.bytes()).exchangeType());
    p.responder.receive(qm1.to(), qm1.from(), qm1.bytes());
    p.responder.receive(qm1.to(), qm1.from(), qm1.bytes());
    assertEquals(2, p.toInitiator.size(), "cached QM2 resent");
    assertArrayEquals(p.toInitiator.poll().bytes(), p.toInitiator.peek().bytes());
    p.pump();
    assertEquals(1, p.rEvents.children.size(), "no second child from a duplicate");
    assertEquals(1, p.iEvents.children.size());
    assertNull(p.toInitiator.peek());
  }

  @Test
  void garbage_isDroppedAndCounted_engineSurvives() {
    EnginePair p = new EnginePair(IKE, "aes128-sha1", 6);
    p.responder.receive(EnginePair.R_ADDR, EnginePair.I_ADDR, new byte[] {1, 2, 3});
    p.responder.receive(EnginePair.R_ADDR, EnginePair.I_ADDR, new byte[40]);
    assertEquals(2, p.responder.counters().malformed() + p.responder.counters().unknownSa());
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    assertEquals(IkeSa.State.ESTABLISHED, i.state());
  }

  @Test
  void duplicateOfThePeersAnswer_toOurXauthRequest_isDroppedNotAnsweredWithTheRequest() {
    RemoteAccessEngineTest.Gateway gw = new RemoteAccessEngineTest.Gateway();
    EnginePair p = RemoteAccessEngineTest.pair(gw, "wonderland");
    List<EnginePair.Datagram> held = new java.util.ArrayList<>();
    // hold back the client's Xauth REPLY (its first transaction message) to replay it by hand
    p.drop =
        d ->
            held.isEmpty()
                && IsakmpCodec.peekHeader(d.bytes()).exchangeType().equals(ExchangeType.TRANSACTION)
                && d.to().equals(EnginePair.R_ADDR)
                && held.add(d);
    p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    EnginePair.Datagram reply = held.get(0);
    p.responder.receive(reply.to(), reply.from(), reply.bytes());
    int sent = p.toInitiator.size(); // the XAUTH_STATUS SET
    // vpnc re-sends its REPLY whenever it sees a packet it ignores
    for (int n = 0; n < 5; n++) {
      p.responder.receive(reply.to(), reply.from(), reply.bytes());
    }
    assertEquals(sent, p.toInitiator.size(), "no answer to a copy of the client's answer");
    assertEquals(5, p.responder.counters().duplicatesDropped());
    assertEquals(List.of("alice"), gw.checked, "the password was checked once");
    p.pump();
    assertArrayEquals(
        RemoteAccessEngineTest.VIP,
        p.initiator.sas().iterator().next().virtualAddress().orElseThrow());
  }

  @Test
  void lostAggressiveModeHashI_responderRetransmits_initiatorResendsItsLastMessage() {
    EnginePair p = new EnginePair(IKE, "aes128-sha1", 7);
    p.iPolicy.localId = dev.coati.ike.wire.IdPayload.fqdn("client.example.org");
    p.rPolicy.aggressiveIds.add("client.example.org");
    AtomicInteger toResp = new AtomicInteger();
    p.drop =
        d ->
            d.to().port() == 500
                && d.to().equals(EnginePair.R_ADDR)
                && toResp.incrementAndGet() == 2;
    IkeSa i = p.connect(ExchangeType.AGGRESSIVE);
    p.pump();
    assertEquals(IkeSa.State.ESTABLISHED, i.state());
    assertEquals(IkeSa.State.CONNECTING, p.responderSa().state(), "HASH_I was lost");
    p.advance(RetransmitPolicy.DEFAULT.delay(0));
    p.pump();
    assertEquals(IkeSa.State.ESTABLISHED, p.responderSa().state());
    assertEquals(1, p.initiator.counters().duplicatesAnswered(), "HASH_I re-sent once");
  }

  @Test
  void spoofedGarbageWithALiveSasCookies_leavesNoPendingState() {
    EnginePair p = new EnginePair(IKE, "aes128-sha1", 9);
    p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    IkeSa r = p.responderSa();
    assertEquals(IkeSa.State.ESTABLISHED, r.state());
    java.util.Random rnd = new java.util.Random(9);
    for (int i = 0; i < 30_000; i++) {
      byte[] body = new byte[48];
      rnd.nextBytes(body);
      ExchangeType et = i % 2 == 0 ? ExchangeType.QUICK_MODE : ExchangeType.TRANSACTION;
      dev.coati.ike.wire.IsakmpHeader h =
          new dev.coati.ike.wire.IsakmpHeader(
              r.initiatorCookie(),
              r.responderCookie(),
              dev.coati.ike.wire.PayloadType.NONE,
              1,
              0,
              et,
              dev.coati.ike.wire.IsakmpHeader.FLAG_ENCRYPTION,
              rnd.nextInt() | 1,
              0);
      byte[] d = IsakmpCodec.assembleRaw(h, dev.coati.ike.wire.PayloadType.HASH, body);
      p.responder.receive(EnginePair.R_ADDR, EnginePair.I_ADDR, d);
    }
    assertTrue(r.exchanges().size() <= ExchangeManager.MAX_OPEN, "" + r.exchanges().size());
    assertTrue(r.ivs().size() <= 64, "" + r.ivs().size());
    // the SA still works: a real quick mode completes
    p.toInitiator.clear();
    p.initiator.initiateChild(p.initiator.sas().iterator().next(), hostToHost());
    p.pump();
    assertEquals(1, p.rEvents.children.size());
  }

  @Test
  void aCopyOfThePeersFinalReply_isNotAnsweredWithOurRequest() {
    EnginePair p = new EnginePair(IKE, "aes128-sha1", 11);
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    EnginePair.Datagram last = null;
    for (int n = 0; n < 20 && i.state() != IkeSa.State.ESTABLISHED; n++) {
      EnginePair.Datagram d = p.toResponder.poll();
      if (d != null) {
        p.responder.receive(d.to(), d.from(), d.bytes());
      }
      EnginePair.Datagram r = p.toInitiator.poll();
      if (r != null) {
        last = r;
        p.initiator.receive(r.to(), r.from(), r.bytes());
      }
    }
    assertEquals(IkeSa.State.ESTABLISHED, i.state());
    p.toResponder.clear();
    // main mode message 6 again (as vpnc re-sends its last message): the initiator stays quiet
    p.initiator.receive(last.to(), last.from(), last.bytes());
    assertNull(p.toResponder.peek(), "no copy of message 5 goes out");
  }
}
