package dev.coati.server.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.config.GatewayConfig;
import dev.coati.crypto.Secret;
import dev.coati.ike.TrafficSelector;
import dev.coati.server.dataplane.IdleWatchTest;
import org.junit.jupiter.api.Test;

class ConfiguredPolicyTest {
  /** Issue #4: quick mode from a mode-config client only for the address it was given. */
  @Test
  void modeConfigClient_mayOnlyUseItsAssignedAddress() {
    ConfiguredPolicy p =
        new ConfiguredPolicy(GatewayConfig.demo(Secret.wrap("x".getBytes())), true);
    byte[] vip = {10, 99, 99, 10};
    var client = new IdleWatchTest.Client("rw", vip);
    TrafficSelector lan = ConfiguredPolicy.subnet("10.203.0.0/24");
    assertTrue(p.trafficAllowed(client, TrafficSelector.host(vip, 0, 0), lan, true));
    assertTrue(p.trafficAllowed(client, TrafficSelector.host(vip, 17, 1701), lan, false));
    assertFalse(
        p.trafficAllowed(
            client, TrafficSelector.host(new byte[] {10, 99, 99, 11}, 0, 0), lan, true),
        "another client's address");
    assertFalse(
        p.trafficAllowed(client, ConfiguredPolicy.subnet("10.99.99.0/24"), lan, true),
        "the whole pool");
  }
}
