package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two coati gateways, one address pool (README "Scaling out"): gateways in {@code PFX-gw1} and
 * {@code PFX-gw2} (each its own process, TUN device and local state) authenticate against one
 * FreeRADIUS 3.2 in {@code PFX-rad} whose {@code sqlippool} on a private PostgreSQL cluster hands
 * out the addresses (interop/scaleout: the module configuration and the pool of three addresses),
 * with {@code radius.framed_ip: required}. Unmodified strongSwan Xauth road warriors, each in its
 * own namespace, log in over both gateways: every address is given once across the gateways,
 * including when the pool is exhausted (the login fails rather than falling back to the local
 * pool), after a client disconnects (the Accounting-Stop frees the lease at once), after a
 * Disconnect- Request (ACK from the gateway that holds the session, NAK 503 from the other) and
 * after a gateway restart (the NAS-Reboot Stops at shutdown free that gateway's leases); Start and
 * Stop of both gateways land in the one {@code radacct} table with their NAS-Identifier and
 * Framed-IP-Address.
 */
class ScaleOutIT {
  static final String PFX = System.getProperty("coati.netns.prefix", "coati-it-");
  static final String RAD = PFX + "so-rad";
  static final String[] GW = {PFX + "so-gw1", PFX + "so-gw2"};
  static final String[] CLIENT = {
    PFX + "so-c1", PFX + "so-c2", PFX + "so-c3", PFX + "so-c4", PFX + "so-c5"
  };

  /** Which gateway each client uses: c1 and c3 the first, c2, c4 and c5 (vpnc) the second. */
  static final int[] CLIENT_GW = {0, 1, 0, 1, 1};

  static final String PSK = "scale-out-group-psk-1";
  static final String DAE_SECRET = "scale-out-dae-secret";
  static final List<String> POOL = List.of("10.99.99.10", "10.99.99.11", "10.99.99.12");

  @TempDir Path dir;
  ScaleOutRadius rad;
  final CoatiProcess[] gateways = new CoatiProcess[2];
  final Charon[] clients = new Charon[4];
  VpncIT.Vpnc vpnc;

  /** The gateway's address towards RADIUS: its NAS-IP-Address (sqlippool's lease key). */
  static String nasAddress(int g) {
    return "10.98." + (g + 1) + ".2";
  }

  static String radiusAddress(int g) {
    return "10.98." + (g + 1) + ".1";
  }

  static String nasIdentifier(int g) {
    return "coati-gw" + (g + 1);
  }

  @BeforeEach
  void topology() throws Exception {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(Netns.available(), "needs root and strongSwan, or COATI_SKIP_INTEROP=1");
    assertTrue(
        ScaleOutRadius.available(),
        "needs freeradius, freeradius-utils, freeradius-postgresql and postgresql (interop/setup.sh)");
    removeNamespaces();
    Netns.run("ip", "netns", "add", RAD);
    Netns.run("ip", "-n", RAD, "link", "set", "lo", "up");
    for (int g = 0; g < 2; g++) {
      Netns.run("ip", "netns", "add", GW[g]);
      Netns.run("ip", "-n", GW[g], "link", "set", "lo", "up");
      Netns.veth(RAD, "sor" + g, radiusAddress(g), GW[g], "sog" + g, nasAddress(g));
      Netns.run("ip", "-n", GW[g], "link", "add", "sobr", "type", "bridge");
      Netns.run("ip", "-n", GW[g], "addr", "add", Netns.SRV_ADDR + "/24", "dev", "sobr");
      Netns.run("ip", "-n", GW[g], "link", "set", "sobr", "up");
    }
    for (int c = 0; c < CLIENT.length; c++) {
      String ns = CLIENT[c];
      String gw = GW[CLIENT_GW[c]];
      Netns.run("ip", "netns", "add", ns);
      Netns.run("ip", "-n", ns, "link", "set", "lo", "up");
      Netns.run(
          "ip", "link", "add", "soc", "netns", ns, "type", "veth", "peer", "name", "sop" + c,
          "netns", gw);
      Netns.run("ip", "-n", ns, "addr", "add", "10.97.0." + (11 + c) + "/24", "dev", "soc");
      Netns.run("ip", "-n", ns, "link", "set", "soc", "up");
      Netns.run("ip", "-n", gw, "link", "set", "sop" + c, "master", "sobr");
      Netns.run("ip", "-n", gw, "link", "set", "sop" + c, "up");
    }
    rad = new ScaleOutRadius(dir.resolve("radius"), RAD, "10.98.0.0/16", PFX + "so-pg", 4);
  }

  @AfterEach
  void teardown() throws Exception {
    if (vpnc != null) {
      vpnc.close();
    }
    for (Charon c : clients) {
      if (c != null) {
        c.close();
      }
    }
    for (CoatiProcess g : gateways) {
      if (g != null) {
        g.close();
      }
    }
    if (rad != null) {
      rad.close();
    }
    removeNamespaces();
  }

  static void removeNamespaces() throws Exception {
    Netns.remove(CLIENT);
    Netns.remove(GW);
    Netns.remove(RAD);
  }

  /** Gateway {@code g}: users from RADIUS, accounting, Disconnect-Request, framed_ip required. */
  CoatiProcess startGateway(int g) throws Exception {
    Path d = dir.resolve("gw" + (g + 1));
    Files.createDirectories(d);
    secret(d.resolve("radius-secret.txt"), FreeRadius.SECRET);
    secret(d.resolve("dae-secret.txt"), DAE_SECRET);
    String yaml =
        RemoteAccessIT.GATEWAY.replace("users:\n  file: users.txt\n", "users:\n  source: radius\n")
            + "radius:\n"
            + "  servers: [ { address: "
            + radiusAddress(g)
            + ", port: "
            + rad.authPort()
            + ", acct_port: "
            + rad.acctPort()
            + ", secret_file: radius-secret.txt } ]\n"
            + "  timeout: 2s\n"
            + "  nas_identifier: "
            + nasIdentifier(g)
            + "\n  accounting: true\n"
            + "  interim_interval: 600s\n"
            + "  framed_ip: required\n"
            + "  dynamic_authorization:\n"
            + "    listen: "
            + nasAddress(g)
            + ":3799\n"
            + "    clients: [ { address: "
            + radiusAddress(g)
            + ", secret_file: dae-secret.txt } ]\n";
    gateways[g] = new CoatiProcess(GW[g], Netns.SRV_ADDR, d, PSK, yaml);
    // coati check is clean: with framed_ip: required there is no fallback to the local pool.
    String cfg = d.resolve("coati.yaml").toString();
    Netns.Result check = CoatiProcess.cli("", "check", "--config", cfg);
    assertEquals(0, check.code(), check.output());
    assertFalse(check.output().contains("warning"), check.output());
    return gateways[g];
  }

  static void secret(Path f, String value) throws Exception {
    Files.writeString(f, value + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
  }

  Charon client(int c) throws Exception {
    String user = "u" + (c + 1);
    clients[c] =
        new Charon(
            CLIENT[c],
            dir.resolve(user),
            RemoteAccessIT.client(PSK, false, user, user + "-pass"),
            "");
    return clients[c];
  }

  /** Logs client {@code c} in; its virtual address. */
  String login(int c) throws Exception {
    Charon ch = clients[c] == null ? client(c) : clients[c];
    Netns.Result up = ch.swanctl("--initiate", "--child", "pool");
    assertEquals(0, up.code(), up.output() + gateways[CLIENT_GW[c]].log() + ch.log());
    return RadiusGatewayIT.vip(ch);
  }

  /** Every address of a live session on either gateway, from their control sockets. */
  List<String> liveAddresses() throws Exception {
    List<String> out = new ArrayList<>();
    for (int g = 0; g < 2; g++) {
      if (gateways[g] == null) {
        continue;
      }
      Path socket = dir.resolve("gw" + (g + 1)).resolve("coati.sock");
      Netns.Result r = CoatiProcess.cli("", "status", "--json", "--socket", socket.toString());
      assertEquals(0, r.code(), r.output());
      Matcher m = Pattern.compile("\"address\":\"(10\\.99\\.99\\.\\d+)\"").matcher(r.output());
      while (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /** No address is held twice across both gateways; returns them. */
  List<String> assertDistinct() throws Exception {
    List<String> live = liveAddresses();
    assertEquals(live.size(), new HashSet<>(live).size(), "an address given twice: " + live);
    assertTrue(POOL.containsAll(live), "only sqlippool's addresses: " + live);
    return live;
  }

  /** Each client's address of its first login and of its login after a gateway restart. */
  final String[] vip = new String[4];

  final String[] again = new String[4];

  @Test
  void twoGateways_oneSqlippool_noAddressTwice_accountingInOneTable_disconnectFindsTheGateway()
      throws Exception {
    startGateway(0);
    startGateway(1);
    threeLogins_takeTheSharedPool();
    exhaustedPool_refusesTheLogin_thenALogoutFreesAnAddress();
    disconnectRequest_ackedByTheGatewayWithTheSession_nakedByTheOther();
    String firstRun = sigterm_freesTheGatewaysLeases();
    sigkill_leasesFreedByTheRestartsAccountingOn();
    String vpncAddress = vpnc_getsTheAddressALogoutFreed();
    assertEquals(
        List.of(
            "coati-gw1|" + nasAddress(0) + "|u1|" + vip[0] + "|NAS-Reboot",
            "coati-gw2|" + nasAddress(1) + "|u2|" + vip[1] + "|User-Request",
            "coati-gw1|" + nasAddress(0) + "|u3|" + vip[2] + "|Admin-Reset",
            "coati-gw2|" + nasAddress(1) + "|u4|" + vip[3] + "|NAS-Reboot",
            "coati-gw1|" + nasAddress(0) + "|u1|" + again[0] + "|User-Request",
            "coati-gw1|" + nasAddress(0) + "|u3|" + again[2] + "|",
            "coati-gw2|" + nasAddress(1) + "|u4|" + again[3] + "|",
            "coati-gw2|" + nasAddress(1) + "|u2|" + vpncAddress + "|"),
        rad.accounting(8),
        "radacct of both gateways\n" + firstRun);
  }

  /** u1 and u3 on gateway 1, u2 on gateway 2 get the three addresses; pings cross both. */
  void threeLogins_takeTheSharedPool() throws Exception {
    for (int c = 0; c < 3; c++) {
      vip[c] = login(c);
    }
    assertEquals(Set.copyOf(POOL), Set.of(vip[0], vip[1], vip[2]), String.join(",", vip));
    assertEquals(3, assertDistinct().size());
    assertEquals(
        List.of(
                vip[0] + "|" + nasAddress(0) + "|u1",
                vip[1] + "|" + nasAddress(1) + "|u2",
                vip[2] + "|" + nasAddress(0) + "|u3")
            .stream()
            .sorted()
            .toList(),
        rad.leases());
    for (int c = 0; c < 2; c++) {
      Netns.Result ping = TunnelTrafficIT.ping(CLIENT[c], vip[c], "10.99.99.1", 3, "56");
      assertEquals(3, TunnelTrafficIT.received(ping.output()), ping.output());
    }
  }

  /**
   * FreeRADIUS accepts u4 without an address (pool exhausted): gateway 2 refuses the login rather
   * than take one from its own pool (gateway 1 may be using it). u2 logs out: its Accounting-Stop
   * frees the lease at once, and u4 gets that address.
   */
  void exhaustedPool_refusesTheLogin_thenALogoutFreesAnAddress() throws Exception {
    Charon c4 = client(3);
    Netns.Result refused = c4.swanctl("--initiate", "--child", "pool");
    assertNotEquals(0, refused.code(), refused.output());
    assertTrue(
        gateways[1].log().contains("without a Framed-IP-Address"), gateways[1].log() + c4.log());
    assertEquals(3, assertDistinct().size());
    long t0 = System.nanoTime();
    Netns.Result down = clients[1].swanctl("--terminate", "--ike", "rw");
    assertEquals(0, down.code(), down.output());
    long releasedMs = rad.awaitReleased(vip[1], t0);
    System.out.println(
        "ScaleOutIT: lease of " + vip[1] + " free " + releasedMs + " ms after logout");
    awaitClientDown(c4);
    vip[3] = login(3);
    assertEquals(vip[1], vip[3], "the only free address");
    assertEquals(3, assertDistinct().size());
  }

  /** For u3 (on gateway 1): gateway 2 answers NAK 503, gateway 1 ACKs and ends the session. */
  void disconnectRequest_ackedByTheGatewayWithTheSession_nakedByTheOther() throws Exception {
    Netns.Result nak = rad.disconnect(nasAddress(1) + ":3799", "u3", DAE_SECRET);
    assertTrue(nak.output().contains("Received Disconnect-NAK"), nak.output());
    assertTrue(nak.output().contains("Session-Context-Not-Found"), nak.output());
    Netns.Result ack = rad.disconnect(nasAddress(0) + ":3799", "u3", DAE_SECRET);
    assertTrue(ack.output().contains("Received Disconnect-ACK"), ack.output() + gateways[0].log());
    RadiusGatewayIT.awaitGone(
        clients[2], gateways[0], "address released user=u3 address=" + vip[2] + "\n");
    rad.awaitReleased(vip[2], System.nanoTime());
  }

  /**
   * SIGTERM to gateway 1: its NAS-Reboot Stop frees u1's lease, none of its leases is left; after
   * the restart u1 and u3 log in again and get addresses nobody else holds. Its first log.
   */
  String sigterm_freesTheGatewaysLeases() throws Exception {
    assertEquals(143, gateways[0].stop(), gateways[0].log());
    String firstRun = gateways[0].log();
    gateways[0] = null;
    rad.awaitReleased(vip[0], System.nanoTime());
    assertTrue(
        rad.leases().stream().noneMatch(l -> l.contains("|" + nasAddress(0) + "|")),
        rad.leases() + "");
    startGateway(0);
    awaitClientDown(clients[0]);
    again[0] = login(0);
    again[2] = login(2);
    assertEquals(3, assertDistinct().size());
    assertEquals(Set.copyOf(POOL), Set.of(again[0], again[2], vip[3]));
    return firstRun;
  }

  /**
   * SIGKILL to gateway 2 (no Stop): u4's lease outlives it; the Accounting-On of its next start
   * frees it (sqlippool on_clear) and closes u4's open radacct row (NAS-Reboot); u4 logs in again.
   */
  void sigkill_leasesFreedByTheRestartsAccountingOn() throws Exception {
    gateways[1].close();
    gateways[1] = null;
    assertTrue(rad.leases().contains(vip[3] + "|" + nasAddress(1) + "|u4"), rad.leases() + "");
    startGateway(1);
    rad.awaitReleased(vip[3], System.nanoTime());
    clients[3].swanctl("--terminate", "--ike", "rw", "--force");
    awaitClientDown(clients[3]);
    again[3] = login(3);
    List<String> live = assertDistinct();
    assertEquals(Set.copyOf(POOL), Set.copyOf(live), live.toString());
    assertEquals(Set.copyOf(POOL), Set.of(again[0], again[2], again[3]));
  }

  /**
   * u1 logs out of gateway 1; vpnc (aggressive mode, the other common Linux client) logs u2 in on
   * gateway 2 and gets the address u1 freed, held by nobody else. That address.
   */
  String vpnc_getsTheAddressALogoutFreed() throws Exception {
    Netns.Result down = clients[0].swanctl("--terminate", "--ike", "rw");
    assertEquals(0, down.code(), down.output());
    rad.awaitReleased(again[0], System.nanoTime());
    Path d = dir.resolve("vpnc");
    Files.createDirectories(d);
    vpnc = new VpncIT.Vpnc(CLIENT[4], d, PSK, "u2", "u2-pass");
    String address = vpnc.awaitConnect().get("INTERNAL_IP4_ADDRESS");
    assertEquals(again[0], address, vpnc.log() + gateways[1].log());
    List<String> live = assertDistinct();
    assertEquals(Set.copyOf(POOL), Set.copyOf(live), live.toString());
    assertTrue(rad.leases().contains(address + "|" + nasAddress(1) + "|u2"), rad.leases() + "");
    return address;
  }

  /** The client's IKE SA is gone (coati's Delete, or DPD after a restart); 20 s at most. */
  static void awaitClientDown(Charon c) throws Exception {
    for (int i = 0; i < 200; i++) {
      String sas = c.swanctl("--list-sas").output();
      if (!sas.contains("ESTABLISHED") && !sas.contains("CONNECTING")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("still up: " + c.swanctl("--list-sas").output() + c.log());
  }
}
