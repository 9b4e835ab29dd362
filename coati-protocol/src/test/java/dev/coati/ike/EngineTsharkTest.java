package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.coati.ike.wire.ExchangeType;
import dev.coati.testing.PcapWriter;
import dev.coati.testing.Tshark;
import dev.coati.util.Hex;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole main mode + quick mode between our two engines, written to a pcap and decrypted by
 * Wireshark's IKEv1 dissector with only the initiator cookie and the phase-1 key: Wireshark derives
 * the IVs itself, so this checks our encryption, padding and IV chaining independently.
 */
class EngineTsharkTest {
  @Test
  void ourExchange_isDecryptedAndParsedByWireshark(@TempDir Path dir) throws Exception {
    assumeFalse(Tshark.skipped(), "COATI_SKIP_TSHARK=1");
    EnginePair p = new EnginePair("aes256-sha256-modp2048", "aes128-sha1", 77);
    IkeSa i = p.connect(ExchangeType.IDENTITY_PROTECTION);
    p.initiator.initiateChild(i, ExchangeManagerTest.hostToHost());
    p.pump();
    assertEquals(IkeSa.State.ESTABLISHED, i.state());
    List<PcapWriter.Packet> packets =
        p.wire.stream()
            .map(
                d ->
                    new PcapWriter.Packet(
                        d.from().address(), 500, d.to().address(), 500, d.bytes()))
            .toList();
    assertEquals(9, packets.size(), "6 main mode + 3 quick mode messages");
    Path pcap = dir.resolve("engine.pcap");
    PcapWriter.write(pcap, packets);
    String key =
        String.format("%016x", i.initiatorCookie()) + "," + Hex.encode(i.encryptionKey().bytes());
    List<List<String>> rows =
        Tshark.fields(
            pcap,
            List.of("-o", "uat:ikev1_decryption_table:" + key),
            "isakmp.exchangetype",
            "isakmp.id.data.ipv4_addr",
            "isakmp.hash",
            "isakmp.nonce",
            "isakmp.ipsec.attr.encap_mode",
            "isakmp.id.port",
            "isakmp.notify.msgtype",
            "_ws.expert.message");
    assertEquals(9, rows.size());
    for (int n = 0; n < 6; n++) {
      assertEquals("2", rows.get(n).get(0));
    }
    // message 5: IDii (our address), HASH_I (SHA-256: 32 bytes), INITIAL-CONTACT
    assertEquals("10.99.0.2", rows.get(4).get(1));
    assertEquals(64, rows.get(4).get(2).length());
    assertEquals("24578", rows.get(4).get(6));
    assertEquals("10.99.0.1", rows.get(5).get(1));
    for (int n = 6; n < 9; n++) {
      assertEquals("32", rows.get(n).get(0));
      assertEquals(64, rows.get(n).get(2).length(), "HASH in quick mode message " + n);
    }
    // quick mode 1 and 2: nonce, transport mode, IDs with port 1701
    for (int n = 6; n < 8; n++) {
      assertFalse(rows.get(n).get(3).isEmpty(), "nonce decrypted");
      assertEquals("2", rows.get(n).get(4));
      assertEquals("1701,1701", rows.get(n).get(5));
    }
    for (List<String> r : rows) {
      assertEquals("", r.get(7), "no expert warnings: " + r);
    }
  }
}
