package dev.coati.config;

import dev.coati.crypto.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code peers:} section: site-to-site peers with a fixed address (optionally pinned to an
 * identity with {@code id:}) or {@code remote: any} (recognised by {@code id:} and its own key).
 */
final class PeersSection {
  private PeersSection() {}

  static final String MAIN_MODE_WITH_ANY_KEY =
      "a remote: any peer in main mode is recognised by its own key, but secrets.psk has a"
          + " key for any (road warriors): use mode: aggressive for this peer, or list the"
          + " road warriors' addresses or group names in secrets.psk instead of any";

  static List<GatewayConfig.PeerConfig> parse(YamlNode n, Path dir) throws ConfigException {
    List<GatewayConfig.PeerConfig> peers = new ArrayList<>();
    Set<String> keys =
        Set.of(
            "name",
            "remote",
            "id",
            "mode",
            "local_subnets",
            "remote_subnets",
            "secret_file",
            "start",
            "fragment_size");
    for (YamlNode p : n.list()) {
      String name = null;
      String remote = null;
      String id = null;
      boolean aggressive = false;
      List<String> local = List.of();
      List<String> remoteNets = List.of();
      Secret secret = null;
      boolean start = false;
      int fragmentSize = 0;
      for (YamlNode e : p.entries(keys)) {
        switch (e.key()) {
          case "name" -> name = e.string();
          case "remote" -> remote = remote(e);
          case "id" -> id = identity(e);
          case "mode" -> aggressive = mode(e);
          case "local_subnets" -> local = ConfigLoader.subnets(e);
          case "remote_subnets" -> remoteNets = ConfigLoader.subnets(e);
          case "secret_file" -> secret = ConfigLoader.secretFile(e, dir);
          case "fragment_size" -> fragmentSize = e.fragmentSize();
          default -> start = e.bool();
        }
      }
      if (name == null || remote == null) {
        throw p.error("a peer needs name: and remote: (its IPv4 address, or any)");
      }
      if (local.isEmpty() || remoteNets.isEmpty()) {
        throw p.error("a peer needs local_subnets: and remote_subnets: (e.g. [10.1.0.0/24])");
      }
      GatewayConfig.PeerConfig peer =
          new GatewayConfig.PeerConfig(
              name, remote, id, aggressive, local, remoteNets, secret, start, fragmentSize);
      if (peer.dynamic()) {
        dynamicPeer(p, peer, peers);
      }
      peers.add(peer);
    }
    return peers;
  }

  /** The list item of the {@code remote: any} peer in main mode, if any. */
  static YamlNode dynamicMainMode(YamlNode n, List<GatewayConfig.PeerConfig> peers)
      throws ConfigException {
    List<YamlNode> items = n.list();
    for (int i = 0; i < peers.size() && i < items.size(); i++) {
      if (peers.get(i).dynamic() && !peers.get(i).aggressive()) {
        return items.get(i);
      }
    }
    return null;
  }

  /**
   * {@code remote: any}: the peer is recognised by its identity and its own key, never by the group
   * key road warriors hold. In main mode the key is needed before the identity arrives, so one such
   * peer at most, and only without a key for {@code any} (checked in {@link #read}).
   */
  private static void dynamicPeer(
      YamlNode p, GatewayConfig.PeerConfig peer, List<GatewayConfig.PeerConfig> peers)
      throws ConfigException {
    if (peer.id() == null || peer.secret() == null) {
      throw p.error(
          "peer "
              + peer.name()
              + " has remote: any, so it needs id: (the identity it sends, e.g."
              + " fqdn:branch.example.com) and its own secret_file:");
    }
    if (peer.start()) {
      throw p.error(
          "peer " + peer.name() + " has remote: any: coati cannot start it; remove start: true");
    }
    if (!peer.aggressive() && peers.stream().anyMatch(q -> q.dynamic() && !q.aggressive())) {
      throw p.error(
          "peer "
              + peer.name()
              + ": only one remote: any peer can use main mode (its key is chosen before its"
              + " identity is known); use mode: aggressive for the others");
    }
  }

  private static String remote(YamlNode e) throws ConfigException {
    return GatewayConfig.ANY.equals(e.string()) ? GatewayConfig.ANY : address(e);
  }

  private static String identity(YamlNode e) throws ConfigException {
    String s = e.string();
    int colon = s.indexOf(':');
    String kind = colon < 0 ? "fqdn" : s.substring(0, colon);
    String value = colon < 0 ? s : s.substring(colon + 1);
    if (!Set.of("fqdn", "keyid", "user", "ipv4").contains(kind) || value.isEmpty()) {
      throw e.error(
          "expected an identity such as fqdn:branch.example.com, keyid:text, user:a@b or"
              + " ipv4:192.0.2.7");
    }
    if (kind.equals("ipv4") && !value.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      throw e.error("expected ipv4: with an IPv4 address such as ipv4:192.0.2.7");
    }
    return s;
  }

  static String address(YamlNode e) throws ConfigException {
    String s = e.string();
    if (!s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      throw e.error("expected an IPv4 address such as 192.0.2.7");
    }
    return s;
  }

  static boolean mode(YamlNode e) throws ConfigException {
    return switch (e.string()) {
      case "main" -> false;
      case "aggressive" -> true;
      default -> throw e.error("expected main or aggressive");
    };
  }
}
