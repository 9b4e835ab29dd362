package dev.coati.esp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.coati.crypto.EspAuth;
import dev.coati.crypto.EspCipher;
import dev.coati.crypto.Secret;
import dev.coati.testing.PcapWriter;
import dev.coati.testing.Tshark;
import dev.coati.util.Hex;
import dev.coati.util.RandomSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our ESP packets decrypted and ICV-checked by Wireshark's ESP dissector with only the SA keys:
 * plain ESP (IP protocol 50) and ESP-in-UDP on 4500, tunnel mode carrying an inner IPv4/UDP packet.
 */
class EspTsharkTest {
  static final byte[] OUTER_A = {127, 0, 0, 1};
  static final byte[] OUTER_B = {127, 0, 0, 2};

  @ParameterizedTest
  @CsvSource({
    "ESP_AES_CBC,128,HMAC_SHA1_96,AES-CBC [RFC3602],HMAC-SHA-1-96 [RFC2404]",
    "ESP_AES_CBC,256,HMAC_SHA2_256_128,AES-CBC [RFC3602],HMAC-SHA-256-128 [RFC4868]",
    "ESP_3DES,192,HMAC_MD5_96,TripleDES-CBC [RFC2451],HMAC-MD5-96 [RFC2403]",
    "ESP_AES_GCM_16,128,-,AES-GCM with 16 octet ICV [RFC4106],NULL"
  })
  void wiresharkDecryptsAndVerifies(
      String cipher, int bits, String a, String encName, String authName, @TempDir Path dir)
      throws Exception {
    assumeFalse(Tshark.skipped(), "COATI_SKIP_TSHARK=1");
    EspCipher c = EspCipher.valueOf(cipher);
    EspAuth auth = a.equals("-") ? null : EspAuth.valueOf(a);
    int encLen = bits / 8 + c.saltLength();
    byte[] km =
        RandomSource.deterministic(bits + 1).bytes(encLen + (auth == null ? 0 : auth.keyLength()));
    EspSa sa = new EspSa(0x0c0ffee1, false, c, auth, Secret.copyOf(km), 0, 3600, 0);
    byte[] inner =
        PcapWriter.ipv4Udp(
            new PcapWriter.Packet(
                new byte[] {10, 1, 0, 2},
                1701,
                new byte[] {10, 2, 0, 5},
                1701,
                "hello l2tp".getBytes()));
    List<PcapWriter.Packet> pkts = new ArrayList<>();
    RandomSource rnd = RandomSource.deterministic(5);
    for (int i = 0; i < 2; i++) {
      byte[] out = new byte[inner.length + EspCodec.maxOverhead(sa)];
      int n = EspCodec.encapsulate(sa, rnd, inner, 0, inner.length, EspCodec.NEXT_IPV4, out, 0);
      byte[] esp = java.util.Arrays.copyOf(out, n);
      pkts.add(
          i == 0
              ? PcapWriter.Packet.raw(OUTER_A, OUTER_B, 50, esp)
              : new PcapWriter.Packet(OUTER_A, 4500, OUTER_B, 4500, esp));
    }
    Path pcap = dir.resolve("esp.pcap");
    PcapWriter.write(pcap, pkts);
    String enc = Hex.encode(java.util.Arrays.copyOf(km, encLen));
    String integ =
        auth == null ? "" : Hex.encode(java.util.Arrays.copyOfRange(km, encLen, km.length));
    String sadb =
        "uat:esp_sa:\"IPv4\",\"*\",\"*\",\"0x0c0ffee1\",\""
            + encName
            + "\",\"0x"
            + enc
            + "\",\""
            + authName
            + "\",\""
            + (integ.isEmpty() ? "" : "0x" + integ)
            + "\"";
    List<List<String>> rows =
        Tshark.fields(
            pcap,
            List.of(
                "-o", "esp.enable_encryption_decode:TRUE",
                "-o", "esp.enable_authentication_check:TRUE",
                "-o", sadb),
            "esp.spi",
            "esp.sequence",
            "ip.src",
            "ip.dst",
            "udp.dstport",
            "esp.icv_good",
            "esp.pad_len");
    assertEquals(2, rows.size());
    for (int i = 0; i < 2; i++) {
      List<String> r = rows.get(i);
      assertEquals("0x0c0ffee1", r.get(0));
      assertEquals(Integer.toString(i + 1), r.get(1));
      assertEquals("127.0.0.1,10.1.0.2", r.get(2), "the inner packet was decrypted");
      assertEquals("127.0.0.2,10.2.0.5", r.get(3));
      assertEquals(i == 0 ? "1701" : "4500,1701", r.get(4));
      if (auth != null) {
        assertEquals("1", r.get(5), "Wireshark verified our ICV");
      }
    }
  }

  /**
   * Transport mode (what L2TP/IPsec uses): the ESP payload is a bare UDP datagram 1701 -> 1701
   * carrying an L2TP SCCRQ, next header 17. Wireshark decrypts it, finds L2TP inside, and checks
   * our UDP checksum over the outer addresses (raw ESP) as the peer's stack would.
   */
  @org.junit.jupiter.api.Test
  void transportMode_udpL2tpInside_checksumGood(@TempDir Path dir) throws Exception {
    assumeFalse(Tshark.skipped(), "COATI_SKIP_TSHARK=1");
    byte[] km = RandomSource.deterministic(77).bytes(16 + 20);
    EspSa sa =
        new EspSa(
            0x0c0ffee2,
            false,
            EspCipher.ESP_AES_CBC,
            EspAuth.HMAC_SHA1_96,
            Secret.copyOf(km),
            0,
            3600,
            0);
    // L2TP control header (RFC 2661 3.1): T L S, version 2, length 20, tunnel 0, session 0,
    // Ns 0, Nr 0; one AVP: Message Type = 1 (SCCRQ), mandatory
    byte[] l2tp = Hex.decode("c802001400000000000000008008000000000001");
    int at = EspCodec.payloadOffset(sa);
    byte[] out = new byte[200];
    System.arraycopy(l2tp, 0, out, at + dev.coati.ip.Udp.HEADER, l2tp.length);
    int udpLen = dev.coati.ip.Udp.write(out, at, l2tp.length, OUTER_A, 1701, OUTER_B, 1701);
    int n =
        EspCodec.encapsulate(
            sa, RandomSource.deterministic(1), out, at, udpLen, dev.coati.ip.Udp.PROTOCOL, out, 0);
    byte[] good = java.util.Arrays.copyOf(out, n);
    // the same datagram again (the first was encrypted in place) with a broken checksum
    System.arraycopy(l2tp, 0, out, at + dev.coati.ip.Udp.HEADER, l2tp.length);
    dev.coati.ip.Udp.write(out, at, l2tp.length, OUTER_A, 1701, OUTER_B, 1701);
    out[at + 7] ^= 0x55;
    int m =
        EspCodec.encapsulate(
            sa, RandomSource.deterministic(2), out, at, udpLen, dev.coati.ip.Udp.PROTOCOL, out, 0);
    Path pcap = dir.resolve("transport.pcap");
    PcapWriter.write(
        pcap,
        List.of(
            PcapWriter.Packet.raw(OUTER_A, OUTER_B, 50, good),
            PcapWriter.Packet.raw(OUTER_A, OUTER_B, 50, java.util.Arrays.copyOf(out, m))));
    String sadb =
        "uat:esp_sa:\"IPv4\",\"*\",\"*\",\"0x0c0ffee2\",\"AES-CBC [RFC3602]\",\"0x"
            + Hex.encode(java.util.Arrays.copyOf(km, 16))
            + "\",\"HMAC-SHA-1-96 [RFC2404]\",\"0x"
            + Hex.encode(java.util.Arrays.copyOfRange(km, 16, 36))
            + "\"";
    List<List<String>> rows =
        Tshark.fields(
            pcap,
            List.of(
                "-o", "esp.enable_encryption_decode:TRUE",
                "-o", "esp.enable_authentication_check:TRUE",
                "-o", "udp.check_checksum:TRUE",
                "-o", sadb),
            "esp.icv_good",
            "udp.srcport",
            "udp.dstport",
            "udp.checksum.status",
            "l2tp.avp.message_type");
    assertEquals(2, rows.size());
    List<String> r = rows.get(0);
    assertEquals("1", r.get(0), "ICV verified");
    assertEquals("1701", r.get(1));
    assertEquals("1701", r.get(2));
    assertEquals("1", r.get(3), "Wireshark: UDP checksum good (PROTO_CHECKSUM_E_GOOD)");
    assertEquals("1", r.get(4), "an L2TP SCCRQ inside");
    assertEquals("0", rows.get(1).get(3), "the broken one is bad (PROTO_CHECKSUM_E_BAD)");
  }
}
