package dev.coati.ike.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.coati.testing.PcapWriter;
import dev.coati.testing.Tshark;
import dev.coati.util.Hex;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our encoder's output read back by Wireshark's ISAKMP dissector, field by field. */
class TsharkDecodeTest {
  static final byte[] A = {127, 0, 0, 1};
  static final byte[] B = {127, 0, 0, 2};

  @Test
  void encodedMessages_decodeInTshark_withTheSameFieldValues(@TempDir Path dir) throws Exception {
    assumeFalse(Tshark.skipped(), "COATI_SKIP_TSHARK=1");
    byte[] vid = Hex.decode("afcad71368a1f1c96b8696fc77570100");
    Transform t =
        new Transform(
            1,
            1,
            List.of(
                Attribute.tv(IkeAttr.ENCRYPTION_ALGORITHM, 7),
                Attribute.tv(IkeAttr.KEY_LENGTH, 256),
                Attribute.tv(IkeAttr.HASH_ALGORITHM, 4),
                Attribute.tv(IkeAttr.AUTH_METHOD, IkeAttr.PSK),
                Attribute.tv(IkeAttr.GROUP_DESCRIPTION, 14),
                Attribute.tv(IkeAttr.LIFE_TYPE, IkeAttr.LIFE_SECONDS),
                Attribute.ofLong(IkeAttr.LIFE_DURATION, 28800)));
    SaPayload sa =
        new SaPayload(1, 1, List.of(new Proposal(1, ProtocolId.ISAKMP, new byte[0], List.of(t))));
    IsakmpHeader h1 =
        new IsakmpHeader(
            0x1122334455667788L,
            0,
            PayloadType.NONE,
            1,
            0,
            ExchangeType.IDENTITY_PROTECTION,
            0,
            0,
            0);
    byte[] m1 = IsakmpCodec.assemble(h1, List.of(sa, new VendorIdPayload(vid)));

    byte[] ke = new byte[256];
    ke[0] = 0x5a;
    ke[255] = 0x33;
    byte[] nonce = Hex.decode("0102030405060708090a0b0c0d0e0f101112131415161718");
    byte[] natd = Hex.decode("00112233445566778899aabbccddeeff01234567");
    IsakmpHeader h2 =
        new IsakmpHeader(
            0x1122334455667788L,
            0x99aabbccddeeff00L,
            PayloadType.NONE,
            1,
            0,
            ExchangeType.IDENTITY_PROTECTION,
            0,
            0,
            0);
    byte[] m2 =
        IsakmpCodec.assemble(
            h2,
            List.of(
                new KePayload(ke),
                new NoncePayload(nonce),
                new NatDPayload(PayloadType.NAT_D, natd)));

    IsakmpHeader h3 =
        new IsakmpHeader(
            0x1122334455667788L,
            0x99aabbccddeeff00L,
            PayloadType.NONE,
            1,
            0,
            ExchangeType.INFORMATIONAL,
            0,
            0x01020304,
            0);
    byte[] m3 =
        IsakmpCodec.assemble(
            h3,
            List.of(
                IdPayload.fqdn("vpn.example.com"),
                new NotifyPayload(
                    1, ProtocolId.ISAKMP, NotifyType.NO_PROPOSAL_CHOSEN, new byte[16], new byte[0]),
                new DeletePayload(1, ProtocolId.IPSEC_ESP, 4, List.of(Hex.decode("c0ffee01")))));

    Path pcap = dir.resolve("coati.pcap");
    PcapWriter.write(
        pcap,
        List.of(
            new PcapWriter.Packet(A, 500, B, 500, m1),
            new PcapWriter.Packet(B, 500, A, 500, m2),
            new PcapWriter.Packet(A, 500, B, 500, m3)));

    List<List<String>> rows =
        Tshark.fields(
            pcap,
            List.of(),
            "isakmp.ispi",
            "isakmp.rspi",
            "isakmp.exchangetype",
            "isakmp.messageid",
            "isakmp.ike.attr.encryption_algorithm",
            "isakmp.ike.attr.key_length",
            "isakmp.ike.attr.hash_algorithm",
            "isakmp.ike.attr.authentication_method",
            "isakmp.ike.attr.group_description",
            "isakmp.ike.attr.life_duration",
            "isakmp.vid_bytes",
            "isakmp.key_exchange.data",
            "isakmp.nonce",
            "isakmp.id.data.fqdn",
            "isakmp.notify.msgtype",
            "isakmp.delete.spi",
            "isakmp.length",
            "_ws.expert.message");
    assertEquals(3, rows.size());
    List<String> r1 = rows.get(0);
    assertEquals("1122334455667788", r1.get(0));
    assertEquals("0000000000000000", r1.get(1));
    assertEquals("2", r1.get(2));
    assertEquals(List.of("7", "256", "4", "1", "14", "28800"), r1.subList(4, 10));
    assertEquals(Hex.encode(vid), r1.get(10));
    assertEquals(Integer.toString(m1.length), r1.get(16));
    assertEquals("", r1.get(17), "no expert warnings");
    List<String> r2 = rows.get(1);
    assertEquals("99aabbccddeeff00", r2.get(1));
    assertEquals(Hex.encode(ke), r2.get(11));
    assertEquals(Hex.encode(nonce), r2.get(12));
    assertEquals("", r2.get(17), "no expert warnings");
    List<String> r3 = rows.get(2);
    assertEquals("5", r3.get(2));
    assertEquals("0x01020304", r3.get(3));
    assertEquals("vpn.example.com", r3.get(13));
    assertEquals("14", r3.get(14));
    assertEquals("c0ffee01", r3.get(15));
    assertEquals("", r3.get(17), "no expert warnings");
  }
}
