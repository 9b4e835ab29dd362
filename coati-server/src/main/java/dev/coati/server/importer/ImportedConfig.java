package dev.coati.server.importer;

import dev.coati.auth.UserEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code coati import} learned from another stack's files: the coati settings (rendered as one
 * YAML file by {@link ConfigYaml}), the secrets and users it found, and every statement it could
 * not translate, each with its file and line.
 */
final class ImportedConfig {
  /** A pre-shared key for some peers ("any", addresses or identities). */
  record Psk(List<String> peers, String secret, String origin) {}

  /**
   * A user with a clear-text password (from chap-secrets, ipsec.secrets XAUTH or swanctl), or only
   * an NT hash in hex (SoftEther's password users).
   */
  record User(String name, String password, String ntHash, String address, String origin) {
    User(String name, String password, String address, String origin) {
      this(name, password, null, address, origin);
    }
  }

  /** A RADIUS server for authentication and accounting. */
  record RadiusServer(String address, String secret) {}

  /** A site-to-site peer. */
  record Peer(
      String name,
      String remote,
      boolean aggressive,
      List<String> localSubnets,
      List<String> remoteSubnets,
      boolean start) {}

  /** One statement that was not (or not fully) carried over, and what to do about it. */
  record Note(String origin, String text) {
    @Override
    public String toString() {
      return origin + ": " + text;
    }
  }

  final List<String> listen = new ArrayList<>();
  String gatewayId;
  String certificate;
  String privateKey;
  final List<String> ca = new ArrayList<>();

  final List<Psk> psks = new ArrayList<>();
  final Set<String> ikeProposals = new LinkedHashSet<>();
  String ikeLifetime;
  final Set<String> aggressiveIds = new LinkedHashSet<>();
  String dpdDelay;
  String dpdTimeout;
  Boolean forceEncapsulation;

  final Set<String> espProposals = new LinkedHashSet<>();
  String espLifetime;
  String pfs;
  String espFragmentSize;

  final List<Peer> peers = new ArrayList<>();

  final Set<String> remoteAccessAuth = new LinkedHashSet<>();
  String pool;
  final Set<String> dns = new LinkedHashSet<>();
  final Set<String> nbns = new LinkedHashSet<>();
  String domain;
  String banner;
  final Set<String> splitInclude = new LinkedHashSet<>();
  String modeConfig;

  boolean l2tp;
  final Set<String> pppAuth = new LinkedHashSet<>();
  String lcpEchoInterval;
  String lcpEchoFailures;
  String hostName;
  String idleTimeout;

  /** The gateway's own address inside the tunnel (xl2tpd's "local ip"), if one was given. */
  String tunAddress;

  String usersSource;
  final List<RadiusServer> radiusServers = new ArrayList<>();

  final Map<String, User> users = new LinkedHashMap<>();
  final List<Note> untranslated = new ArrayList<>();
  final List<Note> translated = new ArrayList<>();

  void skip(String origin, String text) {
    untranslated.add(new Note(origin, text));
  }

  void took(String origin, String text) {
    translated.add(new Note(origin, text));
  }

  void user(User u) {
    try {
      UserEntry.checkName(u.name());
    } catch (IllegalArgumentException e) {
      skip(u.origin(), e.getMessage());
      return;
    }
    User old = users.putIfAbsent(u.name(), u);
    if (old != null && !Objects.equals(old.password(), u.password())) {
      skip(
          u.origin(),
          "user " + u.name() + " again with another password; kept the one from " + old.origin());
    }
  }

  boolean remoteAccess() {
    return !remoteAccessAuth.isEmpty() || l2tp;
  }
}
