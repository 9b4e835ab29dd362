package dev.coati.server.client;

import dev.coati.config.ClientProfile;
import dev.coati.crypto.EspProposalSpec;
import dev.coati.crypto.IkeProposalSpec;
import dev.coati.crypto.Secret;
import dev.coati.crypto.pki.CertificateVerifier;
import dev.coati.crypto.pki.PemFiles;
import dev.coati.crypto.pki.Signer;
import dev.coati.ike.IkePolicy;
import dev.coati.ike.IkeSaView;
import dev.coati.ike.LocalCertificate;
import dev.coati.ike.PeerAddress;
import dev.coati.ike.RemoteAccess;
import dev.coati.ike.TrafficSelector;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IdType;
import dev.coati.ike.wire.IkeAttr;
import dev.coati.util.RandomSource;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The IKE policy of {@code coati connect}: one gateway, one phase-1 method (PSK + Xauth, hybrid RSA
 * or RSA + Xauth), our Xauth credentials, the profile's proposals. Quick mode PFS follows what the
 * gateway announced in mode config (Cisco Unity's PFS attribute).
 */
final class ClientPolicy implements IkePolicy {
  private final ClientProfile profile;
  private final IdPayload localId;
  private final RemoteAccess.Credentials credentials;
  private final LocalCertificate certificate;
  private final CertificateVerifier verifier;
  private volatile PfsPolicy pfs = PfsPolicy.OPTIONAL;

  ClientPolicy(ClientProfile profile, byte[] localAddress, byte[] password, RandomSource random) {
    this.profile = profile;
    this.credentials =
        new RemoteAccess.Credentials(profile.user().getBytes(StandardCharsets.UTF_8), password);
    this.verifier =
        profile.ca() == null ? null : CertificateVerifier.load(profile.ca(), Optional.empty());
    if (profile.auth().equals("rsa-xauth")) {
      X509Certificate cert = PemFiles.certificate(profile.certificate());
      this.certificate =
          new LocalCertificate(cert, Signer.of(PemFiles.privateKey(profile.privateKey()), random));
      this.localId =
          new IdPayload(IdType.DER_ASN1_DN, 0, 0, cert.getSubjectX500Principal().getEncoded());
    } else {
      this.certificate = null;
      this.localId =
          profile.aggressive() && profile.group() != null
              ? IdPayload.keyId(profile.group().getBytes(StandardCharsets.UTF_8))
              : IdPayload.ipv4(localAddress);
    }
  }

  /** The phase-1 method of an {@code auth:} name. */
  static int method(String auth) {
    return switch (auth) {
      case "hybrid-rsa" -> IkeAttr.HYBRID_INIT_RSA;
      case "rsa-xauth" -> IkeAttr.XAUTH_INIT_RSA;
      default -> IkeAttr.XAUTH_INIT_PSK;
    };
  }

  /** The gateway asked for PFS in quick mode (Unity) or not. */
  void pfs(boolean required) {
    this.pfs = required ? PfsPolicy.REQUIRED : PfsPolicy.OPTIONAL;
  }

  @Override
  public List<IkeProposalSpec> ikeProposals() {
    return profile.ikeProposals();
  }

  @Override
  public Set<Integer> authMethods() {
    return Set.of(method(profile.auth()));
  }

  /**
   * 8 hours, the common default: racoon (proposal_check claim, ipsec-tools 0.9.1 checkisakmpsa)
   * refuses an initiator's phase-1 lifetime longer than its own.
   */
  @Override
  public long ikeLifetimeSeconds() {
    return 28800;
  }

  @Override
  public Optional<Secret> preSharedKey(PeerAddress peer, Optional<IdPayload> peerId) {
    return Optional.ofNullable(profile.psk());
  }

  @Override
  public boolean aggressiveModeAllowed(PeerAddress peer, IdPayload peerId) {
    return profile.aggressive();
  }

  @Override
  public IdPayload localId(PeerAddress peer) {
    return localId;
  }

  @Override
  public List<EspProposalSpec> espProposals() {
    return profile.espProposals();
  }

  @Override
  public PfsPolicy pfs() {
    return pfs;
  }

  @Override
  public long childLifetimeSeconds() {
    return 3600;
  }

  @Override
  public boolean trafficAllowed(
      IkeSaView sa, TrafficSelector remote, TrafficSelector local, boolean tunnel) {
    return false; // a road warrior answers no quick mode a gateway starts
  }

  @Override
  public boolean forceUdpEncapsulation() {
    return profile.forceNatT();
  }

  @Override
  public int ikeFragmentSize() {
    return profile.ikeFragmentSize();
  }

  @Override
  public long dpdDelaySeconds() {
    return profile.dpdSeconds();
  }

  @Override
  public long dpdTimeoutSeconds() {
    return Math.max(30, profile.dpdSeconds() * 4);
  }

  @Override
  public RemoteAccess.Credentials xauthCredentials(IkeSaView sa) {
    return credentials;
  }

  @Override
  public LocalCertificate localCertificate() {
    return certificate;
  }

  @Override
  public CertificateVerifier certificateVerifier() {
    return verifier;
  }
}
