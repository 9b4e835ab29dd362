package dev.coati.server.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.auth.LocalUsers;
import dev.coati.auth.UserEntry;
import dev.coati.config.ConfigLoader;
import dev.coati.config.GatewayConfig;
import dev.coati.crypto.NtHash;
import dev.coati.crypto.ProposalParser;
import dev.coati.ike.IkePolicy;
import dev.coati.util.Ipv4Address;
import dev.coati.util.RandomSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coati import} on the seeds' own examples: seed 002's racoon gateway, seed 001's strongSwan
 * + xl2tpd + pppd L2TP server and site-to-site tunnel, a racoon PSK + Xauth + RADIUS gateway and
 * the interop recipe's swanctl.conf. Each result is loaded by the real configuration loader, and
 * the imported users log in with their old passwords.
 */
class ImportCommandTest {
  @TempDir Path tmp;
  ByteArrayOutputStream out = new ByteArrayOutputStream();
  ByteArrayOutputStream err = new ByteArrayOutputStream();

  static Path resource(String name) {
    return Path.of("src/test/resources/import").resolve(name);
  }

  int run(String... args) {
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    return new ImportCommand(RandomSource.secure(), 1000, o, e).execute(List.of(args));
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void seed002RacoonHybridGateway() throws Exception {
    // Seed 002's paths point into /etc: give them a certificate (made by coati demo) and a motd.
    assertEquals(
        0,
        new DemoCommand(
                RandomSource.secure(),
                1000,
                Instant::now,
                new PrintStream(new ByteArrayOutputStream()),
                System.err)
            .execute(List.of("--dir", tmp.resolve("demo").toString())));
    Path pki = tmp.resolve("demo/pki");
    Files.writeString(tmp.resolve("motd"), "Flying pigs LTD\n");
    String conf =
        Files.readString(resource("seed002/racoon.conf"))
            .replace("/etc/openssl/certs", pki.toString())
            .replace(
                "\"vpngw.crt\" \"vpngw.key\"", "\"vpn.example.com.pem\" \"vpn.example.com.key\"")
            .replace("/etc/racoon/motd", tmp.resolve("motd").toString());
    Path racoon = tmp.resolve("racoon.conf");
    Files.writeString(racoon, conf);
    Path dir = tmp.resolve("out");

    assertEquals(0, run("--dir", dir.toString(), racoon.toString()), err.toString());

    GatewayConfig g = ConfigLoader.load(dir.resolve("coati.yaml"));
    assertEquals(List.of("hybrid-rsa"), g.remoteAccess().auth());
    assertEquals("10.99.99.1-10.99.99.253", g.remoteAccess().pool());
    assertEquals(List.of("10.0.12.1"), g.remoteAccess().dns());
    assertEquals(List.of("10.0.12.1"), g.remoteAccess().nbns());
    assertEquals("10.99.99.254", g.tun().address());
    assertEquals(24, g.tun().prefix());
    assertEquals(20, g.dpdDelaySeconds());
    assertTrue(g.forceUdpEncapsulation(), "nat_traversal force");
    assertEquals(3600, g.espLifetimeSeconds());
    assertEquals(IkePolicy.PfsPolicy.OPTIONAL, g.pfs());
    assertEquals(ProposalParser.parseIke("aes128-sha1-modp1024", true), g.ikeProposals());
    assertTrue(g.pki() != null, "the certificate was carried over");
    String o = out();
    assertTrue(o.contains("racoon.conf:15: esp_frag 552 -> esp.fragment_size"), o);
    assertEquals(552, g.espFragmentSize());
    assertTrue(o.contains("auth_source system"), o);
    assertTrue(o.contains("loads: start it with coati run --config"), o);
  }

  @Test
  void seed001StrongSwanXl2tpdPppd() throws Exception {
    Path dir = tmp.resolve("out");
    int rc =
        run(
            "--dir",
            dir.toString(),
            resource("seed001/ipsec.conf").toString(),
            resource("seed001/ipsec.secrets").toString(),
            resource("seed001/xl2tpd.conf").toString(),
            resource("seed001/options.xl2tpd").toString(),
            resource("seed001/chap-secrets").toString());
    assertEquals(0, rc, err.toString());

    GatewayConfig g = ConfigLoader.load(dir.resolve("coati.yaml"));
    assertEquals(List.of("192.0.2.1"), g.listen());
    assertEquals("192.168.200.2-192.168.200.32", g.remoteAccess().pool());
    assertEquals("192.168.200.1", g.tun().address());
    assertEquals(
        List.of("mschapv2"), g.l2tp().auth(), "refuse-pap, refuse-chap, require-mschap-v2");
    assertEquals("xl2tpd", g.l2tp().hostName());
    assertEquals(List.of("8.8.8.8"), g.remoteAccess().dns());
    assertEquals(30, g.dpdDelaySeconds());
    assertEquals(120, g.dpdTimeoutSeconds());
    assertEquals(1, g.psks().size());
    assertEquals(List.of("any"), g.psks().get(0).peers(), "': PSK' is for any peer");
    assertEquals("seed-001-group-secret\n", Files.readString(dir.resolve("psk.txt")));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("psk.txt"))));

    GatewayConfig.PeerConfig peer = g.peers().get(0);
    assertEquals("ipsec-test", peer.name());
    assertEquals("198.51.100.7", peer.remote());
    assertEquals(List.of("192.168.1.0/24"), peer.localSubnets());
    assertEquals(List.of("198.51.100.7/32"), peer.remoteSubnets());
    assertTrue(peer.start(), "auto=start");

    // chap-secrets' users log in with their old passwords, stored only as hashes (0600)
    Path users = dir.resolve("users.txt");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(users)));
    String text = Files.readString(users);
    assertFalse(text.contains("two words") || text.contains(":password"), text);
    LocalUsers loaded = LocalUsers.parse(users.toString(), text);
    UserEntry alice = loaded.find("alice").orElseThrow();
    assertEquals(Ipv4Address.parse("192.168.200.20"), alice.staticAddress().orElseThrow());
    assertTrue(alice.passwordHash().matches("two words".getBytes(StandardCharsets.UTF_8)));
    byte[] pw = "password".getBytes(StandardCharsets.UTF_8);
    assertTrue(loaded.find("username").orElseThrow().passwordHash().matches(pw));
    assertArrayEquals(NtHash.of(pw), loaded.find("username").orElseThrow().ntHash());
    assertTrue(out().contains("chap-secrets:5: user name 'bad name'"), out());
  }

  @Test
  void racoonPskXauthWithRadius() throws Exception {
    Path dir = tmp.resolve("out");
    assertEquals(
        0,
        run(
            "--dir",
            dir.toString(),
            resource("racoon-psk/racoon.conf").toString(),
            resource("racoon-psk/psk.txt").toString()),
        err.toString());

    GatewayConfig g = ConfigLoader.load(dir.resolve("coati.yaml"));
    assertEquals(List.of("192.0.2.1"), g.listen());
    assertEquals(List.of("psk-xauth"), g.remoteAccess().auth());
    assertEquals(List.of("vpngroup"), g.aggressiveIds(), "the group name from psk.txt");
    assertEquals(List.of("vpngroup"), g.psks().get(0).peers());
    assertEquals("group-secret-for-tests\n", Files.readString(dir.resolve("psk.txt")));
    assertEquals(
        ProposalParser.parseIke("aes256-sha256-modp2048,3des-md5-modp1024", true),
        g.ikeProposals());
    assertEquals(
        ProposalParser.parseEsp(
            "aes256-sha256,aes256-sha1,aes128-sha256,aes128-sha1," + "3des-sha256,3des-sha1", true),
        g.espProposals());
    assertEquals(8 * 3600, g.ikeLifetimeSeconds());
    assertEquals("10.66.0.10-10.66.0.59", g.remoteAccess().pool());
    assertEquals("10.66.0.1", g.tun().address());
    assertEquals(List.of("10.66.0.53", "10.66.0.54"), g.remoteAccess().dns());
    assertEquals("corp.example", g.remoteAccess().domain());
    assertEquals(List.of("10.200.0.0/24"), g.remoteAccess().splitInclude());
    assertEquals("127.0.0.1", g.radius().servers().get(0).address());
    assertEquals("radius-test-secret\n", Files.readString(dir.resolve("radius-secret.txt")));
    assertEquals(GatewayConfig.UserSource.RADIUS, g.usersSource());
  }

  @Test
  void swanctlRoadWarriors() throws Exception {
    Path dir = tmp.resolve("out");
    assertEquals(
        0,
        run("--dir", dir.toString(), resource("swanctl/swanctl.conf").toString()),
        err.toString());

    GatewayConfig g = ConfigLoader.load(dir.resolve("coati.yaml"));
    assertEquals(List.of("psk-xauth"), g.remoteAccess().auth());
    assertEquals("10.66.0.10-10.66.0.50", g.remoteAccess().pool());
    assertEquals(List.of("10.66.0.53", "10.66.0.54"), g.remoteAccess().dns());
    assertEquals(List.of("10.200.0.0/24"), g.remoteAccess().splitInclude());
    assertEquals("fqdn:vpn.test", g.gatewayId());
    assertEquals(30, g.dpdDelaySeconds());
    assertEquals("main-mode-psk\n", Files.readString(dir.resolve("psk.txt")));
    LocalUsers users = LocalUsers.parse("users.txt", Files.readString(dir.resolve("users.txt")));
    assertTrue(
        users
            .find("alice")
            .orElseThrow()
            .passwordHash()
            .matches("alice-pass".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void refusesUnknownFilesAndKeepsExistingOutput() throws Exception {
    Path junk = tmp.resolve("notes.md");
    Files.writeString(junk, "hello\n");
    assertEquals(1, run("--dir", tmp.resolve("o1").toString(), junk.toString()));
    assertTrue(err.toString().contains("not a file coati import knows"), err.toString());
    assertFalse(Files.exists(tmp.resolve("o1")), "nothing written");

    Path dir = tmp.resolve("o2");
    String conf = resource("swanctl/swanctl.conf").toString();
    assertEquals(0, run("--dir", dir.toString(), conf));
    assertEquals(1, run("--dir", dir.toString(), conf), "an import is not overwritten");
    assertTrue(err.toString().contains("use --force"), err.toString());
    assertEquals(0, run("--dir", dir.toString(), "--force", conf));
    assertEquals(2, run("--dir", dir.toString()), "no file named");
    assertEquals(2, run("--bogus", conf));
  }

  /**
   * SoftEther's vpn_server.config (the shape SoftEther 4.x writes; the NT hashes made here): L2TP
   * over IPsec with its PSK, the default hub's password users with their NT hashes (they log in
   * with the same password, no reset), SecureNAT's DHCP pool, DNS and virtual host address.
   */
  @Test
  void softEtherL2tpIpsecHub() throws Exception {
    String nt =
        java.util.Base64.getEncoder()
            .encodeToString(NtHash.of("alice's password".getBytes(StandardCharsets.UTF_8)));
    String conf =
        """
        # Software Configuration File
        declare root
        {
        	uint ConfigRevision 12
        	declare IPsec
        	{
        		bool EtherIP_IPsec false
        		string IPsec_Secret soft$20ether$20psk
        		string L2TP_DefaultHub VPN
        		bool L2TP_IPsec true
        		bool L2TP_Raw true
        	}
        	declare VirtualHUB
        	{
        		declare VPN
        		{
        			bool Online true
        			declare SecureNAT
        			{
        				bool Disabled false
        				declare VirtualDhcpServer
        				{
        					string DhcpDnsServerAddress 192.168.30.1
        					string DhcpDnsServerAddress2 0.0.0.0
        					string DhcpDomainName corp.example
        					string DhcpLeaseIPEnd 192.168.30.200
        					string DhcpLeaseIPStart 192.168.30.10
        					string DhcpSubnetMask 255.255.255.0
        				}
        				declare VirtualHost
        				{
        					string VirtualHostIp 192.168.30.1
        					string VirtualHostIpSubnetMask 255.255.255.0
        				}
        			}
        			declare SecurityAccountDatabase
        			{
        				declare UserList
        				{
        					declare alice
        					{
        						byte AuthNtLmSecureHash NTHASH
        						byte AuthPassword ya9vjuS1VlkxSnvRTVsJwEAptHo=
        						uint AuthType 1
        						string Note $
        					}
        					declare carol
        					{
        						uint AuthType 4
        					}
        				}
        			}
        		}
        	}
        }
        """
            .replace("NTHASH", nt);
    Path file = tmp.resolve("vpn_server.config");
    Files.writeString(file, conf);
    Path dir = tmp.resolve("out");
    assertEquals(0, run("--dir", dir.toString(), file.toString()), err.toString());

    GatewayConfig g = ConfigLoader.load(dir.resolve("coati.yaml"));
    assertTrue(g.l2tp() != null, "L2TP over IPsec");
    assertEquals("soft ether psk\n", Files.readString(dir.resolve("psk.txt")));
    assertEquals("192.168.30.10-192.168.30.200", g.remoteAccess().pool());
    assertEquals(List.of("192.168.30.1"), g.remoteAccess().dns());
    assertEquals("corp.example", g.remoteAccess().domain());
    assertEquals("192.168.30.1", g.tun().address());
    LocalUsers users = LocalUsers.parse("users.txt", Files.readString(dir.resolve("users.txt")));
    UserEntry alice = users.find("alice").orElseThrow();
    assertArrayEquals(
        NtHash.of("alice's password".getBytes(StandardCharsets.UTF_8)), alice.ntHash());
    assertTrue(users.find("carol").isEmpty(), "a RADIUS user has no password to carry");
    String o = out();
    assertTrue(o.contains("user carol authenticates by RADIUS"), o);
    assertTrue(o.contains("L2TP_Raw"), o);
  }
}
