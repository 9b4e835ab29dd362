package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traffic through coati's data plane with an unmodified strongSwan as the peer: a LAN host behind
 * the gateway reached both ways (issue #3 case a), a captured ESP packet re-sent and dropped as a
 * replay (case h), and coati re-authenticating its own phase 1 under traffic (case f).
 */
class TunnelTrafficIT {
  @TempDir Path dir;

  @BeforeEach
  void requirements() {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(
        Netns.available(),
        "needs root and strongSwan (apt-get install strongswan-charon strongswan-swanctl "
            + "libcharon-extra-plugins), or COATI_SKIP_INTEROP=1");
  }

  /** The road-warrior-like client: inner address 10.202.0.1, the gateway's LAN 10.203.0.0/24. */
  static String client(String psk) {
    return client(psk, "aes128-sha1");
  }

  static String client(String psk, String esp) {
    return StrongSwanInteropIT.swanctl(
        psk,
        """
        lan {
          version = 1
          remote_addrs = SRV
          proposals = aes256-sha256-modp2048
          local { auth = psk }
          remote { auth = psk
                   id = fqdn:vpn.test }
          children { lan { local_ts = 10.202.0.1/32
                           remote_ts = 10.203.0.0/24
                           esp_proposals = ESP } }
        }
        """
            .replace("SRV", Netns.SRV_ADDR)
            .replace("ESP", esp));
  }

  static final String DATAPLANE = "dataplane:\n  tun: coati0\n  address: 10.202.0.254/24\n";

  static int received(String pingOutput) {
    Matcher m = Pattern.compile("(\\d+) received").matcher(pingOutput);
    assertTrue(m.find(), pingOutput);
    return Integer.parseInt(m.group(1));
  }

  static Netns.Result ping(String ns, String from, String to, int count, String size)
      throws Exception {
    return Netns.tryRun(
        Netns.inNs(
                ns,
                "ping",
                "-c",
                Integer.toString(count),
                "-i",
                "0.2",
                "-W",
                "2",
                "-s",
                size,
                "-M",
                "dont", // no DF: else the first 1400-byte ping only teaches PMTU (TUN MTU 1400)
                "-I",
                from,
                to)
            .toArray(String[]::new));
  }

  /**
   * Case a with a real LAN: the client pings a separate host behind the gateway (the gateway
   * forwards between TUN and LAN), and that host pings the client back, 56 and 1400 bytes.
   */
  @Test
  void lanHostBehindTheGateway_pingsBothWays() throws Exception {
    try (Netns ns = new Netns().addLan()) {
      Netns.run("ip", "-n", Netns.CLI, "addr", "add", "10.202.0.1/32", "dev", "lo");
      try (CoatiProcess coati = new CoatiProcess(dir, "it-psk-20", DATAPLANE);
          Charon c = new Charon(dir.resolve("cli"), client("it-psk-20"))) {
        Netns.Result up = c.swanctl("--initiate", "--child", "lan");
        assertEquals(0, up.code(), up.output() + coati.log());
        for (String size : List.of("56", "1400")) {
          Netns.Result out = ping(Netns.CLI, "10.202.0.1", Netns.LAN_HOST, 3, size);
          assertEquals(3, received(out.output()), "client -> LAN " + size + ": " + out.output());
          Netns.Result back = ping(Netns.LAN, Netns.LAN_HOST, "10.202.0.1", 3, size);
          assertEquals(3, received(back.output()), "LAN -> client " + size + ": " + back.output());
        }
      }
    }
  }

  /**
   * Case h: an ESP-in-UDP packet the client sent is captured on the gateway's link and sent again
   * from the client's namespace; coati drops it before decrypting and counts exactly one replay,
   * while the tunnel keeps working.
   */
  @Test
  void replayedEspPacket_isDroppedAndCounted() throws Exception {
    try (Netns ns = new Netns().addLan()) {
      Netns.run("ip", "-n", Netns.CLI, "addr", "add", "10.202.0.1/32", "dev", "lo");
      try (CoatiProcess coati = new CoatiProcess(dir, "it-psk-21", DATAPLANE);
          Charon c = new Charon(dir.resolve("cli"), client("it-psk-21"))) {
        Netns.Result up = c.swanctl("--initiate", "--child", "lan");
        assertEquals(0, up.code(), up.output() + coati.log());
        Path pcap = dir.resolve("esp.pcapng");
        Process dumpcap =
            new ProcessBuilder(
                    Netns.inNs(
                        Netns.SRV,
                        "timeout",
                        "15",
                        "dumpcap",
                        "-q",
                        "-i",
                        "sit0",
                        "-f",
                        "udp port 4500",
                        "-c",
                        "6",
                        "-w",
                        pcap.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("dumpcap.log").toFile())
                .start();
        Thread.sleep(1000); // dumpcap needs a moment before it captures
        assertEquals(3, received(ping(Netns.CLI, "10.202.0.1", Netns.LAN_HOST, 3, "56").output()));
        assertTrue(dumpcap.waitFor(20, TimeUnit.SECONDS), "dumpcap ends after 6 packets");
        String hex = firstEspFromClient(pcap);
        String java = ProcessHandle.current().info().command().orElse("java");
        Netns.run(
            Netns.inNs(
                    Netns.CLI,
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    UdpSend.class.getName(),
                    Netns.SRV_ADDR,
                    "4500",
                    hex)
                .toArray(String[]::new));
        Thread.sleep(500);
        assertEquals(
            2,
            received(ping(Netns.CLI, "10.202.0.1", Netns.LAN_HOST, 2, "56").output()),
            "the tunnel still works");
        coati.stop();
        String log = coati.log();
        assertTrue(log.contains(" replay=1 "), "exactly one replay counted: " + log);
        assertTrue(log.contains(" auth_failed=0 "), log);
      }
    }
  }

  /**
   * Case c for aggressive mode (case b): a KEY_ID client behind the MASQUERADE NAT box. The capture
   * on the gateway's link shows the floated IKE messages and all ESP on UDP 4500, none as IP
   * protocol 50.
   */
  @Test
  void aggressiveModeThroughTheNat_everythingOn4500() throws Exception {
    String client =
        StrongSwanInteropIT.swanctl(
            "it-psk-25",
            StrongSwanInteropIT.connection(
                    "am", true, "keyid:vpngroup", "aes128-sha1-modp2048", "aes128-sha1")
                .replace(
                    "remote_ts = 10.200.0.0/24",
                    "local_ts = 10.202.0.1/32\n"
                        + "                            remote_ts = 10.200.0.0/24"));
    String cfg = "ike:\n  aggressive_ids: [vpngroup]\n" + DATAPLANE;
    try (Netns ns = new Netns(true)) {
      Netns.run("ip", "-n", Netns.CLI, "addr", "add", "10.202.0.1/32", "dev", "lo");
      Path pcap = dir.resolve("nat.pcapng");
      try (CoatiProcess coati = new CoatiProcess(dir, "it-psk-25", cfg);
          Charon c = new Charon(dir.resolve("cli"), client)) {
        Process dumpcap =
            new ProcessBuilder(
                    Netns.inNs(
                        Netns.SRV,
                        "dumpcap",
                        "-q",
                        "-i",
                        "sit0",
                        "-a",
                        "duration:6",
                        "-w",
                        pcap.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("dumpcap.log").toFile())
                .start();
        Thread.sleep(1000);
        Netns.Result up = c.swanctl("--initiate", "--child", "am");
        assertEquals(0, up.code(), up.output() + coati.log());
        assertTrue(coati.log().contains(" mode=aggressive "), coati.log());
        assertEquals(3, received(ping(Netns.CLI, "10.202.0.1", "10.200.0.1", 3, "56").output()));
        assertTrue(dumpcap.waitFor(15, TimeUnit.SECONDS), "dumpcap stops after 6 s");
      }
      assertEquals(0, count(pcap, "ip.proto == 50"), "no plain ESP through a NAT");
      assertTrue(count(pcap, "esp && udp.port == 4500") >= 6, "3 pings and replies on 4500");
      assertTrue(
          count(pcap, "isakmp && udp.port == 4500 && ip.src == " + Netns.NAT_OUTSIDE) >= 2,
          "aggressive message 3 and quick mode floated to 4500");
    }
  }

  private static long count(Path pcap, String filter) throws Exception {
    Netns.Result r =
        Netns.tryRun(
            "tshark",
            "-n",
            "-r",
            pcap.toString(),
            "-Y",
            filter,
            "-T",
            "fields",
            "-e",
            "frame.number");
    return r.output().lines().filter(l -> l.matches("\\d+")).count();
  }

  /** The UDP payload (SPI onwards) of the first ESP-in-UDP packet from the client, in hex. */
  private static String firstEspFromClient(Path pcap) throws Exception {
    Netns.Result r =
        Netns.tryRun(
            "tshark",
            "-n",
            "-r",
            pcap.toString(),
            "-Y",
            "ip.src == " + Netns.CLI_ADDR + " && esp",
            "-T",
            "fields",
            "-e",
            "udp.payload");
    String first =
        r.output().lines().filter(l -> l.matches("[0-9a-f]{40,}")).findFirst().orElse("");
    assertTrue(!first.isEmpty(), "no ESP packet from the client captured: " + r.output());
    return first;
  }

  /** strongSwan as the responder of coati's site-to-site tunnel 10.200.0.0/24 === 10.201.0.0/24. */
  static String siteToSiteResponder(String psk) {
    return siteToSiteResponder(psk, "aes128-sha1-modp2048", "aes128-sha1");
  }

  /** The same with the given IKE and ESP proposals (strongSwan syntax). */
  static String siteToSiteResponder(String psk, String ike, String esp) {
    return """
        connections {
          s2s {
            version = 1
            local_addrs = CLI
            remote_addrs = SRV
            proposals = IKE
            local { auth = psk }
            remote { auth = psk
                     id = fqdn:vpn.test }
            children { s2s { local_ts = 10.201.0.0/24
                             remote_ts = 10.200.0.0/24
                             esp_proposals = ESP } }
          }
        }
        secrets { ike-it { secret = "PSK" } }
        """
        .replace("IKE", ike)
        .replace("ESP", esp)
        .replace("CLI", Netns.CLI_ADDR)
        .replace("SRV", Netns.SRV_ADDR)
        .replace("PSK", psk);
  }

  static String siteToSiteCoati(String extra) {
    return extra
        + "peers:\n  - name: branch\n    remote: "
        + Netns.CLI_ADDR
        + "\n"
        + "    local_subnets: [10.200.0.0/24]\n    remote_subnets: [10.201.0.0/24]\n"
        + "    start: true\n"
        + "dataplane:\n  tun: coati0\n  address: 10.201.0.254/24\n";
  }

  static void awaitInstalled(Charon c, CoatiProcess coati) throws Exception {
    String sas = "";
    for (int i = 0; i < 100 && !sas.contains("INSTALLED"); i++) {
      Thread.sleep(100);
      sas = c.swanctl("--list-sas").output();
    }
    assertTrue(sas.contains("INSTALLED"), sas + coati.log());
  }

  /**
   * Kilobyte lifetimes (RFC 2407 SA Life Type 2): coati offers 50 KB (60 pings of 1428 bytes are 84
   * KB), strongSwan accepts it, and coati's data plane counts the traffic and rekeys the child by
   * volume while pings of 1400 bytes continue.
   */
  @Test
  void kilobyteLifetime_rekeysByVolume_trafficKeepsFlowing() throws Exception {
    try (Netns ns = new Netns()) {
      Netns.run("ip", "-n", Netns.CLI, "addr", "add", "10.201.0.1/32", "dev", "lo");
      try (Charon c = new Charon(dir.resolve("resp"), siteToSiteResponder("it-psk-24"));
          CoatiProcess coati =
              new CoatiProcess(
                  dir, "it-psk-24", siteToSiteCoati("esp:\n  lifetime_bytes: 50KB\n"))) {
        awaitInstalled(c, coati);
        int got = received(ping(Netns.CLI, "10.201.0.1", "10.200.0.1", 60, "1400").output());
        String log = coati.log();
        assertTrue(log.contains("rekeying child"), "a rekey by volume: " + log);
        assertTrue(log.split("CHILD SA established", -1).length - 1 >= 2, "a second child: " + log);
        assertEquals(60, got, log + c.log());
      }
    }
  }

  /**
   * Case f, phase 1 on coati's side: as site-to-site initiator with a 15 s ISAKMP lifetime, coati
   * re-authenticates at 90% (a new main mode, no INITIAL-CONTACT), retires the old ISAKMP SA, and
   * strongSwan keeps the IPsec SA: a ping every 0.2 s for 20 s loses nothing.
   */
  @Test
  void coatiReauthenticatesPhase1_trafficKeepsFlowing() throws Exception {
    String responder = siteToSiteResponder("it-psk-22");
    String cfg = siteToSiteCoati("ike:\n  lifetime: 15s\n");
    try (Netns ns = new Netns()) {
      Netns.run("ip", "-n", Netns.CLI, "addr", "add", "10.201.0.1/32", "dev", "lo");
      try (Charon c = new Charon(dir.resolve("resp"), responder);
          CoatiProcess coati = new CoatiProcess(dir, "it-psk-22", cfg)) {
        awaitInstalled(c, coati);
        int got = received(ping(Netns.CLI, "10.201.0.1", "10.200.0.1", 100, "56").output());
        System.out.println("phase-1 reauth test: " + got + "/100 ping replies");
        String log = coati.log();
        assertTrue(log.contains("re-authenticating"), log);
        assertTrue(log.contains("handed its child SAs to"), log);
        assertTrue(log.contains("replaced by a newer ISAKMP SA"), log);
        assertTrue(!log.contains("peer branch: IKE SA gone"), "no restart after a reauth: " + log);
        String after = c.swanctl("--list-sas").output();
        assertEquals(1, after.split("ESTABLISHED", -1).length - 1, after);
        assertTrue(after.contains("INSTALLED"), after + c.log());
        assertEquals(100, got, "replies lost during reauthentication\n" + log + c.log());
      }
    }
  }
}
