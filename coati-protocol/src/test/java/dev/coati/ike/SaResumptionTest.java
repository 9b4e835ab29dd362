package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IpsecAttr;
import dev.coati.util.Hex;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue #13 deliver 7: an established ISAKMP SA taken apart into a snapshot, through the file
 * codec, and put back into a new engine ("restart") keeps working with the peer that never noticed:
 * a new quick mode on it (phase-2 IVs from the saved phase-1 block, SKEYID_d, SKEYID_a) and the
 * peer's Delete.
 */
class SaResumptionTest {
  static final String IKE = "aes256-sha256-modp2048";

  static ChildRequest tunnel() {
    return new ChildRequest(
        TrafficSelector.host(EnginePair.I_ADDR.address(), 0, 0),
        TrafficSelector.subnet(new byte[] {10, 1, 0, 0}, 24, 0, 0),
        IpsecAttr.TUNNEL);
  }

  private static EnginePair connected(long seed) {
    EnginePair p = new EnginePair(IKE, "aes128-sha1", seed);
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    p.initiator.initiateChild(i, tunnel());
    p.pump();
    assertEquals(1, p.responderSa().children().size());
    return p;
  }

  @Test
  void restartedResponder_resumesTheSa_andTheClientsNextQuickModeAndDeleteWork() {
    EnginePair p = connected(71);
    IkeSa i = p.initiator.sas().iterator().next();
    IkeSa before = p.responderSa();
    ChildSa child = before.children().get(0);
    SaSnapshot snap = SaResumption.capture(before, c -> 1L << 20, c -> 0);
    byte[] file = SaSnapshotCodec.encode(snap);
    snap.destroy();

    p.restartResponder(99);
    SaSnapshot back = SaSnapshotCodec.decode(file);
    assertNotNull(p.responder.resume(back));
    IkeSa after = p.responderSa();
    assertEquals(IkeSa.State.ESTABLISHED, after.state());
    assertEquals(before.responderCookie(), after.responderCookie());
    assertEquals(1, p.rEvents.established.size(), "the listener heard of the SA");
    ChildSa restored = p.rEvents.children.get(0);
    assertEquals(child.inboundSpi(), restored.inboundSpi());
    assertArrayEquals(child.inboundKeymat().bytes(), restored.inboundKeymat().bytes());
    assertArrayEquals(child.outboundKeymat().bytes(), restored.outboundKeymat().bytes());
    assertEquals(child.remote(), restored.remote());
    assertEquals(child.establishedAt(), restored.establishedAt());

    p.advance(10_000);
    p.initiator.initiateChild(i, tunnel()); // the client rekeys on the old ISAKMP SA
    p.pump();
    assertEquals(2, i.children().size(), "quick mode completed with the restarted gateway");
    assertEquals(2, after.children().size());
    assertTrue(p.rEvents.childFailures.isEmpty(), p.rEvents.childFailures.toString());

    p.initiator.delete(i, "client disconnects");
    p.pump();
    assertEquals(IkeSa.State.DELETED, after.state(), "the peer's Delete decrypted and verified");
    assertEquals(List.of("deleted by peer"), p.rEvents.deleted);
  }

  /**
   * DPD both ways on a resumed SA: the restarted gateway's R-U-THEREs are answered (else it would
   * declare the peer dead after 120 s) and the client's are too (else the client would).
   */
  @Test
  void resumedSa_dpdBothWays_keepsItAlive() {
    EnginePair p = new EnginePair(IKE, "aes128-sha1", 75);
    p.iPolicy.dpdDelay = 30;
    p.rPolicy.dpdDelay = 20;
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    p.initiator.initiateChild(i, tunnel());
    p.pump();
    byte[] file = SaSnapshotCodec.encode(SaResumption.capture(p.responderSa(), c -> 9, c -> 0));
    p.restartResponder(98);
    IkeSa r = p.responder.resume(SaSnapshotCodec.decode(file));
    int before = p.wire.size();
    for (int n = 0; n < 30; n++) {
      p.advance(10_000);
      p.pump();
    }
    assertTrue(p.wire.size() - before >= 20, "probes and answers: " + (p.wire.size() - before));
    assertEquals(IkeSa.State.ESTABLISHED, r.state(), "the client answered the gateway's DPD");
    assertEquals(IkeSa.State.ESTABLISHED, i.state(), "the gateway answered the client's DPD");
    assertTrue(p.rEvents.deleted.isEmpty() && p.iEvents.deleted.isEmpty());
  }

  @Test
  void resume_refusesACookieOrSpiAlreadyInUse() {
    EnginePair p = connected(72);
    SaSnapshot snap = SaResumption.capture(p.responderSa(), c -> 5, c -> 0);
    assertEquals(null, p.responder.resume(snap), "the SA is live here already");
    assertTrue(snap.skeyidD().isDestroyed(), "a refused snapshot's keys are destroyed");
  }

  @Test
  void codec_roundTrip_keepsEveryField() {
    EnginePair p = connected(73);
    IkeSa sa = p.responderSa();
    sa.setUser("alice");
    sa.setVirtualAddress(new byte[] {10, 99, 99, 7});
    SaSnapshot s = SaResumption.capture(sa, c -> 123_456_789L, c -> 987_654L);
    byte[] file = SaSnapshotCodec.encode(s);
    SaSnapshot d = SaSnapshotCodec.decode(file);
    assertArrayEquals(file, SaSnapshotCodec.encode(d), "encode(decode(x)) == x");
    assertEquals(s.initiatorCookie(), d.initiatorCookie());
    assertEquals(s.peer(), d.peer());
    assertEquals(s.transform(), d.transform());
    assertEquals(s.peerId(), d.peerId());
    assertEquals(s.features(), d.features());
    assertEquals("alice", d.user());
    assertArrayEquals(new byte[] {10, 99, 99, 7}, d.virtualAddress());
    assertArrayEquals(s.skeyidA().bytes(), d.skeyidA().bytes());
    assertArrayEquals(s.phase1Iv(), d.phase1Iv());
    assertEquals(123_456_789L, d.children().get(0).outboundSequence());
    assertEquals(987_654L, d.children().get(0).inboundHighest());
    assertEquals(s.children().get(0).sa().transform(), d.children().get(0).sa().transform());
    assertEquals(s.expiry(), d.expiry());
    assertTrue(d.expiry() > p.now, "expires after now: " + d.expiry());
    assertFalse(d.toString().contains(Hex.encode(d.skeyidD().bytes())));
  }

  @Test
  void codec_refusesDamagedTruncatedAndForeignFiles_withoutQuotingThem() {
    EnginePair p = connected(74);
    SaSnapshot s = SaResumption.capture(p.responderSa(), c -> 1, c -> 0);
    byte[] file = SaSnapshotCodec.encode(s);
    String key = Hex.encode(s.encryptionKey().bytes());
    for (int at : new int[] {0, 9, file.length / 2, file.length - 1}) {
      byte[] bad = file.clone();
      bad[at] ^= 0x40;
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> SaSnapshotCodec.decode(bad));
      assertFalse(e.getMessage().contains(key));
    }
    for (int len : new int[] {0, 5, 12, file.length - 1}) {
      byte[] cut = java.util.Arrays.copyOf(file, len);
      assertThrows(IllegalArgumentException.class, () -> SaSnapshotCodec.decode(cut));
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> SaSnapshotCodec.decode(new byte[SaSnapshotCodec.MAX_BYTES + 1]));
    assertNotNull(SaSnapshotCodec.decode(file));
  }

  @Test
  void codec_checksumRightButContentWrong_isRefused() {
    byte[] junk = "COATISA1garbage-garbage".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(junk);
    byte[] file =
        new dev.coati.util.ByteWriter().bytes(junk).i32((int) crc.getValue()).toByteArray();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SaSnapshotCodec.decode(file));
    assertTrue(e.getMessage().startsWith("damaged SA file"), e.getMessage());
  }
}
