package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #13 deliver 1, "authentication is what the config says, nothing less": an unmodified
 * strongSwan charon in the attacker's namespace knows the group PSK every employee holds (and, in
 * some cases, a user of its own) and tries each way around Xauth and the lease; the legitimate
 * paths (a road warrior, a site-to-site peer with a pinned identity, a {@code remote: any} peer)
 * still work. The gateway offers road warriors (PSK + Xauth), L2TP/IPsec and two site-to-site
 * peers, as an operator following the README would configure it.
 */
class AuthBypassIT {
  @TempDir Path dir;

  static final String GROUP_PSK = "rb-group-psk";
  static final String BRANCH_PSK = "rb-branch-psk";
  static final String ROAM_PSK = "rb-roam-psk";

  /** The LAN selector as coati logs it. */
  static final String LAN = "10.203.0.0-10.203.0.255[0/0]";

  /** Road warriors, L2TP, branch (fixed address, pinned id) and roam (remote: any). */
  static final String GATEWAY =
      """
      users:
        file: users.txt
      remote_access:
        pool: 10.99.99.10-10.99.99.50
        dns: [10.99.99.53]
      ike:
        aggressive_ids: [vpngroup]
      l2tp: {}
      dataplane:
        tun: coati0
        address: 10.99.99.1/24
      peers:
        - name: branch
          remote: CLI2
          id: fqdn:branch.test
          local_subnets: [10.203.0.0/24]
          remote_subnets: [10.210.0.0/24]
          secret_file: branch.psk
        - name: roam
          remote: any
          id: fqdn:roam.test
          mode: aggressive
          local_subnets: [10.203.0.0/24]
          remote_subnets: [10.211.0.0/24]
          secret_file: roam.psk
      """
          .replace("CLI2", Netns.CLI2_ADDR);

  @BeforeEach
  void requirements() throws Exception {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(Netns.available(), "needs root and strongSwan, or COATI_SKIP_INTEROP=1");
    secret("branch.psk", BRANCH_PSK);
    secret("roam.psk", ROAM_PSK);
  }

  void secret(String name, String value) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, value + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
  }

  /** One IKEv1 connection of the client; {@code user} null: no Xauth round at all. */
  static String conn(
      String name, boolean aggressive, String localId, String user, boolean vip, String children) {
    String xauth = user == null ? "" : "local-xauth { auth = xauth\n xauth_id = " + user + " }\n";
    return """
        NAME {
          version = 1
          aggressive = AGGR
          remote_addrs = SRV
          VIPS
          proposals = aes256-sha256-modp2048
          local { auth = psk
                  LOCALID }
          XAUTH
          remote { auth = psk
                   id = fqdn:vpn.test }
          children { CHILDREN }
        }
        """
        .replace("NAME", name)
        .replace("AGGR", aggressive ? "yes" : "no")
        .replace("SRV", Netns.SRV_ADDR)
        .replace("VIPS", vip ? "vips = 0.0.0.0" : "")
        .replace("LOCALID", localId == null ? "" : "id = " + localId)
        .replace("XAUTH", xauth)
        .replace("CHILDREN", children);
  }

  /** A tunnel-mode child; {@code localTs} null: the virtual IP (dynamic). */
  static String child(String name, String localTs, String remoteTs) {
    return name
        + " { "
        + (localTs == null ? "" : "local_ts = " + localTs + "\n")
        + "remote_ts = "
        + remoteTs
        + "\n esp_proposals = aes128-sha1 }\n";
  }

  static String swanctl(String psk, String user, String password, String... conns) {
    return "connections {\n"
        + String.join("\n", conns)
        + "}\nsecrets {\n ike-a { secret = \""
        + psk
        + "\" }\n"
        + (user == null ? "" : " xauth-a { id = " + user + "\n secret = \"" + password + "\" }\n")
        + "}\n";
  }

  void addUser(String name, String password) throws Exception {
    RemoteAccessIT.coati(
        password + "\n",
        "user",
        "add",
        name,
        "--file",
        dir.resolve("users.txt").toString(),
        "--password-stdin");
  }

  static int pings(String ns, String from, String to) throws Exception {
    return TunnelTrafficIT.received(TunnelTrafficIT.ping(ns, from, to, 3, "56").output());
  }

  static void refused(Charon c, String child, CoatiProcess coati, String why) throws Exception {
    Netns.Result r = c.swanctl("--initiate", "--child", child);
    assertNotEquals(0, r.code(), why + ": " + r.output() + coati.log());
    assertFalse(c.swanctl("--list-sas").output().contains("INSTALLED"), why);
  }

  /**
   * The attack: the group PSK alone, main mode and aggressive mode, no Xauth round, a pool
   * address the attacker picked: phase 1 comes up (L2TP/IPsec clients need it) but no tunnel, no
   * mode config address, no packet reaches the LAN; nor does claiming a site-to-site peer's pinned
   * identity with the group key get that peer's subnets.
   */
  @Test
  void groupPskAlone_mainAndAggressive_noTunnelNoAddressNoLan() throws Exception {
    addUser("alice", "alice-pass");
    try (Netns ns = new Netns().addLan();
        CoatiProcess coati = new CoatiProcess(dir, GROUP_PSK, GATEWAY)) {
      Netns.run("ip", "-n", Netns.CLI, "addr", "add", "10.99.99.30/32", "dev", "lo");
      Netns.run("ip", "-n", Netns.CLI, "addr", "add", "10.210.0.1/32", "dev", "lo");
      String picked = child("lan", "10.99.99.30/32", "10.203.0.0/24");
      String conf =
          swanctl(
              GROUP_PSK,
              null,
              null,
              conn("mm", false, null, null, false, picked),
              conn("am", true, "keyid:vpngroup", null, false, picked),
              conn(
                  "branchid",
                  false,
                  "fqdn:branch.test",
                  null,
                  false,
                  child("s2s", "10.210.0.0/24", "10.203.0.0/24")),
              conn("pull", false, null, null, true, child("pull", null, "10.203.0.0/24")));
      try (Charon c = new Charon(dir.resolve("attacker"), conf)) {
        for (String[] attempt :
            new String[][] {
              {"lan", "PSK main mode, own pick of a pool address"},
              {"s2s", "group key claiming the branch's identity"}
            }) {
          refused(c, attempt[0], coati, attempt[1]);
          c.swanctl("--terminate", "--ike", attempt[0].equals("lan") ? "mm" : "branchid");
        }
        Netns.Result aggr =
            Netns.tryRun(
                "env",
                "STRONGSWAN_CONF=" + dir.resolve("attacker/strongswan.conf"),
                "SWANCTL_DIR=" + dir.resolve("attacker/swanctl"),
                "timeout",
                "30",
                "swanctl",
                "--initiate",
                "--child",
                "lan",
                "--ike",
                "am");
        assertNotEquals(0, aggr.code(), "PSK aggressive mode: " + aggr.output());
        refused(c, "pull", coati, "mode config pull after PSK alone");
        assertEquals(0, pings(Netns.CLI, "10.99.99.30", Netns.LAN_HOST), "no packet to the LAN");
        assertEquals(0, pings(Netns.CLI, "10.210.0.1", Netns.LAN_HOST), "no packet to the LAN");
      }
      String log = coati.log();
      assertTrue(log.contains("mode=aggressive"), "aggressive mode phase 1 ran: " + log);
      assertTrue(log.contains("10.99.99.30[0/0] === " + LAN + " refused"), log);
      assertTrue(log.contains("10.210.0.0-10.210.0.255[0/0] === " + LAN + " refused"), log);
      assertTrue(log.contains("mode config request without Xauth: refused"), log);
      assertFalse(log.contains("CHILD SA established"), log);
      assertFalse(log.contains("address assigned"), "nothing leased: " + log);
    }
  }

  /** Without L2TP and site-to-site peers, plain PSK is no method at all: phase 1 is refused. */
  @Test
  void roadWarriorGatewayOnly_plainPskPhase1Refused_xauthStillWorks() throws Exception {
    addUser("alice", "alice-pass");
    String gw = GATEWAY.substring(0, GATEWAY.indexOf("peers:")).replace("l2tp: {}\n", "");
    try (Netns ns = new Netns().addLan();
        CoatiProcess coati = new CoatiProcess(dir, GROUP_PSK, gw)) {
      String lan = child("lan", null, "10.203.0.0/24");
      try (Charon c =
          new Charon(
              dir.resolve("attacker"),
              swanctl(GROUP_PSK, null, null, conn("mm", false, null, null, true, lan)))) {
        refused(c, "lan", coati, "plain PSK");
      }
      assertTrue(coati.log().contains("no acceptable phase 1 transform"), coati.log());
      try (Charon c =
          new Charon(
              dir.resolve("alice"),
              swanctl(
                  GROUP_PSK, "alice", "alice-pass", conn("rw", false, null, "alice", true, lan)))) {
        assertEquals(0, c.swanctl("--initiate", "--child", "lan").code(), coati.log());
        String vip = RemoteAccessIT.virtualIp(c.swanctl("--list-sas").output());
        assertEquals(3, pings(Netns.CLI, vip, Netns.LAN_HOST), coati.log());
      }
    }
  }

  /**
   * A legitimate user (bob, Xauth ok, his own lease) asks for more: alice's address, the branch's
   * subnet, L2TP transport selectors; each child is refused while his own one works, and alice's
   * tunnel is untouched.
   */
  @Test
  void xauthUser_getsOnlyItsOwnAddress() throws Exception {
    addUser("alice", "alice-pass");
    addUser("bob", "bob-pass");
    String lan = child("lan", null, "10.203.0.0/24");
    // alice uses the second client namespace, so the branch lives elsewhere here
    String gw = GATEWAY.replace(Netns.CLI2_ADDR, "10.97.9.9");
    try (Netns ns = new Netns().addLan().addSecondClient();
        CoatiProcess coati = new CoatiProcess(dir, GROUP_PSK, gw);
        Charon alice =
            new Charon(
                Netns.CLI2,
                dir.resolve("alice"),
                swanctl(
                    GROUP_PSK, "alice", "alice-pass", conn("rw", false, null, "alice", true, lan)),
                "")) {
      assertEquals(0, alice.swanctl("--initiate", "--child", "lan").code(), coati.log());
      String vipA = RemoteAccessIT.virtualIp(alice.swanctl("--list-sas").output());
      String bobConf =
          swanctl(
              GROUP_PSK,
              "bob",
              "bob-pass",
              conn(
                  "rw",
                  false,
                  null,
                  "bob",
                  true,
                  lan
                      + child("other", vipA + "/32", "10.203.0.0/24")
                      + child("s2s", "10.210.0.0/24", "10.203.0.0/24")
                      + "l2tp { local_ts = dynamic[udp/1701]\n remote_ts = dynamic[udp/1701]\n"
                      + " mode = transport\n esp_proposals = aes128-sha1 }\n"));
      try (Charon bob = new Charon(dir.resolve("bob"), bobConf)) {
        assertEquals(0, bob.swanctl("--initiate", "--child", "lan").code(), coati.log());
        String vipB = RemoteAccessIT.virtualIp(bob.swanctl("--list-sas").output());
        assertNotEquals(vipA, vipB);
        for (String[] attempt :
            new String[][] {
              {"other", "another user's address"},
              {"s2s", "a site-to-site selector from a road warrior"},
              {"l2tp", "L2TP transport selectors from a Cisco-style client"}
            }) {
          Netns.Result r = bob.swanctl("--initiate", "--child", attempt[0]);
          assertNotEquals(0, r.code(), attempt[1] + ": " + r.output() + coati.log());
        }
        String log = coati.log();
        assertTrue(log.contains(vipA + "[0/0] === " + LAN + " refused"), log);
        assertTrue(log.contains("10.210.0.0-10.210.0.255[0/0] === " + LAN + " refused"), log);
        assertTrue(
            log.contains(vipB + "[17/1701] === "), "the transport child reached coati: " + log);
        assertEquals(3, pings(Netns.CLI, vipB, Netns.LAN_HOST), "bob's own tunnel works");
        assertEquals(3, pings(Netns.CLI2, vipA, Netns.LAN_HOST), "alice's tunnel is untouched");
      }
    }
  }

  /**
   * Site-to-site peers only as configured: the branch (fixed address) with its pinned identity
   * works and with another identity is refused; the {@code remote: any} peer works from any address
   * with its own key and identity, while the group key with its identity does not.
   */
  @Test
  void siteToSite_pinnedIdentity_andRemoteAnyPeer() throws Exception {
    String s2sBranch = child("s2s", "10.210.0.0/24", "10.203.0.0/24");
    String s2sRoam = child("s2s", "10.211.0.0/24", "10.203.0.0/24");
    try (Netns ns = new Netns().addLan().addSecondClient();
        CoatiProcess coati = new CoatiProcess(dir, GROUP_PSK, GATEWAY)) {
      Netns.run("ip", "-n", Netns.SRV, "route", "add", "10.210.0.0/24", "dev", "coati0");
      Netns.run("ip", "-n", Netns.SRV, "route", "add", "10.211.0.0/24", "dev", "coati0");
      Netns.run("ip", "-n", Netns.CLI2, "addr", "add", "10.210.0.1/32", "dev", "lo");
      Netns.run("ip", "-n", Netns.CLI, "addr", "add", "10.211.0.1/32", "dev", "lo");
      try (Charon wrongId =
          new Charon(
              Netns.CLI2,
              dir.resolve("wrongid"),
              swanctl(
                  BRANCH_PSK,
                  null,
                  null,
                  conn("b", false, "fqdn:other.test", null, false, s2sBranch)),
              "")) {
        refused(wrongId, "s2s", coati, "the branch's key with another identity");
      }
      try (Charon branch =
          new Charon(
              Netns.CLI2,
              dir.resolve("branch"),
              swanctl(
                  BRANCH_PSK,
                  null,
                  null,
                  conn("b", false, "fqdn:branch.test", null, false, s2sBranch)),
              "")) {
        assertEquals(0, branch.swanctl("--initiate", "--child", "s2s").code(), coati.log());
        assertEquals(3, pings(Netns.CLI2, "10.210.0.1", Netns.LAN_HOST), coati.log());
      }
      try (Charon fake =
          new Charon(
              dir.resolve("fake"),
              swanctl(
                  GROUP_PSK,
                  null,
                  null,
                  conn("r", true, "fqdn:roam.test", null, false, s2sRoam),
                  conn("m", false, "fqdn:roam.test", null, false, s2sRoam)))) {
        refused(fake, "s2s", coati, "group key, aggressive mode, the roaming peer's identity");
        Netns.Result mm = fake.swanctl("--initiate", "--child", "s2s", "--ike", "m");
        assertNotEquals(0, mm.code(), "group key, main mode, roam's identity: " + mm.output());
      }
      try (Charon roam =
          new Charon(
              dir.resolve("roam"),
              swanctl(
                  ROAM_PSK, null, null, conn("r", true, "fqdn:roam.test", null, false, s2sRoam)))) {
        assertEquals(0, roam.swanctl("--initiate", "--child", "s2s").code(), coati.log());
        assertEquals(3, pings(Netns.CLI, "10.211.0.1", Netns.LAN_HOST), coati.log());
      }
      String log = coati.log();
      assertEquals(
          2, log.split("CHILD SA established", -1).length - 1, "branch and roam only: " + log);
    }
  }
}
