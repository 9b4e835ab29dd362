package dev.coati.server.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coati.crypto.EspAuth;
import dev.coati.crypto.EspCipher;
import dev.coati.crypto.Secret;
import dev.coati.esp.EspCodec;
import dev.coati.esp.EspSa;
import dev.coati.ike.IkeSa;
import dev.coati.ike.IkeSaView;
import dev.coati.ike.PeerAddress;
import dev.coati.ike.PeerFeature;
import dev.coati.ike.wire.IdPayload;
import dev.coati.util.RandomSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

public class IdleWatchTest {
  /** A road warrior's SA view: only what the idle check reads. */
  public record Client(String name, byte[] vip, int method, String xauthUser) implements IkeSaView {
    /** With an address: an Xauth client (no user recorded); without: a plain PSK client. */
    public Client(String name, byte[] vip) {
      this(
          name,
          vip,
          vip != null ? dev.coati.ike.wire.IkeAttr.XAUTH_INIT_PSK : dev.coati.ike.wire.IkeAttr.PSK,
          null);
    }

    @Override
    public int authMethod() {
      return method;
    }

    @Override
    public Optional<String> user() {
      return Optional.ofNullable(xauthUser);
    }

    @Override
    public PeerAddress peer() {
      return PeerAddress.ipv4(10, 97, 0, 2, 4500);
    }

    @Override
    public PeerAddress local() {
      return PeerAddress.ipv4(10, 97, 0, 1, 4500);
    }

    @Override
    public boolean isInitiator() {
      return false;
    }

    @Override
    public Optional<IdPayload> peerId() {
      return Optional.empty();
    }

    @Override
    public Set<PeerFeature> peerFeatures() {
      return Set.of();
    }

    @Override
    public int microsoftVersion() {
      return -1;
    }

    @Override
    public IkeSa.State state() {
      return IkeSa.State.ESTABLISHED;
    }

    @Override
    public Optional<byte[]> virtualAddress() {
      return Optional.ofNullable(vip);
    }
  }

  static EspSa[] sa() {
    byte[] km = RandomSource.deterministic(1).bytes(16 + 20);
    return new EspSa[] {
      new EspSa(7, false, EspCipher.ESP_AES_CBC, EspAuth.HMAC_SHA1_96, Secret.copyOf(km), 0, 0, 0),
      new EspSa(7, true, EspCipher.ESP_AES_CBC, EspAuth.HMAC_SHA1_96, Secret.copyOf(km), 0, 0, 0)
    };
  }

  static void packet(EspSa[] p) {
    byte[] out = new byte[200];
    byte[] back = new byte[200];
    int n =
        EspCodec.encapsulate(p[0], RandomSource.deterministic(2), new byte[40], 0, 40, 4, out, 0);
    EspCodec.decapsulate(p[1], out, 0, n, back, 0, new int[1]);
  }

  @Test
  void quietRoadWarrior_reportedOnceAfterTheTimeout_trafficResetsIt_siteToSiteNever() {
    EspSa[] rw = sa();
    EspSa[] s2s = sa();
    Client client = new Client("rw", new byte[] {10, 99, 99, 10});
    Client peer = new Client("s2s", null);
    List<DataPlane.Route> routes =
        List.of(
            new DataPlane.Route(client, null, rw[1], rw[0], null, client.peer()),
            new DataPlane.Route(peer, null, s2s[1], s2s[0], null, peer.peer()));
    IdleWatch w = new IdleWatch();
    List<IkeSaView> idle = new ArrayList<>();
    w.check(routes, 0, 60_000, idle::add);
    w.check(routes, 30_000, 60_000, idle::add);
    packet(rw);
    w.check(routes, 59_000, 60_000, idle::add);
    w.check(routes, 100_000, 60_000, idle::add);
    assertEquals(List.of(), idle, "traffic at 59 s: idle only from then on");
    w.check(routes, 119_000, 60_000, idle::add);
    assertEquals(List.of(client), idle, "the site-to-site peer is never idle-kicked");
    w.check(routes, 200_000, 60_000, idle::add);
    assertEquals(1, idle.size(), "reported once");
  }
}
