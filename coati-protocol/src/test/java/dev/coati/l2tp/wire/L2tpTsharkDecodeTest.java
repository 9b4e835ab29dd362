package dev.coati.l2tp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.coati.testing.PcapWriter;
import dev.coati.testing.Tshark;
import dev.coati.util.Hex;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our L2TP encoder's output read back by Wireshark's l2tp dissector (UDP/1701), field by field. */
class L2tpTsharkDecodeTest {
  static final byte[] LAC = {(byte) 192, 0, 2, 10};
  static final byte[] LNS = {(byte) 192, 0, 2, 1};

  @Test
  void encodedMessages_decodeInTshark_withTheSameFieldValues(@TempDir Path dir) throws Exception {
    assumeFalse(Tshark.skipped(), "COATI_SKIP_TSHARK=1");
    byte[] ppp = Hex.decode("ff03c021010100040000");
    byte[] data =
        new DataMessage(
                new L2tpHeader(false, true, false, false, false, 0, 0x0abc, 0x4321, 0, 0, 0), ppp)
            .encode();
    Path pcap = dir.resolve("l2tp.pcap");
    PcapWriter.write(
        pcap,
        List.of(
            new PcapWriter.Packet(LAC, 1701, LNS, 1701, L2tpSamples.sccrq().encode()),
            new PcapWriter.Packet(LNS, 1701, LAC, 1701, L2tpSamples.sccrp().encode()),
            new PcapWriter.Packet(LAC, 1701, LNS, 1701, L2tpSamples.icrq().encode()),
            new PcapWriter.Packet(LAC, 1701, LNS, 1701, data)));
    List<List<String>> rows =
        Tshark.fields(
            pcap,
            List.of(),
            "l2tp.type",
            "l2tp.tunnel",
            "l2tp.session",
            "l2tp.Ns",
            "l2tp.Nr",
            "l2tp.avp.message_type",
            "l2tp.avp.host_name",
            "l2tp.avp.assigned_tunnel_id",
            "l2tp.avp.receive_window_size",
            "l2tp.avp.vendor_name",
            "l2tp.avp.assigned_session_id",
            "l2tp.avp.call_serial_number",
            "l2tp.length",
            "_ws.expert.message");
    assertEquals(4, rows.size());
    List<String> sccrq = rows.get(0);
    assertEquals(List.of("1", "0", "0", "0", "0", "1"), sccrq.subList(0, 6));
    assertEquals("lac.example.com", sccrq.get(6));
    assertEquals("4660", sccrq.get(7));
    assertEquals("8", sccrq.get(8));
    assertEquals("Microsoft", sccrq.get(9));
    assertEquals(Integer.toString(L2tpSamples.sccrq().encodedLength()), sccrq.get(12));
    assertEquals("", sccrq.get(13), "no expert warnings");
    List<String> sccrp = rows.get(1);
    assertEquals(List.of("1", "4660", "0", "0", "1", "2", "coati", "2748"), sccrp.subList(0, 8));
    List<String> icrq = rows.get(2);
    assertEquals(List.of("1", "2748", "0", "2", "1", "10"), icrq.subList(0, 6));
    assertEquals("17185", icrq.get(10));
    assertEquals("1", icrq.get(11));
    assertEquals("", icrq.get(13), "no expert warnings");
    List<String> d = rows.get(3);
    assertEquals(List.of("0", "2748", "17185"), d.subList(0, 3));
    assertEquals(Integer.toString(data.length), d.get(12));
  }
}
