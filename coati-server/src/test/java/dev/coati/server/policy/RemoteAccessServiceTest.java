package dev.coati.server.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.auth.LocalAuthenticator;
import dev.coati.auth.LocalUsers;
import dev.coati.config.GatewayConfig;
import dev.coati.ike.PeerAddress;
import dev.coati.pool.AddressPool;
import dev.coati.util.Ipv4Address;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteAccessServiceTest {
  static RemoteAccessService service(ByteArrayOutputStream log) throws Exception {
    var cfg =
        new GatewayConfig.RemoteAccessConfig(
            List.of("psk-xauth"),
            "10.99.99.10-10.99.99.20",
            List.of("10.99.99.53"),
            List.of(),
            null,
            null,
            List.of(),
            false,
            false,
            3,
            List.of(),
            0);
    return new RemoteAccessService(
        cfg,
        24,
        false,
        new LocalAuthenticator(LocalUsers.empty()),
        AddressPool.of(cfg.pool(), Ipv4Address.parse("10.99.99.1")),
        Runnable::run,
        Runnable::run,
        new PrintStream(log, true));
  }

  /** An IKE SA of a road warrior at {@code peer}. */
  record Sa(String name, PeerAddress peer) implements dev.coati.ike.IkeSaView {
    @Override
    public PeerAddress local() {
      return PeerAddress.ipv4(10, 97, 0, 1, 4500);
    }

    @Override
    public boolean isInitiator() {
      return false;
    }

    @Override
    public java.util.Optional<dev.coati.ike.wire.IdPayload> peerId() {
      return java.util.Optional.empty();
    }

    @Override
    public java.util.Set<dev.coati.ike.PeerFeature> peerFeatures() {
      return java.util.Set.of();
    }

    @Override
    public int microsoftVersion() {
      return -1;
    }

    @Override
    public dev.coati.ike.IkeSa.State state() {
      return dev.coati.ike.IkeSa.State.ESTABLISHED;
    }
  }

  /** Same user, same public address and port: a re-authentication keeps the client's address. */
  @Test
  void reauthentication_keepsTheAddress_anotherDeviceGetsItsOwn() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    RemoteAccessService ra = service(log);
    PeerAddress nat = PeerAddress.ipv4(192, 0, 2, 9, 61001);
    Sa first = new Sa("ike[1]", nat);
    Sa again = new Sa("ike[2]", nat);
    byte[] a1 = ra.clientConfig(first, "alice").orElseThrow().address();
    byte[] a2 = ra.clientConfig(again, "alice").orElseThrow().address();
    assertArrayEquals(a1, a2, "the re-authenticated SA keeps the address");
    assertTrue(log.toString().contains("takes over the address from=ike[1]"), log.toString());
    ra.ikeDeleted(first, "deleted by peer");
    assertEquals(1, ra.leases(), "deleting the old SA releases nothing");
    Sa phone = new Sa("ike[3]", nat.withPort(61002)); // a second device behind the same NAT
    byte[] a3 = ra.clientConfig(phone, "alice").orElseThrow().address();
    assertFalse(java.util.Arrays.equals(a1, a3), "another device gets its own address");
    assertEquals(2, ra.leases());
    ra.ikeDeleted(again, "DPD timeout");
    assertEquals(1, ra.leases());
  }

  /** A road warrior's SA resumed after a restart: user and address come with it. */
  record Resumed(Sa sa, String u, byte[] vip) implements dev.coati.ike.IkeSaView {
    @Override
    public String name() {
      return sa.name();
    }

    @Override
    public PeerAddress peer() {
      return sa.peer();
    }

    @Override
    public PeerAddress local() {
      return sa.local();
    }

    @Override
    public boolean isInitiator() {
      return false;
    }

    @Override
    public java.util.Optional<dev.coati.ike.wire.IdPayload> peerId() {
      return java.util.Optional.empty();
    }

    @Override
    public java.util.Set<dev.coati.ike.PeerFeature> peerFeatures() {
      return java.util.Set.of();
    }

    @Override
    public int microsoftVersion() {
      return -1;
    }

    @Override
    public dev.coati.ike.IkeSa.State state() {
      return dev.coati.ike.IkeSa.State.ESTABLISHED;
    }

    @Override
    public java.util.Optional<String> user() {
      return java.util.Optional.of(u);
    }

    @Override
    public java.util.Optional<byte[]> virtualAddress() {
      return java.util.Optional.of(vip.clone());
    }
  }

  /**
   * After a restart the resumed SA leases its saved address again (held for its user by the lease
   * store), its deletion releases it; an address another user's session took is refused.
   */
  @Test
  void resumed_leasesTheSavedAddress_orIsRefusedWhenSomeoneElseHasIt() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    RemoteAccessService ra = service(log);
    PeerAddress p = PeerAddress.ipv4(192, 0, 2, 9, 4500);
    byte[] vip = {10, 99, 99, 15};
    Resumed alice = new Resumed(new Sa("ike[a]", p), "alice", vip);
    assertTrue(ra.resumed(alice));
    assertEquals(1, ra.leases());
    assertTrue(
        log.toString().contains("ike[a] session resumed user=alice address=10.99.99.15"),
        log.toString());
    Resumed bob = new Resumed(new Sa("ike[b]", p.withPort(4501)), "bob", vip);
    assertFalse(ra.resumed(bob), "alice holds 10.99.99.15");
    assertTrue(log.toString().contains("ike[b] not resumed user=bob"), log.toString());
    ra.ikeDeleted(alice, "deleted by peer");
    assertEquals(0, ra.leases(), "the resumed session's address is released with it");
  }
}
