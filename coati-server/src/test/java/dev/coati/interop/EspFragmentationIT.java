package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.coati.testing.Tshark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #12 Deliver 4 with strongSwan as the road warrior through the NAT box (ESP in UDP):
 * esp.fragment_size 552 (seed 002's esp_frag). Pings of 1400 bytes from the client to the LAN
 * arrive, their 1428-byte replies leave coati as inner fragments of at most 552 bytes in ESP
 * packets that a capture on the gateway's link shows unfragmented; the LAN host's DF ping of 1400
 * bytes to the client gets ICMP fragmentation needed with MTU 552 from the gateway.
 */
class EspFragmentationIT {
  @TempDir Path dir;

  @BeforeEach
  void requirements() {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(Netns.available(), "needs root and strongSwan, or COATI_SKIP_INTEROP=1");
  }

  static final String GATEWAY =
      RemoteAccessIT.GATEWAY.replace(
              "address: 10.99.99.1/24", "address: 10.99.99.1/24\n  mtu: 1500")
          + "esp:\n  fragment_size: 552\n";

  @Test
  void bigPingsArriveInUnfragmentedEsp_dfPingsGetFragmentationNeeded() throws Exception {
    RemoteAccessIT.coati(
        "alice-pass\n",
        "user",
        "add",
        "alice",
        "--file",
        dir.resolve("users.txt").toString(),
        "--password-stdin");
    Path pcap = dir.resolve("rg-gateway.pcap");
    try (Netns ns = new Netns(true).addLan();
        CoatiProcess coati = new CoatiProcess(dir, "frag-psk", GATEWAY);
        Charon c =
            new Charon(
                dir.resolve("cli"),
                RemoteAccessIT.client("frag-psk", false, "alice", "alice-pass"))) {
      Netns.Result up = c.swanctl("--initiate", "--child", "rw");
      assertEquals(0, up.code(), up.output() + coati.log() + c.log());
      String vip = RemoteAccessIT.virtualIp(c.swanctl("--list-sas").output());
      Process capture =
          new ProcessBuilder(
                  Netns.inNs(Netns.SRV, "tcpdump", "-i", "sit0", "-U", "-n", "-w", pcap.toString()))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("tcpdump.log").toFile())
              .start();
      try {
        Thread.sleep(1000); // tcpdump is listening
        Netns.Result ping = TunnelTrafficIT.ping(Netns.CLI, vip, Netns.LAN_HOST, 5, "1400");
        assertEquals(5, TunnelTrafficIT.received(ping.output()), ping.output() + coati.log());
        Netns.Result df =
            Netns.tryRun(
                Netns.inNs(Netns.LAN, "ping", "-c", "2", "-W", "2", "-M", "do", "-s", "1400", vip)
                    .toArray(String[]::new));
        assertTrue(
            df.output().contains("Frag needed and DF set (mtu = 552)")
                || df.output().contains("mtu=552")
                || df.output().contains("mtu = 552"),
            df.output());
        Netns.Result small = TunnelTrafficIT.ping(Netns.CLI, vip, Netns.LAN_HOST, 3, "56");
        assertEquals(3, TunnelTrafficIT.received(small.output()), small.output());
      } finally {
        capture.destroy();
        capture.waitFor(5, TimeUnit.SECONDS);
        capture.destroyForcibly();
      }
      List<List<String>> fromGateway =
          Tshark.fields(
              pcap,
              List.of("-Y", "ip.src == " + Netns.SRV_ADDR + " && udp.port == 4500"),
              "ip.len",
              "ip.flags.mf",
              "ip.frag_offset");
      List<Integer> sizes = new ArrayList<>();
      for (List<String> row : fromGateway) {
        sizes.add(Integer.parseInt(row.get(0)));
        assertEquals("0", row.get(1).replace("False", "0"), "MF set: " + row);
        assertEquals("0", row.get(2), "a fragment: " + row);
      }
      long esp = sizes.stream().filter(s -> s > 200).count();
      assertTrue(esp >= 15, "5 replies in 3 ESP packets each: " + sizes);
      int max = sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
      assertTrue(max <= 552 + 80, "552 inner bytes + ESP-in-UDP overhead at most: " + sizes);
      System.out.println(
          "EspFragmentationIT: "
              + fromGateway.size()
              + " packets from the gateway, largest "
              + max
              + " bytes, none fragmented; DF ping: "
              + "ICMP fragmentation needed, MTU 552");
    }
  }
}
