package dev.coati.l2tp;

import static dev.coati.l2tp.L2tpTunnelAuthTest.LAC_CHALLENGE;
import static dev.coati.l2tp.L2tpTunnelAuthTest.SECRET;
import static dev.coati.l2tp.L2tpTunnelAuthTest.md5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.coati.l2tp.L2tpTunnelTest.Lac;
import dev.coati.l2tp.L2tpTunnelTest.Recorder;
import dev.coati.l2tp.wire.AvpType;
import dev.coati.l2tp.wire.Avps;
import dev.coati.l2tp.wire.ControlMessage;
import dev.coati.testing.PcapWriter;
import dev.coati.testing.Tshark;
import dev.coati.util.Hex;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tunnel authentication and hiding on the wire, read back by Wireshark's l2tp dissector. tshark
 * (4.0) shows the Challenge and Challenge Response values but checks neither, and does not reveal
 * hidden L2TPv2 AVPs: its {@code l2tp.shared_secret} preference is for the L2TPv3 Message Digest
 * AVP. So tshark checks the structure (the H bits, lengths, the Random Vector, the plain AVPs, no
 * expert warnings) and hands us the challenge it saw, from which the test computes the response.
 */
class L2tpAuthTsharkTest {
  static final String[] FIELDS = {
    "l2tp.avp.message_type",
    "l2tp.avp.chap_challenge",
    "l2tp.avp.chap_challenge_response",
    "l2tp.avp.hidden",
    "l2tp.avp.length",
    "l2tp.avp.random_vector",
    "l2tp.avp.host_name",
    "l2tp.length",
    "_ws.expert.message"
  };

  /** The non-ZLB control messages of {@code lac}'s capture, one row of {@link #FIELDS} each. */
  static List<List<String>> decode(Lac lac, Path dir) throws Exception {
    Path pcap = dir.resolve("l2tp-auth.pcap");
    PcapWriter.write(pcap, lac.wire);
    return Tshark.fields(pcap, List.of("-Y", "l2tp.avp.message_type"), FIELDS);
  }

  @Test
  void mutualAuthentication_plain_tsharkSeesTheChallengesAndResponses(@TempDir Path dir)
      throws Exception {
    assumeFalse(Tshark.skipped(), "COATI_SKIP_TSHARK=1");
    Lac lac = L2tpTunnelAuthTest.lac(new Recorder(), L2tpTunnelAuthTest.security(true, false));
    ControlMessage sccrp =
        L2tpTunnelAuthTest.request(lac, L2tpTunnelAuthTest.sccrq(Avps.challenge(LAC_CHALLENGE)));
    byte[] ours = L2tpTunnelAuthTest.value(sccrp, AvpType.CHALLENGE);
    lac.send(L2tpTunnelAuthTest.scccn(Avps.challengeResponse(md5(3, SECRET, ours))));
    assertEquals(L2tpTunnel.State.ESTABLISHED, lac.lns.state());

    List<List<String>> rows = decode(lac, dir);
    assertEquals(3, rows.size(), rows.toString());
    assertEquals(List.of("1", Hex.encode(LAC_CHALLENGE), ""), rows.get(0).subList(0, 3));
    List<String> rp = rows.get(1);
    assertEquals("2", rp.get(0));
    assertEquals(Hex.encode(md5(2, SECRET, LAC_CHALLENGE)), rp.get(2), "our response");
    byte[] challengeTsharkSaw = Hex.decode(rp.get(1));
    assertEquals(16, challengeTsharkSaw.length);
    assertEquals("0,0,0,0,0,0,0,0,0", rp.get(3), "nothing hidden");
    assertEquals("", rp.get(8), "no expert warnings");
    List<String> cn = rows.get(2);
    assertEquals(
        List.of("3", "", Hex.encode(md5(3, SECRET, challengeTsharkSaw))), cn.subList(0, 3));
  }

  @Test
  void hidingOn_tsharkSeesHBits_paddedLengths_andThePlainAvps(@TempDir Path dir) throws Exception {
    assumeFalse(Tshark.skipped(), "COATI_SKIP_TSHARK=1");
    Lac lac = L2tpTunnelAuthTest.lac(new Recorder(), L2tpTunnelAuthTest.security(true, true));
    lac.send(L2tpTunnelAuthTest.sccrq(Avps.challenge(LAC_CHALLENGE)));
    ControlMessage sccrp = lac.last();

    List<List<String>> rows = decode(lac, dir);
    assertEquals(2, rows.size(), rows.toString());
    List<String> rp = rows.get(1);
    assertEquals("2", rp.get(0));
    assertEquals(List.of("", ""), rp.subList(1, 3), "Challenge and Response are hidden");
    // Message Type, Random Vector, Protocol Version, Framing Capabilities (H), Host Name,
    // Assigned Tunnel ID (H), Receive Window Size, Vendor Name (H), Challenge Response (H),
    // Challenge (H)
    assertEquals("0,0,0,1,0,1,0,1,1,1", rp.get(3));
    // hidden: 6 header + 2 original length + value, padded to a whole 16-byte block
    assertEquals("8,22,8,22,11,22,8,22,38,38", rp.get(4));
    assertEquals(Hex.encode(sccrp.find(AvpType.RANDOM_VECTOR).orElseThrow().value()), rp.get(5));
    assertEquals("coati", rp.get(6));
    assertEquals(Integer.toString(sccrp.encodedLength()), rp.get(7));
    assertEquals("", rp.get(8), "no expert warnings");
  }
}
