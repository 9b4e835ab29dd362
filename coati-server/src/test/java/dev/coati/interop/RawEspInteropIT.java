package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain ESP (IP protocol 50, RFC 4303) between two coati gateways with no NAT in between, and the
 * UDP sockets with a real peer. Namespaces cn-cli (10.77.1.2, "LAN" 10.201.0.1) and cn-gw
 * (10.77.1.1, "LAN" 10.200.0.1) are made here and removed afterwards; a capture in cn-gw is decoded
 * by tshark.
 *
 * <p>strongSwan 5.9.8's kernel-libipsec has no {@code raw_esp} option (its plugin reads only {@code
 * allow_peer_ts}; the raw ESP handler came with strongSwan 6.0), so it always requires UDP
 * encapsulation and cannot be the plain-ESP peer: coati's own site-to-site initiator is.
 */
class RawEspInteropIT {
  static final String CLI = "cn-cli";
  static final String GW = "cn-gw";
  static final String CLI_ADDR = "10.77.1.2";
  static final String GW_ADDR = "10.77.1.1";
  static final String RAW_ESP = "plugins { kernel-libipsec { raw_esp = yes } }";

  @TempDir Path dir;

  @BeforeEach
  void namespaces() throws Exception {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(Netns.available(), "needs root and strongSwan, or COATI_SKIP_INTEROP=1");
    assertTrue(Files.isExecutable(Path.of("/usr/bin/dumpcap")), "needs dumpcap (tshark)");
    cleanUp();
    Netns.run("ip", "netns", "add", CLI);
    Netns.run("ip", "netns", "add", GW);
    Netns.run(
        "ip", "link", "add", "cn-c0", "netns", CLI, "type", "veth", "peer", "name", "cn-g0",
        "netns", GW);
    Netns.run("ip", "-n", CLI, "addr", "add", CLI_ADDR + "/24", "dev", "cn-c0");
    Netns.run("ip", "-n", GW, "addr", "add", GW_ADDR + "/24", "dev", "cn-g0");
    Netns.run("ip", "-n", CLI, "addr", "add", "10.201.0.1/32", "dev", "lo");
    Netns.run("ip", "-n", GW, "addr", "add", "10.200.0.1/32", "dev", "lo");
    for (String[] l : new String[][] {{CLI, "lo"}, {GW, "lo"}, {CLI, "cn-c0"}, {GW, "cn-g0"}}) {
      Netns.run("ip", "-n", l[0], "link", "set", l[1], "up");
    }
  }

  /** Kills what still runs in our namespaces (by PID) and deletes them. */
  @AfterEach
  void cleanUp() throws Exception {
    for (String ns : List.of(CLI, GW)) {
      Netns.Result pids = Netns.tryRun("ip", "netns", "pids", ns);
      if (pids.code() == 0) {
        for (String pid : pids.output().trim().split("\\s+")) {
          if (!pid.isEmpty()) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
          }
        }
      }
      Netns.tryRun("ip", "netns", "del", ns);
    }
  }

  static String client(String psk) {
    return """
        connections {
          raw {
            version = 1
            local_addrs = CLI
            remote_addrs = GW
            proposals = aes256-sha256-modp2048
            local { auth = psk }
            remote { auth = psk
                     id = fqdn:vpn.test }
            children { raw { local_ts = 10.202.0.1/32
                             remote_ts = 10.200.0.0/24
                             esp_proposals = aes128gcm16 } }
          }
        }
        secrets { ike-it { secret = "PSK" } }
        """
        .replace("CLI", CLI_ADDR)
        .replace("GW", GW_ADDR)
        .replace("PSK", psk);
  }

  /** dumpcap on the gateway's veth, started and ready (bounded wait) before anything is sent. */
  static Process capture(Path file) throws Exception {
    Path err = file.resolveSibling("dumpcap.err");
    Process p =
        new ProcessBuilder(Netns.inNs(GW, "dumpcap", "-q", "-i", "cn-g0", "-w", file.toString()))
            .redirectErrorStream(true)
            .redirectOutput(err.toFile())
            .start();
    for (int i = 0;
        i < 100 && !(Files.exists(err) && Files.readString(err).contains("Capturing"));
        i++) {
      Thread.sleep(50);
    }
    assertTrue(Files.readString(err).contains("Capturing"), Files.readString(err));
    return p;
  }

  static int frames(Path file, String filter) throws Exception {
    Netns.Result r =
        Netns.tryRun(
            "tshark", "-r", file.toString(), "-Y", filter, "-T", "fields", "-e", "frame.number");
    assertEquals(0, r.code(), r.output());
    return (int) r.output().lines().filter(l -> l.matches("\\d+")).count();
  }

  static Netns.Result ping(String from, String to, String size)
      throws IOException, InterruptedException {
    String[] cmd = {"ping", "-c", "3", "-i", "0.2", "-W", "2", "-s", size, "-I", from, to};
    return Netns.tryRun(Netns.inNs(CLI, cmd).toArray(String[]::new));
  }

  /** Counts from the capture: IKE on 500, ESP in IP, anything on UDP 4500. */
  record Counts(int ike, int esp, int natT) {
    static Counts of(Path pcap) throws Exception {
      Counts c =
          new Counts(
              frames(pcap, "udp.port == 500 && isakmp"),
              frames(pcap, "ip.proto == 50 && esp"),
              frames(pcap, "udp.port == 4500"));
      System.out.println("capture " + pcap.getFileName() + ": " + c);
      return c;
    }
  }

  /** One coati gateway of {@link #siteToSite}: where it listens and how it is launched. */
  record Gateway(String listen, List<String> launcher, List<String> jvmOptions) {}

  /**
   * hq (cn-gw, LAN 10.200.0.0/24) starts a site-to-site tunnel to branch (cn-cli, LAN
   * 10.201.0.0/24); pings of 56 and 1400 bytes from branch's LAN to hq's; returns what the capture
   * in cn-gw saw.
   */
  Counts siteToSite(String name, Gateway hq, Gateway branch, List<String> logChecks)
      throws Exception {
    String hqCfg =
        "peers:\n  - name: branch\n    remote: "
            + CLI_ADDR
            + "\n    local_subnets: [10.200.0.0/24]\n    remote_subnets: [10.201.0.0/24]\n"
            + "    start: true\n"
            + "dataplane:\n  tun: coati0\n  address: 10.201.0.254/24\n";
    String branchCfg = "dataplane:\n  tun: coati0\n  address: 10.200.0.254/24\n";
    Path pcap = dir.resolve(name + ".pcapng");
    Files.createDirectories(dir.resolve("hq"));
    Files.createDirectories(dir.resolve("branch"));
    Process dumpcap = capture(pcap);
    try (CoatiProcess b =
            new CoatiProcess(
                CLI,
                branch.listen(),
                dir.resolve("branch"),
                name,
                branchCfg,
                branch.launcher(),
                branch.jvmOptions());
        CoatiProcess a =
            new CoatiProcess(
                GW, hq.listen(), dir.resolve("hq"), name, hqCfg, hq.launcher(), hq.jvmOptions())) {
      for (int i = 0; i < 100 && !b.log().contains("CHILD SA established"); i++) {
        Thread.sleep(100);
      }
      String logs = "hq:\n" + a.log() + "\nbranch:\n" + b.log();
      assertTrue(b.log().contains("CHILD SA established"), logs);
      for (String check : logChecks) {
        assertTrue(logs.contains(check), check + " in\n" + logs);
      }
      for (String size : List.of("56", "1400")) {
        Netns.Result r = ping("10.201.0.1", "10.200.0.1", size);
        assertTrue(r.output().contains("3 received"), size + ": " + r.output() + logs);
      }
    } finally {
      dumpcap.destroy();
      assertTrue(dumpcap.waitFor(10, TimeUnit.SECONDS), "dumpcap stops on SIGTERM");
    }
    return Counts.of(pcap);
  }

  static void assertPlainEsp(Counts c) {
    assertTrue(c.ike() >= 6, "main mode + quick mode on UDP 500: " + c);
    // 3 small and 3 large pings, each way (tshark shows a fragmented ESP packet once)
    assertTrue(c.esp() >= 12, "ESP packets in IP protocol 50: " + c);
    assertEquals(0, c.natT(), "nothing on UDP 4500: " + c);
  }

  /**
   * NAT-D finds no NAT between the two coatis, so the child SA is plain tunnel mode and both send
   * and receive ESP through their raw sockets.
   */
  @Test
  void coatiToCoati_siteToSite_plainEsp_pingAndCapture() throws Exception {
    Gateway hq = new Gateway(GW_ADDR, List.of(), List.of());
    Gateway branch = new Gateway(CLI_ADDR, List.of(), List.of());
    assertPlainEsp(
        siteToSite("s2s-1", hq, branch, List.of("sockets native, ESP raw and over UDP")));
  }

  /**
   * branch listens on 0.0.0.0: IP_PKTINFO tells it the address hq sent to, so its NAT-D hash is
   * right (a wildcard address would look like a NAT and float to 4500), and its wildcard raw socket
   * carries the ESP.
   */
  @Test
  void wildcardListen_ipPktinfoKeepsNatDetectionRight_plainEsp() throws Exception {
    Gateway hq = new Gateway(GW_ADDR, List.of(), List.of());
    Gateway branch = new Gateway("0.0.0.0", List.of(), List.of());
    assertPlainEsp(siteToSite("s2s-3", hq, branch, List.of()));
  }

  /**
   * Without raw ESP a gateway runs UDP-only and forces UDP encapsulation, so even a peer that could
   * send plain ESP sends ESP-in-UDP: hq loses CAP_NET_RAW (setpriv), branch runs on the JDK socket
   * fallback ({@code -Dcoati.udp=jdk}); ping works, nothing travels as IP protocol 50.
   */
  @Test
  void withoutRawEsp_noCapNetRawAndJdkFallback_udpEncapsulationIsForced() throws Exception {
    Gateway hq = new Gateway(GW_ADDR, List.of("setpriv", "--bounding-set=-net_raw"), List.of());
    Gateway branch = new Gateway(CLI_ADDR, List.of(), List.of("-Dcoati.udp=jdk"));
    Counts c =
        siteToSite(
            "s2s-2",
            hq,
            branch,
            List.of(
                "sockets jdk, ESP over UDP only",
                "sockets native, ESP over UDP only",
                "raw sockets need root or CAP_NET_RAW"));
    assertTrue(c.natT() >= 12 + 3, "IKE after the float and ESP-in-UDP on 4500: " + c);
    assertEquals(0, c.esp(), "no plain ESP: " + c);
  }

  /**
   * strongSwan 5.9.8 (kernel-libipsec; {@code raw_esp = yes} is not known to this version) still
   * floats to UDP 4500: its ESP-in-UDP reaches coati's batched FFM sockets and ping works; nothing
   * travels as IP protocol 50.
   */
  @Test
  void strongSwan598_alwaysUdpEncapsulated_pingOverTheNewSockets() throws Exception {
    String dataplane = "dataplane:\n  tun: coati0\n  address: 10.202.0.254/24\n";
    Netns.run("ip", "-n", CLI, "addr", "add", "10.202.0.1/32", "dev", "lo");
    Path pcap = dir.resolve("sw.pcapng");
    Process dumpcap = capture(pcap);
    try (CoatiProcess coati = new CoatiProcess(GW, GW_ADDR, dir, "raw-psk-2", dataplane);
        Charon c = new Charon(CLI, dir.resolve("cli"), client("raw-psk-2"), RAW_ESP)) {
      assertTrue(coati.log().contains("sockets native"), coati.log());
      Netns.Result up = c.swanctl("--initiate", "--child", "raw");
      assertEquals(0, up.code(), up.output() + coati.log());
      String sas = c.swanctl("--list-sas").output();
      assertTrue(sas.contains("INSTALLED, TUNNEL-in-UDP"), "5.9.8 has no raw ESP: " + sas);
      for (String size : List.of("56", "1400")) {
        Netns.Result r = ping("10.202.0.1", "10.200.0.1", size);
        assertTrue(r.output().contains("3 received"), size + ": " + r.output() + coati.log());
      }
    } finally {
      dumpcap.destroy();
      assertTrue(dumpcap.waitFor(10, TimeUnit.SECONDS), "dumpcap stops on SIGTERM");
    }
    Counts n = Counts.of(pcap);
    assertTrue(n.natT() >= 12 + 3, "IKE after the float and ESP-in-UDP on 4500: " + n);
    assertEquals(0, n.esp(), "no plain ESP: " + n);
  }
}
