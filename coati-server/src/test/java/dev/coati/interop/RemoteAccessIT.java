package dev.coati.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #4 with an unmodified strongSwan 5.9 charon as the road warrior (Cisco-style: PSK + Xauth,
 * mode config pull): the client authenticates with a user from coati's users file (made with {@code
 * coati user add}), gets an address from the pool and the DNS server, and pings a host on the LAN
 * behind the gateway; wrong passwords fail with XAUTH_STATUS and lease nothing.
 */
class RemoteAccessIT {
  @TempDir Path dir;

  @BeforeEach
  void requirements() {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertTrue(Netns.available(), "needs root and strongSwan, or COATI_SKIP_INTEROP=1");
  }

  static final String GATEWAY =
      """
      users:
        file: users.txt
      remote_access:
        pool: 10.99.99.10-10.99.99.50
        dns: [10.99.99.53]
        domain: corp.test
      ike:
        aggressive_ids: [vpngroup]
      dataplane:
        tun: coati0
        address: 10.99.99.1/24
      """;

  /** A road warrior: main or aggressive mode, group PSK, Xauth user, a virtual IP by pull. */
  static String client(String psk, boolean aggressive, String user, String password) {
    return """
        connections {
          rw {
            version = 1
            aggressive = AGGR
            remote_addrs = SRV
            vips = 0.0.0.0
            proposals = aes256-sha256-modp2048
            local { auth = psk
                    LOCALID }
            local-xauth { auth = xauth
                          xauth_id = USER }
            remote { auth = psk
                     id = fqdn:vpn.test }
            DPD
            children { rw { remote_ts = 10.203.0.0/24
                            esp_proposals = aes128-sha1 }
                       pool { remote_ts = 10.99.99.0/24
                              esp_proposals = aes128-sha1 } }
          }
        }
        secrets {
          ike-grp { secret = "PSK" }
          xauth-user { id = USER
                       secret = "PASSWORD" }
        }
        """
        .replace("DPD", "dpd_delay = 2s")
        .replace("AGGR", aggressive ? "yes" : "no")
        .replace("LOCALID", aggressive ? "id = keyid:vpngroup" : "")
        .replace("SRV", Netns.SRV_ADDR)
        .replace("PSK", psk)
        .replace("USER", user)
        .replace("PASSWORD", password);
  }

  /** {@code coati user add NAME --file users.txt --password-stdin}, as an operator would. */
  void addUser(String name, String password) throws Exception {
    coati(
        password + "\n",
        "user",
        "add",
        name,
        "--file",
        dir.resolve("users.txt").toString(),
        "--password-stdin");
  }

  /** Runs the coati command line as its own process; fails unless it exits 0. */
  static String coati(String stdin, String... args) throws Exception {
    Netns.Result r = CoatiProcess.cli(stdin, args);
    assertEquals(0, r.code(), r.output());
    return r.output();
  }

  /** A CA and the gateway's certificate (SAN vpn.test and its address), made by coati pki. */
  Path gatewayPki() throws Exception {
    Path pki = dir.resolve("pki");
    coati("", "pki", "ca", "--out", pki.toString(), "--cn", "coati test CA");
    coati(
        "", "pki", "server", "--ca", pki.toString(), "--name", "vpn.test", "--ip", Netns.SRV_ADDR);
    return pki;
  }

  static String virtualIp(String sas) {
    Matcher m = Pattern.compile("\\[(10\\.99\\.99\\.\\d+)\\]").matcher(sas);
    assertTrue(m.find(), "no virtual IP from the pool: " + sas);
    return m.group(1);
  }

  void connectAndPing(boolean aggressive, String psk) throws Exception {
    connectAndPing(aggressive, psk, false);
  }

  void connectAndPing(boolean aggressive, String psk, boolean nat) throws Exception {
    addUser("alice", "alice-pass");
    try (Netns ns = new Netns(nat).addLan();
        CoatiProcess coati = new CoatiProcess(dir, psk, GATEWAY);
        Charon c = new Charon(dir.resolve("cli"), client(psk, aggressive, "alice", "alice-pass"))) {
      Netns.Result up = c.swanctl("--initiate", "--child", "rw");
      assertEquals(0, up.code(), up.output() + coati.log() + c.log());
      String sas = c.swanctl("--list-sas").output();
      String vip = virtualIp(sas);
      assertTrue(
          up.output().contains("installing DNS server 10.99.99.53")
              || c.log().contains("10.99.99.53"),
          "the DNS server arrived: " + up.output());
      assertTrue(coati.log().contains(" user=alice xauth=ok "), coati.log());
      assertTrue(
          coati.log().contains("address assigned user=alice address=" + vip + " "), coati.log());
      Netns.Result ping = TunnelTrafficIT.ping(Netns.CLI, vip, Netns.LAN_HOST, 3, "56");
      assertEquals(3, TunnelTrafficIT.received(ping.output()), ping.output() + coati.log());
      Netns.Result down = c.swanctl("--terminate", "--ike", "rw");
      assertEquals(0, down.code(), down.output());
      Thread.sleep(500);
      assertTrue(
          coati.log().contains("address released user=alice address=" + vip + "\n"), coati.log());
      // one disconnect line with what the session moved: at least the 3 echo requests and replies
      Matcher m =
          Pattern.compile(
                  " session down kind=xauth user=alice peer=\\S+ address="
                      + Pattern.quote(vip)
                      + " seconds=\\d+ bytes_in=(\\d+) bytes_out=(\\d+) packets_in=(\\d+)"
                      + " packets_out=(\\d+) reason=")
              .matcher(coati.log());
      assertTrue(m.find(), coati.log());
      assertTrue(Integer.parseInt(m.group(3)) >= 3 && Integer.parseInt(m.group(4)) >= 3, m.group());
      assertTrue(Integer.parseInt(m.group(1)) >= 3 * 84, m.group());
      assertFalse(m.find(), "logged once: " + coati.log());
    }
  }

  /** Case b: main mode PSK + Xauth. */
  @Test
  void mainModePskXauth_getsAddressAndDns_pingsTheLan() throws Exception {
    connectAndPing(false, "ra-psk-1");
  }

  /** Case a: aggressive mode with the group name as KEY_ID (as iOS and vpnc send it). */
  @Test
  void aggressiveModeGroupPskXauth_getsAddress_pingsTheLan() throws Exception {
    connectAndPing(true, "ra-psk-2");
  }

  /** Case a through the NAT box (iptables MASQUERADE). */
  @Test
  void aggressiveModeThroughTheNat_getsAddress_pingsTheLan() throws Exception {
    connectAndPing(true, "ra-psk-5", true);
  }

  /**
   * Issue #14: a wrong group PSK in aggressive mode says so in one clear line (the client cannot
   * verify HASH_R and sends a notify under its own keys, which does not decrypt here).
   */
  @Test
  void wrongPskInAggressiveMode_oneClearLine() throws Exception {
    addUser("alice", "alice-pass");
    try (Netns ns = new Netns().addLan();
        CoatiProcess coati = new CoatiProcess(dir, "ra-psk-9", GATEWAY);
        Charon bad =
            new Charon(dir.resolve("bad"), client("not-the-psk", true, "alice", "alice-pass"))) {
      Netns.Result up = bad.swanctl("--initiate", "--child", "rw");
      assertFalse(up.code() == 0, up.output());
      String line = null;
      for (int i = 0; i < 50 && line == null; i++) {
        line =
            coati
                .log()
                .lines()
                .filter(l -> l.contains(" phase 1 authentication failed peer="))
                .findFirst()
                .orElse(null);
        Thread.sleep(100);
      }
      assertTrue(line != null, coati.log());
      assertTrue(line.contains(" mode=aggressive "), line);
      assertTrue(line.contains("the pre-shared keys differ"), line);
      assertFalse(coati.log().contains("HASH payload length"), coati.log());
      assertFalse(coati.log().contains("IKE SA established"), coati.log());
    }
  }

  /** Case f: a wrong password fails after bounded retries, leases nothing; the right one works. */
  @Test
  void wrongPassword_failsWithoutLease_thenTheRightOneWorks() throws Exception {
    addUser("bob", "bob-pass");
    try (Netns ns = new Netns().addLan();
        CoatiProcess coati = new CoatiProcess(dir, "ra-psk-3", GATEWAY)) {
      try (Charon bad =
          new Charon(dir.resolve("bad"), client("ra-psk-3", false, "bob", "not-bobs"))) {
        Netns.Result up = bad.swanctl("--initiate", "--child", "rw");
        assertFalse(up.code() == 0, up.output());
        assertFalse(bad.swanctl("--list-sas").output().contains("INSTALLED"));
      }
      String log = coati.log();
      assertTrue(log.contains("Xauth failed user=bob "), log);
      assertFalse(log.contains("address assigned"), "no address leased: " + log);
      assertFalse(log.contains("not-bobs"), "the password is never logged");
      assertTrue(log.contains("phase 1 done, Xauth pending peer="), log);
      assertFalse(log.contains("IKE SA established"), "not established without Xauth: " + log);
      assertEquals(3, log.split("Xauth failed user=bob ", -1).length - 1, "three attempts: " + log);
      try (Charon good =
          new Charon(dir.resolve("good"), client("ra-psk-3", false, "bob", "bob-pass"))) {
        Netns.Result up = good.swanctl("--initiate", "--child", "rw");
        assertEquals(0, up.code(), up.output() + coati.log());
        String vip = virtualIp(good.swanctl("--list-sas").output());
        assertTrue(List.of(coati.log().split("\n")).stream().anyMatch(l -> l.contains(vip)));
      }
    }
  }

  /**
   * Cases e and g: two road warriors at once get different addresses, both reach the LAN host and
   * each other through the gateway; then one is killed (no Delete) and DPD releases its address,
   * while the other one deletes politely and its address is released too.
   */
  @Test
  void twoClientsAtOnce_differentAddresses_thenDpdAndDeleteReleaseThem() throws Exception {
    addUser("alice", "alice-pass");
    addUser("bob", "bob-pass");
    String cfg = GATEWAY + "ike:\n  dpd: { delay: 2s, timeout: 6s }\n";
    cfg = cfg.replace("ike:\n  aggressive_ids: [vpngroup]\n", "");
    try (Netns ns = new Netns().addLan().addSecondClient();
        CoatiProcess coati = new CoatiProcess(dir, "ra-psk-4", cfg);
        Charon a = new Charon(dir.resolve("a"), client("ra-psk-4", false, "alice", "alice-pass"));
        Charon b =
            new Charon(
                Netns.CLI2, dir.resolve("b"), client("ra-psk-4", false, "bob", "bob-pass"), "")) {
      assertEquals(0, a.swanctl("--initiate", "--child", "rw").code(), coati.log());
      assertEquals(0, b.swanctl("--initiate", "--child", "rw").code(), coati.log());
      // IKEv1 carries one selector pair per child: a second child for the other clients
      assertEquals(0, a.swanctl("--initiate", "--child", "pool").code(), coati.log());
      assertEquals(0, b.swanctl("--initiate", "--child", "pool").code(), coati.log());
      String vipA = virtualIp(a.swanctl("--list-sas").output());
      String vipB = virtualIp(b.swanctl("--list-sas").output());
      assertFalse(vipA.equals(vipB), "two sessions never share an address");
      assertEquals(
          3,
          TunnelTrafficIT.received(
              TunnelTrafficIT.ping(Netns.CLI, vipA, Netns.LAN_HOST, 3, "56").output()));
      assertEquals(
          3,
          TunnelTrafficIT.received(
              TunnelTrafficIT.ping(Netns.CLI2, vipB, Netns.LAN_HOST, 3, "56").output()));
      assertEquals(
          3,
          TunnelTrafficIT.received(TunnelTrafficIT.ping(Netns.CLI, vipA, vipB, 3, "56").output()),
          "client to client through the gateway");
      a.kill();
      boolean released = false;
      for (int i = 0; i < 150 && !released; i++) {
        Thread.sleep(100);
        released = coati.log().contains("address released user=alice address=" + vipA + "\n");
      }
      assertTrue(released, "DPD released the killed client's address: " + coati.log());
      assertEquals(0, b.swanctl("--terminate", "--ike", "rw").code());
      Thread.sleep(500);
      assertTrue(
          coati.log().contains("address released user=bob address=" + vipB + "\n"), coati.log());
    }
  }

  /**
   * Case c, hybrid RSA (HybridInitRSA, 64221): the gateway proves itself with its certificate made
   * by {@code coati pki} (strongSwan checks it against the CA and the name vpn.test), the user with
   * Xauth; no PSK on the client at all.
   */
  @Test
  void hybridRsa_clientVerifiesTheGatewayCertificate_xauthUser() throws Exception {
    hybrid(false);
  }

  /** The same in aggressive mode (as vpnc and the Cisco client do hybrid). */
  @Test
  void hybridRsa_aggressiveMode() throws Exception {
    hybrid(true);
  }

  void hybrid(boolean aggressive) throws Exception {
    addUser("alice", "alice-pass");
    Path pki = gatewayPki();
    String cfg =
        GATEWAY.replace("remote_access:\n", "remote_access:\n  auth: [psk-xauth, hybrid-rsa]\n");
    String client =
        """
        connections {
          hybrid {
            version = 1
            aggressive = AGGR
            remote_addrs = SRV
            vips = 0.0.0.0
            proposals = aes256-sha256-modp2048
            local { auth = xauth
                    xauth_id = alice }
            remote { auth = pubkey
                     id = vpn.test
                     cacerts = ca.pem }
            children { hybrid { remote_ts = 10.203.0.0/24
                                esp_proposals = aes128-sha1 } }
          }
        }
        secrets { xauth-alice { id = alice
                                secret = "alice-pass" } }
        """
            .replace("SRV", Netns.SRV_ADDR)
            .replace("AGGR", aggressive ? "yes" : "no");
    try (Netns ns = new Netns().addLan();
        CoatiProcess coati =
            new CoatiProcess(
                dir,
                "ra-psk-6",
                cfg,
                "  certificate: PKI/vpn.test.pem\n  private_key: PKI/vpn.test.key\n"
                    .replace("PKI", pki.toString()));
        Charon c = new Charon(dir.resolve("cli"), client, pki.resolve("ca.pem"))) {
      Netns.Result up = c.swanctl("--initiate", "--child", "hybrid");
      assertEquals(0, up.code(), up.output() + coati.log() + c.log());
      assertTrue(c.log().contains("authentication of 'vpn.test' with RSA"), c.log());
      String vip = virtualIp(c.swanctl("--list-sas").output());
      assertTrue(coati.log().contains("/hybrid-rsa "), coati.log());
      assertTrue(
          !aggressive || coati.log().contains(" mode=aggressive "),
          "aggressive mode: " + coati.log());
      Netns.Result ping = TunnelTrafficIT.ping(Netns.CLI, vip, Netns.LAN_HOST, 3, "56");
      assertEquals(3, TunnelTrafficIT.received(ping.output()), ping.output() + coati.log());
    }
  }

  /**
   * A client certificate for {@code CN=name} issued by the CA in {@code caDir} (or a fresh,
   * untrusted CA when {@code untrusted}), valid from {@code from} for {@code days}; certificate and
   * key go where the client's charon loads them.
   */
  static void clientCertificate(
      Path caDir, Path charonDir, String name, java.time.Instant from, int days, boolean untrusted)
      throws Exception {
    var random = dev.coati.util.RandomSource.secure();
    var issuer = new dev.coati.crypto.pki.CertificateIssuer(random);
    java.security.cert.X509Certificate ca;
    java.security.PrivateKey caKey;
    if (untrusted) {
      var keys = dev.coati.crypto.pki.KeyType.RSA_2048.generate(random);
      ca =
          issuer.selfSigned(
              dev.coati.crypto.pki.CertificateProfiles.ca("Other CA", from, 365), keys);
      caKey = keys.getPrivate();
    } else {
      ca = dev.coati.crypto.pki.PemFiles.certificate(caDir.resolve("ca.pem"));
      caKey = dev.coati.crypto.pki.PemFiles.privateKey(caDir.resolve("ca.key"));
    }
    var keys = dev.coati.crypto.pki.KeyType.RSA_2048.generate(random);
    var cert =
        issuer.issue(
            dev.coati.crypto.pki.CertificateProfiles.client(name, null, from, days),
            keys.getPublic(),
            ca,
            caKey);
    java.nio.file.Files.createDirectories(charonDir.resolve("swanctl/x509"));
    java.nio.file.Files.createDirectories(charonDir.resolve("swanctl/private"));
    java.nio.file.Files.writeString(
        charonDir.resolve("swanctl/x509/client.pem"), dev.coati.crypto.pki.PemFiles.encode(cert));
    java.nio.file.Files.writeString(
        charonDir.resolve("swanctl/private/client.key"),
        dev.coati.crypto.pki.PemFiles.encode(keys.getPrivate()));
  }

  static String rsaXauthClient() {
    return """
        connections {
          rsa {
            version = 1
            remote_addrs = SRV
            vips = 0.0.0.0
            proposals = aes256-sha256-modp2048
            local { auth = pubkey
                    certs = client.pem }
            local-xauth { auth = xauth
                          xauth_id = alice }
            remote { auth = pubkey
                     id = vpn.test
                     cacerts = ca.pem }
            children { rsa { remote_ts = 10.203.0.0/24
                             esp_proposals = aes128-sha1 } }
          }
        }
        secrets { xauth-alice { id = alice
                                secret = "alice-pass" } }
        """
        .replace("SRV", Netns.SRV_ADDR);
  }

  /**
   * Case d, RSA + Xauth (XAUTHInitRSA, 65005): a client certificate from the gateway's CA is
   * verified (chain, validity, identity = subject DN, signature) before Xauth; an expired one and
   * one from another CA are refused and lease nothing.
   */
  @Test
  void rsaXauth_clientCertificateVerified_expiredAndUntrustedRefused() throws Exception {
    addUser("alice", "alice-pass");
    Path pki = gatewayPki();
    String cfg = GATEWAY.replace("remote_access:\n", "remote_access:\n  auth: [rsa-xauth]\n");
    String gw =
        "  certificate: PKI/vpn.test.pem\n  private_key: PKI/vpn.test.key\n  ca: [PKI/ca.pem]\n"
            .replace("PKI", pki.toString());
    java.time.Instant now = java.time.Instant.now();
    try (Netns ns = new Netns().addLan();
        CoatiProcess coati = new CoatiProcess(dir, "ra-psk-7", cfg, gw)) {
      String[][] refused = {{"expired", "EXPIRED"}, {"untrusted", "UNTRUSTED"}};
      for (String[] r : refused) {
        Path cdir = dir.resolve(r[0]);
        boolean expired = r[0].equals("expired");
        clientCertificate(
            pki, cdir, "alice", expired ? now.minusSeconds(86400 * 40) : now, 30, !expired);
        try (Charon c = new Charon(cdir, rsaXauthClient(), pki.resolve("ca.pem"))) {
          Netns.Result up = c.swanctl("--initiate", "--child", "rsa");
          assertFalse(up.code() == 0, r[0] + ": " + up.output());
        }
        assertTrue(coati.log().contains(r[1]), r[0] + " refused with its reason: " + coati.log());
      }
      assertFalse(coati.log().contains("address assigned"), "nothing leased: " + coati.log());
      Path good = dir.resolve("good");
      clientCertificate(pki, good, "alice", now.minusSeconds(60), 30, false);
      try (Charon c = new Charon(good, rsaXauthClient(), pki.resolve("ca.pem"))) {
        Netns.Result up = c.swanctl("--initiate", "--child", "rsa");
        assertEquals(0, up.code(), up.output() + coati.log() + c.log());
        assertTrue(coati.log().contains("/xauth-rsa "), coati.log());
        String vip = virtualIp(c.swanctl("--list-sas").output());
        Netns.Result ping = TunnelTrafficIT.ping(Netns.CLI, vip, Netns.LAN_HOST, 3, "56");
        assertEquals(3, TunnelTrafficIT.received(ping.output()), ping.output() + coati.log());
      }
    }
  }

  /**
   * strongSwan re-authenticates phase 1 after 12 s (new main mode, Xauth and mode config again)
   * while pinging the LAN: the client keeps its address and no reply is lost; it stays one session
   * (one up, one down event, one Acct-Session-Id) whose count holds every echo request that got
   * through, before and after the takeover, and never more than were sent.
   */
  @Test
  void clientReauthenticates_keepsItsAddress_trafficKeepsFlowing() throws Exception {
    addUser("alice", "alice-pass");
    String client =
        client("ra-psk-8", false, "alice", "alice-pass")
            .replace(
                "version = 1",
                "version = 1\n            rekey_time = 12s\n            over_time = 10s\n"
                    + "            rand_time = 0s");
    try (Netns ns = new Netns().addLan();
        CoatiProcess coati =
            new CoatiProcess(
                dir,
                "ra-psk-8",
                GATEWAY + "events:\n  json_log: " + dir.resolve("events.jsonl") + "\n");
        Charon c = new Charon(dir.resolve("cli"), client)) {
      assertEquals(0, c.swanctl("--initiate", "--child", "rw").code(), coati.log());
      String vip = virtualIp(c.swanctl("--list-sas").output());
      Netns.Result ping = TunnelTrafficIT.ping(Netns.CLI, vip, Netns.LAN_HOST, 100, "56");
      String log = coati.log();
      assertTrue(log.contains("takes over the address from="), "a re-authentication ran: " + log);
      assertEquals(vip, virtualIp(c.swanctl("--list-sas").output()), "same address after it");
      int got = TunnelTrafficIT.received(ping.output());
      System.out.println("client reauth test: " + got + "/100 ping replies");
      assertTrue(got >= 98, got + "/100\n" + log + c.log());

      Netns.Result down = c.swanctl("--terminate", "--ike", "rw");
      assertEquals(0, down.code(), down.output());
      Path events = dir.resolve("events.jsonl");
      String ev = "";
      for (int i = 0; i < 100 && !ev.contains("\"event\":\"down\""); i++) {
        Thread.sleep(100);
        ev = Files.exists(events) ? Files.readString(events) : "";
      }
      assertEquals(1, ev.split("\"event\":\"up\"", -1).length - 1, "one session: " + ev);
      assertEquals(1, ev.split("\"event\":\"down\"", -1).length - 1, "one session: " + ev);
      Matcher m = Pattern.compile("\"event\":\"down\".*\"packets_in\":(\\d+)").matcher(ev);
      assertTrue(m.find(), ev);
      int in = Integer.parseInt(m.group(1));
      assertTrue(in >= got && in <= 100, "echo requests counted: " + in + ", replies " + got);
    }
  }
}
