package dev.coati.ppp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.coati.ppp.wire.AuthProtocol;
import dev.coati.ppp.wire.ControlPacket;
import dev.coati.ppp.wire.IpcpOptions;
import dev.coati.ppp.wire.LcpOptions;
import dev.coati.ppp.wire.PppFrame;
import dev.coati.ppp.wire.PppOption;
import dev.coati.ppp.wire.PppProtocol;
import dev.coati.testing.PcapWriter;
import dev.coati.testing.Tshark;
import dev.coati.util.ByteWriter;
import dev.coati.util.Ipv4Address;
import dev.coati.util.RandomSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our LCP and IPCP packets, as the automaton and policies produce them, carried in L2TP data
 * messages (RFC 2661 section 3.1: flags/version 0x0002, tunnel, session, then FF 03 + protocol)
 * over UDP/1701 and decoded by Wireshark's l2tp, ppp, lcp and ipcp dissectors.
 */
class PppTsharkTest {
  static final byte[] CLIENT = {10, 0, 0, 2};
  static final byte[] GATEWAY = {10, 0, 0, 1};

  @Test
  void wiresharkDecodesLcpAndIpcp(@TempDir Path dir) throws Exception {
    assumeFalse(Tshark.skipped(), "COATI_SKIP_TSHARK=1");
    LcpPolicy lcp = new LcpPolicy(List.of(AuthProtocol.MSCHAPV2), RandomSource.deterministic(3));
    TestPeer s = new TestPeer(PppProtocol.LCP, lcp, RestartConfig.DEFAULT);
    s.automaton.open(0);
    s.automaton.up(0);
    List<PppOption> windows =
        List.of(
            LcpOptions.mru(1400),
            LcpOptions.magicNumber(0x3c1f5a22L),
            LcpOptions.pfc(),
            LcpOptions.acfc(),
            LcpOptions.callback(LcpOptions.CALLBACK_CBCP));
    ControlPacket winReq = ControlPacket.withOptions(ControlPacket.CONFIGURE_REQUEST, 0, windows);
    s.automaton.receive(winReq, 0);

    Ipv4Address zero = IpcpOptions.UNSPECIFIED;
    IpcpPolicy ipcpPolicy =
        new IpcpPolicy(
            Ipv4Address.parse("10.9.0.1"),
            Ipv4Address.parse("10.9.0.23"),
            IpcpPolicy.servers(List.of(Ipv4Address.parse("192.0.2.53")), List.of()));
    TestPeer ipcp = new TestPeer(PppProtocol.IPCP, ipcpPolicy, RestartConfig.DEFAULT);
    ipcp.automaton.open(0);
    ipcp.automaton.up(0);
    ipcp.automaton.receive(
        ControlPacket.withOptions(
            ControlPacket.CONFIGURE_REQUEST,
            7,
            List.of(
                IpcpOptions.ipAddress(zero), IpcpOptions.address(IpcpOptions.PRIMARY_DNS, zero))),
        0);

    List<PcapWriter.Packet> pkts = new ArrayList<>();
    pkts.add(l2tp(false, winReq.toFrame(PppProtocol.LCP)));
    for (ControlPacket p : s.sent) {
      pkts.add(l2tp(true, p.toFrame(PppProtocol.LCP)));
    }
    for (ControlPacket p : ipcp.sent) {
      pkts.add(l2tp(true, p.toFrame(PppProtocol.IPCP)));
    }
    Path pcap = dir.resolve("ppp.pcap");
    PcapWriter.write(pcap, pkts);
    List<List<String>> rows =
        Tshark.fields(
            pcap,
            List.of(),
            "l2tp.tunnel",
            "l2tp.session",
            "ppp.protocol",
            "ppp.code",
            "ppp.identifier",
            "lcp.opt.type",
            "lcp.opt.mru",
            "lcp.opt.magic_number",
            "lcp.opt.auth_protocol",
            "ipcp.opt.ip_address",
            "ipcp.opt.pri_dns_address");
    assertEquals(
        List.of(
            List.of("7", "9", "0xc021", "1", "0", "1,5,7,8,13", "1400", "0x3c1f5a22", "", "", ""),
            List.of(
                "7",
                "9",
                "0xc021",
                "1",
                "0",
                "3,5",
                "",
                String.format("0x%08x", lcp.ourMagic()),
                "0xc223",
                "",
                ""),
            List.of("7", "9", "0xc021", "4", "0", "13", "", "", "", "", ""),
            List.of("7", "9", "0x8021", "1", "0", "", "", "", "", "10.9.0.1", ""),
            List.of("7", "9", "0x8021", "3", "7", "", "", "", "", "10.9.0.23", "192.0.2.53")),
        rows);
  }

  private static PcapWriter.Packet l2tp(boolean fromGateway, PppFrame frame) {
    ByteWriter w = new ByteWriter();
    w.u16(0x0002).u16(7).u16(9);
    frame.encode(w);
    byte[] payload = w.toByteArray();
    return fromGateway
        ? new PcapWriter.Packet(GATEWAY, 1701, CLIENT, 1701, payload)
        : new PcapWriter.Packet(CLIENT, 1701, GATEWAY, 1701, payload);
  }
}
