package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.FragmentPayload;
import dev.coati.ike.wire.FragmentReassembler;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IsakmpCodec;
import dev.coati.ike.wire.IsakmpHeader;
import dev.coati.ike.wire.Payload;
import dev.coati.ike.wire.PayloadType;
import dev.coati.ike.wire.VendorIdPayload;
import dev.coati.util.ByteWriter;
import dev.coati.util.Hex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * IKE fragmentation (payload 132, Cisco's Vendor ID): cutting and reassembly, the Vendor ID we
 * send, and two engines that only understand each other through fragments.
 */
class IkeFragmentsTest {

  private static byte[] message(int length) {
    byte[] m = new byte[length];
    new Random(7).nextBytes(m);
    IsakmpHeader h =
        new IsakmpHeader(
            0x1122334455667788L,
            0x99aabbccddeeff00L,
            PayloadType.HASH,
            1,
            0,
            ExchangeType.TRANSACTION,
            IsakmpHeader.FLAG_ENCRYPTION,
            0x01020304,
            length);
    var w = new ByteWriter(IsakmpHeader.SIZE);
    h.encode(w);
    System.arraycopy(w.toByteArray(), 0, m, 0, IsakmpHeader.SIZE);
    return m;
  }

  @Test
  void cut_piecesFitAndReassembleToTheOriginal() {
    byte[] m = message(1500);
    List<byte[]> pieces = IkeFragments.cut(m, 552, 3);
    assertEquals(3, pieces.size()); // 516 bytes of data per piece
    FragmentReassembler r = new FragmentReassembler();
    byte[] whole = null;
    for (int i = pieces.size() - 1; i >= 0; i--) { // out of order
      byte[] p = pieces.get(i);
      assertTrue(p.length <= 552, "piece of " + p.length + " bytes");
      IsakmpHeader h = IsakmpCodec.peekHeader(p);
      assertEquals(PayloadType.FRAGMENT, h.nextPayload());
      assertEquals(0x1122334455667788L, h.initiatorSpi());
      assertEquals(0x99aabbccddeeff00L, h.responderSpi());
      assertEquals(ExchangeType.TRANSACTION, h.exchangeType());
      assertEquals(0x01020304, h.messageId());
      assertEquals(0, h.flags(), "a fragment itself is not encrypted");
      assertEquals(p.length, h.length());
      List<Payload> ps =
          IsakmpCodec.decodePayloads(h.nextPayload(), p, IsakmpHeader.SIZE, p.length - 28)
              .payloads();
      FragmentPayload f = (FragmentPayload) ps.get(0);
      assertEquals(3, f.fragmentId());
      assertEquals(i + 1, f.number());
      assertEquals(i == 2, f.last());
      byte[] got = r.add(f);
      if (i > 0) {
        assertNull(got);
      } else {
        whole = got;
      }
    }
    assertArrayEquals(m, whole);
  }

  @Test
  void cut_racoonLayout() {
    // racoon's isakmp_sendfrags: payload header (np 0, len), then id 0x0001, index, flags
    byte[] piece = IkeFragments.cut(message(600), 552, 1).get(1);
    assertEquals(
        "0000" + String.format("%04x", piece.length - 28) + "0001" + "02" + "01",
        Hex.encode(Arrays.copyOfRange(piece, 28, 36)));
  }

  @Test
  void aggressiveMode_fragmentedBothWays_establishes() {
    EnginePair p = new EnginePair("aes256-sha256-modp2048", "aes128-sha1", 42);
    p.iPolicy.fragmentSize = 100;
    p.rPolicy.fragmentSize = 100;
    PhaseOneEnginePairTest.runPair(p, ExchangeType.AGGRESSIVE, false);
    int iFragments = 0;
    int rFragments = 0;
    for (EnginePair.Datagram d : p.wire) {
      IsakmpHeader h = IsakmpCodec.peekHeader(d.bytes());
      boolean first = d.to().equals(EnginePair.R_ADDR) && h.responderSpi() == 0;
      if (!first) {
        assertTrue(d.bytes().length <= 100, d.bytes().length + " bytes on the wire");
      }
      if (h.nextPayload().equals(PayloadType.FRAGMENT)) {
        if (d.to().equals(EnginePair.R_ADDR)) {
          iFragments++;
        } else {
          rFragments++;
        }
      }
    }
    assertTrue(rFragments >= 10, "responder cut its reply: " + rFragments);
    assertTrue(iFragments >= 2, "initiator cut its later messages: " + iFragments);
  }

  /** A mode config SET too large for one 552-byte datagram (120 DNS servers) arrives in pieces. */
  @Test
  void largeModeConfig_cutIntoFragments_clientConfigured() {
    RemoteAccessEngineTest.Gateway gw = new RemoteAccessEngineTest.Gateway();
    gw.push = true;
    EnginePair p = RemoteAccessEngineTest.pair(gw, "wonderland");
    List<byte[]> dns = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      dns.add(new byte[] {10, 99, 98, (byte) i});
    }
    p.rPolicy.remoteAccess =
        new RemoteAccess() {
          @Override
          public CompletionStage<XauthResult> xauth(IkeSaView sa, byte[] user, byte[] password) {
            return gw.xauth(sa, user, password);
          }

          @Override
          public Optional<ClientConfig> clientConfig(IkeSaView sa, String user) {
            ClientConfig c = gw.clientConfig(sa, user).orElseThrow();
            return Optional.of(
                new ClientConfig(
                    c.address(),
                    c.prefix(),
                    dns,
                    c.nbns(),
                    c.defaultDomain(),
                    c.banner(),
                    c.splitInclude(),
                    c.savePassword(),
                    c.splitDns(),
                    c.pfs()));
          }

          @Override
          public boolean push(IkeSaView sa) {
            return true;
          }
        };
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.pump();
    assertArrayEquals(RemoteAccessEngineTest.VIP, i.virtualAddress().orElseThrow());
    long pieces =
        p.wire.stream()
            .filter(d -> d.to().equals(EnginePair.I_ADDR))
            .map(d -> IsakmpCodec.peekHeader(d.bytes()))
            .filter(h -> h.nextPayload().equals(PayloadType.FRAGMENT))
            .filter(h -> h.exchangeType().equals(ExchangeType.TRANSACTION))
            .count();
    assertTrue(pieces >= 2, "mode config SET in pieces: " + pieces);
    assertTrue(p.wire.stream().allMatch(d -> d.bytes().length <= 552));
  }

  @Test
  void peerWithoutFragmentation_getsWholeMessagesAndNoVendorId() {
    EnginePair p = new EnginePair("aes256-sha256-modp2048", "aes128-sha1", 43);
    p.iPolicy.fragmentSize = 0;
    p.rPolicy.fragmentSize = 100;
    PhaseOneEnginePairTest.runPair(p, ExchangeType.AGGRESSIVE, false);
    for (EnginePair.Datagram d : p.wire) {
      IsakmpHeader h = IsakmpCodec.peekHeader(d.bytes());
      assertFalse(h.nextPayload().equals(PayloadType.FRAGMENT));
      if (!h.isEncrypted()) {
        for (Payload x :
            IsakmpCodec.decodePayloads(
                    h.nextPayload(), d.bytes(), IsakmpHeader.SIZE, h.length() - 28)
                .payloads()) {
          assertFalse(
              x instanceof VendorIdPayload v
                  && VendorIds.recognise(v.data()).orElse(null) == PeerFeature.FRAGMENTATION);
        }
      }
    }
  }

  @Test
  void aggressiveReply_vendorIdsBeforeNatD_andFragmentationWithCapabilities() {
    EnginePair p = new EnginePair("aes256-sha256-modp2048", "aes128-sha1", 44);
    p.rPolicy.fragmentSize = 65535; // advertise, but send the reply whole
    p.iPolicy.localId = IdPayload.fqdn("client.example.org");
    p.rPolicy.aggressiveIds.add("client.example.org");
    p.connect(ExchangeType.AGGRESSIVE);
    p.responder.receive(EnginePair.R_ADDR, EnginePair.I_ADDR, p.toResponder.poll().bytes());
    byte[] reply = p.toInitiator.poll().bytes();
    IsakmpHeader h = IsakmpCodec.peekHeader(reply);
    List<PayloadType> order =
        IsakmpCodec.decodePayloads(h.nextPayload(), reply, IsakmpHeader.SIZE, h.length() - 28)
            .payloads()
            .stream()
            .map(Payload::type)
            .toList();
    int lastVid = order.lastIndexOf(PayloadType.VENDOR_ID);
    int firstNatD = order.indexOf(PayloadType.NAT_D);
    assertTrue(lastVid >= 0 && firstNatD > lastVid, "payload order " + order);
    assertTrue(vendorIds(reply).contains("4048b7d56ebce88525e7de7f00d6c2d3c0000000"));
  }

  @Test
  void initiatorOffersFragmentation_racoonCapabilityBitSet() {
    EnginePair p = new EnginePair("aes256-sha256-modp2048", "aes128-sha1", 45);
    p.connect(ExchangeType.IDENTITY_PROTECTION);
    List<String> vids = vendorIds(p.toResponder.poll().bytes());
    // racoon (isakmp_frag.h): VENDORID_FRAG_IDENT = VENDORID_FRAG_AGG = 0x80000000
    assertTrue(vids.contains("4048b7d56ebce88525e7de7f00d6c2d3c0000000"), vids.toString());
  }

  private static List<String> vendorIds(byte[] m) {
    IsakmpHeader h = IsakmpCodec.peekHeader(m);
    return IsakmpCodec.decodePayloads(h.nextPayload(), m, IsakmpHeader.SIZE, h.length() - 28)
        .payloads()
        .stream()
        .filter(VendorIdPayload.class::isInstance)
        .map(x -> Hex.encode(((VendorIdPayload) x).data()))
        .toList();
  }
}
