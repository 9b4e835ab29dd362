package dev.coati.server.policy;

import dev.coati.config.GatewayConfig;
import dev.coati.config.GatewayConfig.PeerConfig;
import dev.coati.crypto.Secret;
import dev.coati.ike.IkeSaView;
import dev.coati.ike.PeerAddress;
import dev.coati.ike.TrafficSelector;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IkeAttr;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Which configured site-to-site peer an IKE SA is, if any. A peer with a fixed address is that
 * address (and, with {@code id:}, that identity too); a {@code remote: any} peer is its pinned
 * identity proven with its own key. Anyone else holding a key (the group PSK every road warrior
 * knows) is no site-to-site peer.
 */
final class SiteToSitePeers {
  private SiteToSitePeers() {}

  /** The address part of "a.b.c.d:port". */
  static String address(PeerAddress peer) {
    String s = peer.toString();
    return s.substring(0, s.lastIndexOf(':'));
  }

  /** The peer configured with this fixed address. */
  static Optional<PeerConfig> byAddress(GatewayConfig config, String address) {
    return config.peers().stream().filter(p -> p.remote().equals(address)).findFirst();
  }

  /** The {@code remote: any} peer pinned to this identity. */
  static Optional<PeerConfig> dynamicById(GatewayConfig config, IdPayload id) {
    return config.peers().stream().filter(p -> p.dynamic() && pinnedTo(p, id)).findFirst();
  }

  /** Whether {@code id} is the identity pinned by {@code p} (compared as text, as written). */
  static boolean pinnedTo(PeerConfig p, IdPayload id) {
    return p.id() != null
        && ConfiguredPolicy.idText(ConfiguredPolicy.parseId(p.id()))
            .equals(ConfiguredPolicy.idText(id));
  }

  /** The one {@code remote: any} peer in main mode (the loader allows one at most). */
  static Optional<PeerConfig> dynamicMainMode(GatewayConfig config) {
    return config.peers().stream().filter(p -> p.dynamic() && !p.aggressive()).findFirst();
  }

  /**
   * The site-to-site peer {@code sa} authenticated as: by fixed address (its pinned identity was
   * checked after HASH_I), or a {@code remote: any} peer whose identity it proved with that peer's
   * own key ({@code keyUsed} is the key phase 1 used).
   */
  static Optional<PeerConfig> of(GatewayConfig config, IkeSaView sa, Optional<Secret> keyUsed) {
    if (sa.authMethod() != IkeAttr.PSK) {
      return Optional.empty();
    }
    Optional<PeerConfig> fixed = byAddress(config, address(sa.peer()));
    if (fixed.isPresent()) {
      return fixed;
    }
    Optional<IdPayload> id = sa.peerId();
    if (id.isEmpty() || keyUsed.isEmpty()) {
      return Optional.empty();
    }
    return dynamicById(config, id.get())
        .filter(p -> p.secret() != null && sameKey(p.secret(), keyUsed.get()));
  }

  /** Any peer configured at all (then PSK stays a phase-1 method for them). */
  static boolean anyDynamic(GatewayConfig config) {
    return config.peers().stream().anyMatch(PeerConfig::dynamic);
  }

  static boolean within(List<String> subnets, TrafficSelector ts) {
    for (String s : subnets) {
      if (ConfiguredPolicy.subnet(s).contains(ts)) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameKey(Secret a, Secret b) {
    return MessageDigest.isEqual(a.bytes(), b.bytes());
  }
}
