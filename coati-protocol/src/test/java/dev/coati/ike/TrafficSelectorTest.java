package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IdType;
import dev.coati.util.Hex;
import org.junit.jupiter.api.Test;

class TrafficSelectorTest {
  @Test
  void subnet_encodesAsSubnetId_andRoundTrips() {
    TrafficSelector ts = TrafficSelector.subnet(new byte[] {10, (byte) 200, 0, 0}, 24, 0, 0);
    IdPayload id = ts.toId();
    assertEquals(IdType.IPV4_ADDR_SUBNET, id.idType());
    assertEquals("0ac80000ffffff00", Hex.encode(id.data()));
    assertEquals(ts, TrafficSelector.fromId(id));
    assertEquals(
        IdType.IPV4_ADDR_SUBNET, TrafficSelector.subnet(new byte[4], 0, 0, 0).toId().idType());
  }

  @Test
  void rangeAndSubnetOfTheSameAddresses_areEqualSelectors() {
    IdPayload range = IdPayload.ipv4Range(Hex.decode("0ac80000"), Hex.decode("0ac800ff"));
    IdPayload subnet = IdPayload.ipv4Subnet(Hex.decode("0ac80000"), Hex.decode("ffffff00"));
    assertEquals(TrafficSelector.fromId(range), TrafficSelector.fromId(subnet));
    TrafficSelector odd =
        TrafficSelector.fromId(IdPayload.ipv4Range(Hex.decode("0a000001"), Hex.decode("0a000005")));
    assertEquals(IdType.IPV4_ADDR_RANGE, odd.toId().idType());
  }

  @Test
  void contains_respectsAddressesProtocolAndPort() {
    TrafficSelector net = TrafficSelector.subnet(new byte[] {10, 1, 0, 0}, 16, 0, 0);
    assertTrue(net.contains(TrafficSelector.host(new byte[] {10, 1, 2, 3}, 17, 1701)));
    assertFalse(net.contains(TrafficSelector.host(new byte[] {10, 2, 0, 1}, 0, 0)));
    TrafficSelector l2tp = TrafficSelector.host(new byte[] {10, 1, 2, 3}, 17, 1701);
    assertFalse(l2tp.contains(TrafficSelector.host(new byte[] {10, 1, 2, 3}, 6, 0)));
  }
}
