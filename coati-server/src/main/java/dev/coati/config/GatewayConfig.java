package dev.coati.config;

import dev.coati.auth.GuessingLimits;
import dev.coati.crypto.EspProposalSpec;
import dev.coati.crypto.IkeProposalSpec;
import dev.coati.crypto.ProposalParser;
import dev.coati.crypto.Secret;
import dev.coati.crypto.pki.CertificateVerifier;
import dev.coati.ike.HalfOpenLimits;
import dev.coati.ike.IkePolicy.PfsPolicy;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The gateway configuration (one YAML file, see README "Configuration"); immutable, validated by
 * {@link ConfigLoader}.
 *
 * @param espLifetimeKilobytes the ESP SA volume limit ({@code esp.lifetime_bytes}); 0: none
 * @param metricsListen {@code address:port} of the Prometheus endpoint ({@code metrics.listen}), or
 *     null: off
 * @param usersFile the users file ({@code users: { file: ... }}, resolved against the
 *     configuration's directory); null when not configured
 * @param radius the {@code radius:} section; null when not configured
 * @param usersSource where credentials are checked ({@code users.source})
 * @param runAs {@code gateway.user}: the user {@code coati run} started as root becomes once its
 *     sockets and TUN device are open (keeping CAP_NET_ADMIN, CAP_NET_BIND_SERVICE, CAP_NET_RAW);
 *     null: stay as started
 * @param espFragmentSize the inner IPv4 packet size above which ESP towards a peer is fragmented
 *     before encryption ({@code esp.fragment_size}); 0: none
 * @param ikeFragmentSize the largest IKE datagram sent whole to a peer that announced IKE
 *     fragmentation ({@code ike.fragment_size}); 0: fragmentation off ({@code ike.fragmentation:
 *     false})
 */
public record GatewayConfig(
    List<String> listen,
    int ikePort,
    int natTPort,
    String gatewayId,
    String runAs,
    List<PskEntry> psks,
    List<IkeProposalSpec> ikeProposals,
    long ikeLifetimeSeconds,
    long dpdDelaySeconds,
    long dpdTimeoutSeconds,
    boolean natTraversal,
    boolean forceUdpEncapsulation,
    boolean microsoftNatDParrot,
    List<String> aggressiveIds,
    List<EspProposalSpec> espProposals,
    long espLifetimeSeconds,
    long espLifetimeKilobytes,
    PfsPolicy pfs,
    List<PeerConfig> peers,
    Tun tun,
    Path usersFile,
    RemoteAccessConfig remoteAccess,
    Pki pki,
    L2tpConfig l2tp,
    String metricsListen,
    EventsConfig events,
    RadiusConfig radius,
    UserSource usersSource,
    Control control,
    String logFormat,
    Limits limits,
    int espFragmentSize,
    int ikeFragmentSize) {

  /** The {@code limits:} section: half-open SA limits and guessing budgets (issue #13). */
  public record Limits(HalfOpenLimits halfOpen, GuessingLimits guessing) {
    public static final Limits DEFAULT = new Limits(HalfOpenLimits.DEFAULT, GuessingLimits.DEFAULT);
  }

  /** {@code ike.fragment_size} by default: racoon's ISAKMP_FRAG_MAXLEN, fits any broken router. */
  public static final int DEFAULT_IKE_FRAGMENT_SIZE = 552;

  /** The {@code events:} section (null: none): JSON event log and hooks, each may be null. */
  public record EventsConfig(
      Path jsonLog, Path upScript, Path downScript, long hookTimeoutSeconds) {}

  /** {@code users.source}: the users file, RADIUS, or the file first and RADIUS for the rest. */
  public enum UserSource {
    LOCAL,
    RADIUS,
    LOCAL_THEN_RADIUS
  }

  /**
   * The {@code radius:} section: servers in order, per-transmission timeout, retransmissions per
   * server, NAS-Identifier, whether to send accounting, whether answers need Message-Authenticator.
   *
   * @param interimIntervalSeconds the Accounting Interim-Update period; 0: none
   * @param dynamicAuthorization the Disconnect-Request listener; null: none
   */
  public record RadiusConfig(
      List<RadiusServer> servers,
      long timeoutSeconds,
      int retries,
      String nasIdentifier,
      boolean accounting,
      boolean requireMessageAuthenticator,
      long interimIntervalSeconds,
      DynamicAuthorization dynamicAuthorization,
      boolean framedIpRequired) {}

  /** One RADIUS server: IPv4 address, authentication and accounting ports, shared secret. */
  public record RadiusServer(String address, int port, int acctPort, Secret secret) {}

  /**
   * RFC 5176 Dynamic Authorization ({@code radius.dynamic_authorization}): the IPv4 address and UDP
   * port to receive Disconnect-Request on, and the clients allowed to send them.
   */
  public record DynamicAuthorization(String listenAddress, int port, List<DaeClient> clients) {}

  /** A Dynamic Authorization Client: its IPv4 address and the shared secret it signs with. */
  public record DaeClient(String address, Secret secret) {}

  /**
   * The operators' control socket (the {@code control:} section): its path, its mode (e.g. 0660)
   * and the group that owns it (null: the gateway's own).
   */
  public record Control(Path socket, int mode, String group) {
    /** The socket of a gateway started without a {@code control:} section. */
    public static final Control DEFAULT = new Control(Path.of("/run/coati/coati.sock"), 0600, null);
  }

  /** The demo's control socket: {@code coati.sock} in the state directory, mode 0600. */
  public static Control demoControl(Path stateDir) {
    return new Control(stateDir.resolve("coati.sock"), 0600, null);
  }

  /**
   * L2TP/IPsec (the {@code l2tp:} section); null: not offered. {@code auth}: "mschapv2", "chap",
   * "pap" in order of preference; intervals in seconds (0: never); {@code secret}: the tunnel
   * secret, or null (with one, every tunnel must authenticate, RFC 2661 section 5.1.1); {@code
   * hideAvps}: hide what we send with it (section 4.3).
   */
  public record L2tpConfig(
      List<String> auth,
      long helloSeconds,
      long lcpEchoSeconds,
      int lcpEchoFailures,
      String hostName,
      Secret secret,
      boolean hideAvps) {}

  /** The gateway's certificate and key, and the CAs peers' certificates must chain to. */
  public record Pki(
      X509Certificate certificate, PrivateKey privateKey, CertificateVerifier verifier) {}

  /** Road warriors (the {@code remote_access:} section); null: not offered. */
  public record RemoteAccessConfig(
      List<String> auth,
      String pool,
      List<String> dns,
      List<String> nbns,
      String domain,
      String banner,
      List<String> splitInclude,
      boolean push,
      boolean savePassword,
      int xauthAttempts,
      List<String> splitDns,
      long idleTimeoutSeconds) {}

  /** The TUN device of the data plane (null: none, ESP traffic is dropped). */
  public record Tun(String name, String address, int prefix, int mtu) {}

  /**
   * A site-to-site peer (seed 001's conn with auto=start): its address ({@code "any"} for a peer
   * whose address changes, then recognised by its pinned identity and own key), its identity
   * ({@code id}, as written: "fqdn:..." etc.; null: not pinned), the subnets on each side, main or
   * aggressive mode, an optional own PSK, and whether we initiate (and re-initiate after DPD
   * timeout or Delete).
   */
  public record PeerConfig(
      String name,
      String remote,
      String id,
      boolean aggressive,
      List<String> localSubnets,
      List<String> remoteSubnets,
      Secret secret,
      boolean start,
      int fragmentSize) {
    /** {@code remote: any}: the peer's address is not known in advance. */
    public boolean dynamic() {
      return ANY.equals(remote);
    }

    /** The inner packet size above which ESP to this peer is fragmented, 0 for the default. */
    public int fragmentSize(int gatewayDefault) {
      return fragmentSize != 0 ? fragmentSize : gatewayDefault;
    }
  }

  /** The {@code remote:} value of a peer whose address changes. */
  public static final String ANY = "any";

  /** A pre-shared key for some peers: "any", IP addresses or identities (FQDN, KEY_ID text). */
  public record PskEntry(List<String> peers, Secret secret) {
    public boolean matches(String peer) {
      return peers.contains(peer);
    }
  }

  /** Proposals today's clients send (Windows, Apple, Android, strongSwan; README "Algorithms"). */
  public static final String DEFAULT_IKE =
      "aes256-sha256-modp2048,aes256-sha1-ecp384,aes128-sha1-ecp256,aes256-sha1-modp2048,"
          + "aes128-sha1-modp2048,aes256-sha1-modp1024,aes128-sha1-modp1024,3des-sha1-modp1024";

  public static final String DEFAULT_ESP =
      "aes256-sha256,aes128-sha256,aes256-sha1,aes128-sha1,aes128gcm16,aes256gcm16,3des-sha1";

  /** Added to {@link #DEFAULT_ESP} with {@code ike.legacy} (Apple and Android still offer MD5). */
  public static final String DEFAULT_ESP_LEGACY = ",aes256-md5,aes128-md5,3des-md5";

  /** The default ESP list for a legacy setting. */
  public static String defaultEsp(boolean legacy) {
    return legacy ? DEFAULT_ESP + DEFAULT_ESP_LEGACY : DEFAULT_ESP;
  }

  /** The embedded demo default, with a generated PSK for any peer, listening on loopback. */
  public static GatewayConfig demo(Secret psk) {
    return demo(psk, Control.DEFAULT);
  }

  /** The demo with its control socket at {@code control}. */
  public static GatewayConfig demo(Secret psk, Control control) {
    return new GatewayConfig(
        List.of("127.0.0.1"),
        500,
        4500,
        "fqdn:vpn.example.com",
        null,
        List.of(new PskEntry(List.of("any"), psk)),
        ProposalParser.parseIke(DEFAULT_IKE, true),
        28800,
        30,
        120,
        true,
        false,
        true,
        List.of(),
        ProposalParser.parseEsp(defaultEsp(true), true),
        3600,
        0,
        PfsPolicy.OPTIONAL,
        List.of(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        UserSource.LOCAL,
        control,
        "text",
        Limits.DEFAULT,
        0,
        DEFAULT_IKE_FRAGMENT_SIZE);
  }
}
