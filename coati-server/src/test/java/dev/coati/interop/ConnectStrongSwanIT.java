package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * {@code coati connect} against an unmodified strongSwan charon as the gateway (IKEv1, userspace
 * ESP through kernel-libipsec, Xauth checked against its secrets, mode config from a pool with a
 * DNS server, the Unity split include of its local_ts): PSK + Xauth in main mode, and hybrid
 * (strongSwan's certificate, Xauth for the user) through a MASQUERADE NAT. The client pings the
 * gateway's "LAN" address, and disconnect gives back routes and resolv.conf; charon logs our
 * Delete.
 */
class ConnectStrongSwanIT {
  private static final String RESOLV_BEFORE = "nameserver 192.0.2.53\n";

  @TempDir Path dir;
  private final Path netnsEtc = Path.of("/etc/netns", Netns.CLI);

  @BeforeEach
  void requirements() throws Exception {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(Netns.available(), "needs root and strongSwan, or COATI_SKIP_INTEROP=1");
    Files.createDirectories(netnsEtc);
    Files.writeString(netnsEtc.resolve("resolv.conf"), RESOLV_BEFORE);
  }

  @AfterEach
  void removeNetnsEtc() throws Exception {
    Files.deleteIfExists(netnsEtc.resolve("resolv.conf"));
    Files.deleteIfExists(netnsEtc);
  }

  private static final String POOL =
      """
      pools {
        vpnpool { addrs = 10.66.0.10-10.66.0.50
                  dns = 10.66.0.53 }
      }
      """;

  @Test
  void pskXauth_mainMode() throws Exception {
    String srv =
        """
        connections {
          rw {
            version = 1
            pools = vpnpool
            proposals = aes256-sha256-modp2048,aes128-sha1-modp2048
            local { auth = psk
                    id = vpn.test }
            remote { auth = psk }
            remote-xauth { auth = xauth }
            children { rw { local_ts = 10.200.0.0/24
                            esp_proposals = aes128-sha1 } }
          }
        }
        secrets {
          ike-any { secret = "strong-group-psk" }
          xauth-alice { id = alice
                        secret = "alice-pass" }
        }
        """
            + POOL;
    run(false, srv, "  auth: psk-xauth\n  mode: main\n  psk_file: client-psk.txt\n");
  }

  @Test
  void hybrid_throughNat() throws Exception {
    RemoteAccessIT it = new RemoteAccessIT();
    it.dir = dir;
    Path pki = it.gatewayPki();
    Path srvDir = dir.resolve("srv");
    Files.createDirectories(srvDir.resolve("swanctl/x509"));
    Files.createDirectories(srvDir.resolve("swanctl/private"));
    Files.copy(pki.resolve("vpn.test.pem"), srvDir.resolve("swanctl/x509/srv.pem"));
    Files.copy(pki.resolve("vpn.test.key"), srvDir.resolve("swanctl/private/srv.key"));
    String srv =
        """
        connections {
          hybrid {
            version = 1
            pools = vpnpool
            proposals = aes256-sha256-modp2048,aes128-sha1-modp2048
            local { auth = pubkey
                    certs = srv.pem
                    id = vpn.test }
            remote { auth = xauth }
            children { rw { local_ts = 10.200.0.0/24
                            esp_proposals = aes128-sha1 } }
          }
        }
        secrets {
          xauth-alice { id = alice
                        secret = "alice-pass" }
        }
        """
            + POOL;
    run(true, srv, "  auth: hybrid-rsa\n  mode: main\n  ca: pki/ca.pem\n");
  }

  private void run(boolean nat, String srvConf, String section) throws Exception {
    try (Netns ns = new Netns(nat);
        Charon gw = new Charon(Netns.SRV, dir.resolve("srv"), srvConf, "")) {
      String routesBefore = routes();
      String client;
      try (CoatiClient c =
          new CoatiClient(
              Netns.CLI,
              dir,
              section + "  tun: cc-tun0\n  dns: file\n",
              "strong-group-psk",
              "alice",
              "alice-pass",
              Netns.SRV_ADDR)) {
        assertTrue(c.awaitBound(30), c.output() + gw.log());
        Matcher m = Pattern.compile("Bound to address (10\\.66\\.0\\.\\d+)\n").matcher(c.output());
        assertTrue(m.find(), c.output());
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
                "10.200.0.1");
        assertEquals(0, ping.code(), ping.output() + c.output() + gw.log());
        assertTrue(
            routes().contains("10.200.0.0/24 dev cc-tun0"), "the Unity split include: " + routes());
        assertTrue(
            Files.readString(netnsEtc.resolve("resolv.conf")).contains("nameserver 10.66.0.53"));
        Netns.Result bye =
            CoatiProcess.cli("", "disconnect", "--profile", c.profile().toString(), Netns.SRV_ADDR);
        assertEquals(0, bye.code(), bye.output() + c.output());
        assertEquals(0, c.awaitExit(15), c.output());
        client = c.output();
      }
      assertEquals(routesBefore, routes(), "routes restored exactly: " + client);
      assertEquals(RESOLV_BEFORE, Files.readString(netnsEtc.resolve("resolv.conf")));
      for (int i = 0; i < 30 && !gw.log().contains("received DELETE for IKE_SA"); i++) {
        Thread.sleep(100);
      }
      assertTrue(gw.log().contains("received DELETE for IKE_SA"), gw.log());
    }
  }

  private static String routes() throws Exception {
    return Netns.run("ip", "-n", Netns.CLI, "-4", "route", "show", "table", "all");
  }
}
