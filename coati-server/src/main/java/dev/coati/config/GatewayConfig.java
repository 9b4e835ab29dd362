package dev.coati.config;

import dev.coati.crypto.EspProposalSpec;
import dev.coati.crypto.IkeProposalSpec;
import dev.coati.crypto.ProposalParser;
import java.util.List;

/**
 * The gateway configuration as far as issue #2 needs it: IKE and ESP proposals, lifetimes, the
 * gateway identity and the pre-shared key. The YAML loader with file:line errors comes with issue
 * #3; until then {@link #demo} is the embedded default.
 */
public record GatewayConfig(
    String gatewayId,
    List<String> ikeProposals,
    List<String> espProposals,
    long ikeLifetimeSeconds,
    long espLifetimeSeconds,
    boolean allowLegacy,
    String pskFile) {

  /** The embedded demo default: what today's clients propose (README "Algorithms"). */
  public static GatewayConfig demo(String pskFile) {
    return new GatewayConfig(
        "fqdn:vpn.example.com",
        List.of(
            "aes256-sha256-modp2048",
            "aes256-sha1-ecp384",
            "aes128-sha1-ecp256",
            "aes256-sha1-modp2048",
            "aes128-sha1-modp2048",
            "aes256-sha1-modp1024",
            "aes128-sha1-modp1024",
            "3des-sha1-modp1024"),
        List.of("aes256-sha256", "aes256-sha1", "aes128-sha1", "aes128gcm16", "3des-sha1"),
        28800,
        3600,
        true,
        pskFile);
  }

  public List<IkeProposalSpec> parsedIke() {
    return ProposalParser.parseIke(String.join(",", ikeProposals), allowLegacy);
  }

  public List<EspProposalSpec> parsedEsp() {
    return ProposalParser.parseEsp(String.join(",", espProposals), allowLegacy);
  }
}
