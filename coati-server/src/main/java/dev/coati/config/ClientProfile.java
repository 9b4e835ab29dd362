package dev.coati.config;

import dev.coati.crypto.EspProposalSpec;
import dev.coati.crypto.IkeProposalSpec;
import dev.coati.crypto.Secret;
import java.nio.file.Path;
import java.util.List;

/**
 * One gateway as {@code coati connect} reaches it (the {@code client:} section of a profile file,
 * racoon's {@code remote} block of seed 002's client): how phase 1 authenticates, the proposals,
 * NAT-T, DPD and IKE fragmentation, who the user is, and what to change on this host.
 *
 * @param gateway the gateway's IPv4 address or host name (null: given on the command line)
 * @param auth psk-xauth, hybrid-rsa or rsa-xauth
 * @param aggressive aggressive mode (the Cisco way, seed 002), else main mode
 * @param group the aggressive-mode identity (a Cisco group name, sent as KEY_ID); null: our address
 * @param psk the group's pre-shared key (psk-xauth)
 * @param ca the CA bundle the gateway's certificate must chain to (hybrid-rsa, rsa-xauth)
 * @param certificate our certificate (rsa-xauth)
 * @param privateKey our key (rsa-xauth)
 * @param user the Xauth user (null: -u on the command line)
 * @param passwordFile a 0600 file with the saved Xauth password (seed 002's last section)
 * @param forceNatT always UDP-encapsulate (racoon's nat_traversal force)
 * @param dpdSeconds DPD probe delay (0: off)
 * @param ikeFragmentSize IKE fragments of at most this size (0: no fragmentation)
 * @param espFragmentSize inner packets over this size are fragmented before ESP (0: never)
 * @param tun the TUN device name
 * @param mtu the TUN device's MTU
 * @param dns how DNS is applied: auto, resolved, resolvconf, file or off
 * @param up a script run when the tunnel is up (the gateway hooks' environment)
 * @param down a script run when it is down
 * @param controlSocket where {@code coati disconnect} and {@code --status} reach this client
 */
public record ClientProfile(
    String gateway,
    String auth,
    boolean aggressive,
    String group,
    Secret psk,
    Path ca,
    Path certificate,
    Path privateKey,
    String user,
    Path passwordFile,
    List<IkeProposalSpec> ikeProposals,
    List<EspProposalSpec> espProposals,
    boolean forceNatT,
    long dpdSeconds,
    int ikeFragmentSize,
    int espFragmentSize,
    String tun,
    int mtu,
    String dns,
    Path up,
    Path down,
    Path controlSocket) {

  /** The default control socket of a client of {@code gateway}. */
  public static Path defaultSocket(String gateway) {
    return Path.of("/run/coati/client-" + gateway.replaceAll("[^A-Za-z0-9._-]", "_") + ".sock");
  }

  /** This profile with {@code gateway}, {@code user} or {@code group} overridden (when given). */
  public ClientProfile with(String gw, String u, String g) {
    String gate = gw != null ? gw : gateway;
    Path socket = controlSocket != null || gate == null ? controlSocket : defaultSocket(gate);
    return new ClientProfile(
        gate,
        auth,
        aggressive,
        g != null ? g : group,
        psk,
        ca,
        certificate,
        privateKey,
        u != null ? u : user,
        passwordFile,
        ikeProposals,
        espProposals,
        forceNatT,
        dpdSeconds,
        ikeFragmentSize,
        espFragmentSize,
        tun,
        mtu,
        dns,
        up,
        down,
        socket);
  }
}
