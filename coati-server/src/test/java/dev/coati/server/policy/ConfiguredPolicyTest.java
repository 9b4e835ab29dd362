package dev.coati.server.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.config.GatewayConfig;
import dev.coati.crypto.Secret;
import dev.coati.ike.TrafficSelector;
import dev.coati.ike.wire.IkeAttr;
import dev.coati.server.dataplane.IdleWatchTest;
import org.junit.jupiter.api.Test;

class ConfiguredPolicyTest {
  /** Issue #4: quick mode from a mode-config client only for the address it was given. */
  @Test
  void modeConfigClient_mayOnlyUseItsAssignedAddress() {
    ConfiguredPolicy p =
        new ConfiguredPolicy(GatewayConfig.demo(Secret.wrap("x".getBytes())), true);
    byte[] vip = {10, 99, 99, 10};
    var client = new IdleWatchTest.Client("rw", vip, IkeAttr.XAUTH_INIT_PSK, "alice");
    TrafficSelector lan = ConfiguredPolicy.subnet("10.203.0.0/24");
    assertTrue(p.trafficAllowed(client, TrafficSelector.host(vip, 0, 0), lan, true));
    assertFalse(
        p.trafficAllowed(client, TrafficSelector.host(vip, 17, 1701), lan, false),
        "transport mode is for L2TP only");
    assertFalse(
        p.trafficAllowed(
            client, TrafficSelector.host(new byte[] {10, 99, 99, 11}, 0, 0), lan, true),
        "another client's address");
    assertFalse(
        p.trafficAllowed(client, ConfiguredPolicy.subnet("10.99.99.0/24"), lan, true),
        "the whole pool");
  }

  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

  /** Issue #5: transport mode only as L2TP/IPsec, and only with the l2tp: section. */
  @Test
  void transportMode_onlyForL2tpToOurPort1701() throws Exception {
    java.nio.file.Path psk = dir.resolve("psk.txt");
    java.nio.file.Files.writeString(psk, "x\n");
    java.nio.file.Files.setPosixFilePermissions(
        psk, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    java.nio.file.Path cfg = dir.resolve("coati.yaml");
    java.nio.file.Files.writeString(
        cfg,
        """
        gateway: { listen: [10.97.0.1] }
        secrets: { psk: [ { peers: any, secret_file: psk.txt } ] }
        users: { file: users.txt }
        remote_access: { pool: 10.99.99.10-10.99.99.50 }
        l2tp: {}
        dataplane: { tun: coati0, address: 10.99.99.1/24 }
        """);
    ConfiguredPolicy p = new ConfiguredPolicy(dev.coati.config.ConfigLoader.load(cfg), true);
    var client = new IdleWatchTest.Client("l2tp", null);
    byte[] us = {10, 97, 0, 1};
    byte[] them = {10, 1, 0, 2};
    TrafficSelector l2tp = TrafficSelector.host(us, 17, 1701);
    assertTrue(p.trafficAllowed(client, TrafficSelector.host(them, 17, 1701), l2tp, false));
    assertTrue(
        p.trafficAllowed(client, TrafficSelector.host(them, 17, 0), l2tp, false),
        "any client port (Apple, Android)");
    assertTrue(
        p.trafficAllowed(
            client, TrafficSelector.host(them, 0, 0), TrafficSelector.host(us, 0, 0), false),
        "no IDs: both hosts");
    assertFalse(
        p.trafficAllowed(
            client, TrafficSelector.host(them, 17, 1701), TrafficSelector.host(us, 17, 53), false),
        "our port must be 1701");
    assertFalse(
        p.trafficAllowed(
            client, TrafficSelector.host(them, 6, 0), TrafficSelector.host(us, 6, 1701), false),
        "UDP only");
    assertFalse(
        p.trafficAllowed(client, ConfiguredPolicy.subnet("10.1.0.0/24"), l2tp, false),
        "one host on each side");
  }

  ConfiguredPolicy load(String extra) throws Exception {
    java.nio.file.Path psk = dir.resolve("psk.txt");
    java.nio.file.Files.writeString(psk, "x\n");
    java.nio.file.Files.setPosixFilePermissions(
        psk, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    java.nio.file.Path cfg = dir.resolve("coati.yaml");
    java.nio.file.Files.writeString(
        cfg,
        """
        gateway: { listen: [10.97.0.1] }
        secrets: { psk: [ { peers: any, secret_file: psk.txt } ] }
        users: { file: users.txt }
        remote_access: { pool: 10.99.99.10-10.99.99.50 }
        dataplane: { tun: coati0, address: 10.99.99.1/24 }
        """
            + extra);
    return new ConfiguredPolicy(dev.coati.config.ConfigLoader.load(cfg), true);
  }

  /**
   * Issue #13: the group PSK alone is no road warrior: with L2TP it gets an L2TP transport SA and
   * nothing else; without L2TP or peers, plain PSK is no phase-1 method at all.
   */
  @Test
  void groupPskAlone_l2tpTransportOnly_andNoPhase1WithoutL2tp() throws Exception {
    var peer = dev.coati.ike.PeerAddress.ipv4(10, 97, 0, 2, 500);
    int psk = dev.coati.ike.wire.IkeAttr.PSK;
    int xauth = dev.coati.ike.wire.IkeAttr.XAUTH_INIT_PSK;
    ConfiguredPolicy p = load("l2tp: {}\n");
    var plain = new IdleWatchTest.Client("plain", null);
    byte[] picked = {10, 99, 99, 30};
    TrafficSelector lan = ConfiguredPolicy.subnet("10.203.0.0/24");
    assertTrue(p.authMethodAllowed(peer, psk), "L2TP/IPsec clients use plain PSK");
    assertFalse(p.trafficAllowed(plain, TrafficSelector.host(picked, 0, 0), lan, true));
    assertFalse(p.trafficAllowed(plain, ConfiguredPolicy.subnet("0.0.0.0/0"), lan, true));
    byte[] us = {10, 97, 0, 1};
    byte[] them = {10, 97, 0, 2};
    TrafficSelector l2tp = TrafficSelector.host(us, 17, 1701);
    assertTrue(p.trafficAllowed(plain, TrafficSelector.host(them, 17, 1701), l2tp, false));
    assertFalse(p.modeConfigWithoutXauth(plain), "no address for a group key");
    var notYet = new IdleWatchTest.Client("rw", picked, xauth, null);
    assertFalse(
        p.trafficAllowed(notYet, TrafficSelector.host(picked, 0, 0), lan, true),
        "an address but no Xauth user");
    var rw = new IdleWatchTest.Client("rw", picked, xauth, "alice");
    assertTrue(p.trafficAllowed(rw, TrafficSelector.host(picked, 0, 0), lan, true));
    assertFalse(
        p.trafficAllowed(rw, TrafficSelector.host(them, 17, 1701), l2tp, false),
        "no L2TP transport for a Cisco-style client");

    ConfiguredPolicy noL2tp = load("");
    assertFalse(noL2tp.authMethodAllowed(peer, psk), "plain PSK refused in phase 1");
    assertFalse(noL2tp.trafficAllowed(plain, TrafficSelector.host(them, 17, 1701), l2tp, false));
  }
}
