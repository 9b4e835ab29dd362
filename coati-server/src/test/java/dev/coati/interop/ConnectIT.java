package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coati connect} (the road warrior) against a coati gateway, both as processes in network
 * namespaces: PSK + Xauth in aggressive and main mode, hybrid RSA and RSA + Xauth, directly and
 * through a MASQUERADE NAT. The client prints "Bound to address" and the banner, pings the LAN
 * behind the gateway through its TUN device, and {@code coati disconnect} gives back the routes and
 * resolv.conf exactly as they were (read back: {@code ip netns exec} bind-mounts
 * /etc/netns/NS/resolv.conf over /etc/resolv.conf, so the client's rewrite lands there).
 */
class ConnectIT {
  private static final String PSK = "group-secret-0123";
  private static final String BANNER = "Flying pigs LTD\nWelcome to our internal network.\n";
  private static final String RESOLV_BEFORE = "# before coati\nnameserver 192.0.2.53\n";

  @TempDir Path dir;
  private final Path netnsEtc = Path.of("/etc/netns", Netns.CLI);

  @BeforeEach
  void requirements() throws Exception {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(Netns.available(), "needs root and strongSwan, or COATI_SKIP_INTEROP=1");
    Files.createDirectories(netnsEtc);
    Files.writeString(netnsEtc.resolve("resolv.conf"), RESOLV_BEFORE);
    Files.writeString(dir.resolve("motd"), BANNER);
  }

  @AfterEach
  void removeNetnsEtc() throws Exception {
    Files.deleteIfExists(netnsEtc.resolve("resolv.conf"));
    Files.deleteIfExists(netnsEtc);
  }

  private String gateway(String auth, boolean split) {
    return RemoteAccessIT.GATEWAY.replace(
        "remote_access:\n",
        "remote_access:\n  auth: ["
            + auth
            + "]\n  banner: "
            + dir.resolve("motd")
            + "\n"
            + (split ? "  split_include: [10.203.0.0/24]\n" : ""));
  }

  /** Up and down hooks that write their COATI_ environment to up.env / down.env. */
  private String section(String auth, String mode, String more) throws Exception {
    for (String hook : new String[] {"up", "down"}) {
      Path script = dir.resolve(hook + ".sh");
      Files.writeString(
          script, "#!/bin/sh\nenv | grep ^COATI_ | sort > " + dir.resolve(hook + ".env") + "\n");
      script.toFile().setExecutable(true);
    }
    return "  auth: "
        + auth
        + "\n  mode: "
        + mode
        + "\n  tun: cc-tun0\n  dns: file\n  up: up.sh\n  down: down.sh\n"
        + more;
  }

  @Test
  void pskXauth_aggressive_splitInclude() throws Exception {
    run(false, "psk-xauth", "aggressive", "  psk_file: client-psk.txt\n  group: vpngroup\n", true);
  }

  @Test
  void pskXauth_main_throughNat_allTraffic() throws Exception {
    run(true, "psk-xauth", "main", "  psk_file: client-psk.txt\n", false);
  }

  @Test
  void hybridRsa_aggressive_throughNat() throws Exception {
    run(true, "hybrid-rsa", "aggressive", "  ca: pki/ca.pem\n", true);
  }

  @Test
  void rsaXauth_main() throws Exception {
    run(
        false,
        "rsa-xauth",
        "main",
        "  ca: pki/ca.pem\n  certificate: cli/swanctl/x509/client.pem\n"
            + "  private_key: cli/swanctl/private/client.key\n",
        true);
  }

  /**
   * {@code --background}: the command returns once the daemon printed the address and banner; the
   * daemon holds the tunnel (ping) until {@code coati disconnect}, then exits and restores.
   */
  @Test
  void background_daemonUntilDisconnect() throws Exception {
    RemoteAccessIT it = new RemoteAccessIT();
    it.dir = dir;
    it.addUser("alice", "alice-pass");
    try (Netns ns = new Netns(false).addLan();
        CoatiProcess gw = new CoatiProcess(dir, PSK, gateway("psk-xauth", true), "")) {
      String routesBefore = routes();
      Path profile =
          CoatiClient.writeProfile(
              dir,
              section("psk-xauth", "aggressive", "  psk_file: client-psk.txt\n  group: vpngroup\n"),
              PSK);
      Netns.Result up =
          CoatiClient.background(Netns.CLI, profile, "alice", "alice-pass", Netns.SRV_ADDR);
      Matcher pid = Pattern.compile("pid (\\d+)").matcher(up.output());
      try {
        assertEquals(0, up.code(), up.output() + gw.log());
        assertTrue(up.output().contains(BANNER), up.output());
        assertTrue(pid.find(), up.output());
        Netns.Result ping =
            Netns.tryRun(
                "ip", "netns", "exec", Netns.CLI, "ping", "-c", "2", "-W", "2", Netns.LAN_HOST);
        assertEquals(0, ping.code(), ping.output() + gw.log());
        Netns.Result bye =
            CoatiProcess.cli("", "disconnect", "--profile", profile.toString(), Netns.SRV_ADDR);
        assertEquals(0, bye.code(), bye.output());
        ProcessHandle daemon = ProcessHandle.of(Long.parseLong(pid.group(1))).orElse(null);
        for (int i = 0; i < 100 && daemon != null && daemon.isAlive(); i++) {
          Thread.sleep(100);
        }
        assertFalse(daemon != null && daemon.isAlive(), "the daemon exits after disconnect");
      } finally {
        if (pid.hasMatch()) {
          ProcessHandle.of(Long.parseLong(pid.group(1))).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
      assertEquals(routesBefore, routes());
      assertEquals(RESOLV_BEFORE, Files.readString(netnsEtc.resolve("resolv.conf")));
    }
  }

  private void run(boolean nat, String auth, String mode, String more, boolean split)
      throws Exception {
    RemoteAccessIT it = new RemoteAccessIT();
    it.dir = dir;
    it.addUser("alice", "alice-pass");
    String gatewayExtra = "";
    if (!auth.equals("psk-xauth")) {
      Path pki = it.gatewayPki();
      gatewayExtra =
          "  certificate: PKI/vpn.test.pem\n  private_key: PKI/vpn.test.key\n"
              .replace("PKI", pki.toString());
      if (auth.equals("rsa-xauth")) {
        gatewayExtra += "  ca: [" + pki.resolve("ca.pem") + "]\n";
        RemoteAccessIT.clientCertificate(
            pki, dir.resolve("cli"), "alice", java.time.Instant.now().minusSeconds(60), 30, false);
      }
    }
    try (Netns ns = new Netns(nat).addLan();
        CoatiProcess gw = new CoatiProcess(dir, PSK, gateway(auth, split), gatewayExtra)) {
      String routesBefore = routes();
      String client;
      try (CoatiClient c =
          new CoatiClient(
              Netns.CLI,
              dir,
              section(auth, mode, more),
              auth.equals("psk-xauth") ? PSK : null,
              "alice",
              "alice-pass",
              Netns.SRV_ADDR)) {
        assertTrue(c.awaitBound(30), c.output() + gw.log());
        String out = c.output();
        Matcher m = Pattern.compile("Bound to address (10\\.99\\.99\\.\\d+)\n").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(out.contains(BANNER), "the banner follows: " + out);
        String vip = m.group(1);
        assertTrue(gw.log().contains(vip), gw.log());
        Path upFile = dir.resolve("up.env");
        for (int i = 0;
            i < 50 && !(Files.exists(upFile) && Files.readString(upFile).contains("COATI_USER"));
            i++) {
          Thread.sleep(100); // the hook runs beside the tunnel, not before it
        }
        String upEnv = Files.readString(upFile);
        for (String kv :
            new String[] {
              "COATI_EVENT=up",
              "COATI_ADDRESS=" + vip,
              "COATI_INTERFACE=cc-tun0",
              "COATI_USER=alice"
            }) {
          assertTrue(upEnv.contains(kv + "\n"), "up hook: " + upEnv);
        }
        Netns.Result ping =
            Netns.tryRun(
                "ip",
                "netns",
                "exec",
                Netns.CLI,
                "ping",
                "-c",
                "3",
                "-i",
                "0.2",
                "-W",
                "2",
                Netns.LAN_HOST);
        assertEquals(0, ping.code(), ping.output() + c.output() + gw.log());
        assertTrue(
            Files.readString(netnsEtc.resolve("resolv.conf")).contains("nameserver 10.99.99.53"),
            "the pushed DNS server is in resolv.conf");
        assertTrue(Files.readString(netnsEtc.resolve("resolv.conf")).contains("search corp.test"));
        String during = routes();
        assertNotEquals(routesBefore, during);
        assertTrue(
            during.contains(split ? "10.203.0.0/24 dev cc-tun0" : "0.0.0.0/1 dev cc-tun0"), during);
        if (!split) {
          assertTrue(during.contains(Netns.SRV_ADDR + " via"), "gateway kept outside: " + during);
        }
        Netns.Result status =
            CoatiProcess.cli(
                "", "connect", "--status", "--profile", c.profile().toString(), Netns.SRV_ADDR);
        assertEquals(0, status.code(), status.output());
        assertTrue(status.output().contains("up, address " + vip), status.output());
        Netns.Result bye =
            CoatiProcess.cli("", "disconnect", "--profile", c.profile().toString(), Netns.SRV_ADDR);
        assertEquals(0, bye.code(), bye.output() + c.output());
        assertTrue(bye.output().contains("VPN connection terminated"), bye.output());
        assertEquals(0, c.awaitExit(15), c.output());
        client = c.output();
      }
      assertEquals(routesBefore, routes(), "routes restored exactly: " + client);
      String downEnv = Files.readString(dir.resolve("down.env"));
      assertTrue(downEnv.contains("COATI_EVENT=down\n"), "down hook: " + downEnv);
      assertEquals(RESOLV_BEFORE, Files.readString(netnsEtc.resolve("resolv.conf")));
      assertFalse(
          Netns.tryRun("ip", "-n", Netns.CLI, "link", "show", "cc-tun0").code() == 0, "TUN gone");
      for (int i = 0; i < 30 && !gw.log().contains("deleted by peer"); i++) {
        Thread.sleep(100);
      }
      assertTrue(gw.log().contains("deleted by peer"), "the gateway got our Delete: " + gw.log());
    }
  }

  private static String routes() throws Exception {
    return Netns.run("ip", "-n", Netns.CLI, "-4", "route", "show", "table", "all");
  }
}
