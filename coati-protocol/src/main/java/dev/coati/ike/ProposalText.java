package dev.coati.ike;

import dev.coati.crypto.EspProposalSpec;
import dev.coati.crypto.IkeProposalSpec;
import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IkeAttr;
import dev.coati.ike.wire.Proposal;
import dev.coati.ike.wire.SaPayload;
import dev.coati.ike.wire.Transform;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Proposals as short text for log lines, in strongSwan's syntax where it has one ({@code
 * aes256-sha256-modp2048}): what a client offered and what we accept, side by side when nothing
 * matched. Bounded: at most {@link #MAX} transforms are listed.
 */
public final class ProposalText {
  static final int MAX = 24;

  private ProposalText() {}

  /** A phase-1 transform: {@code aes256-sha256-modp2048/xauth-psk}. */
  public static String phase1(Phase1Transform t) {
    return new IkeProposalSpec(t.cipher(), t.keyBits(), t.hash(), null, t.group())
        + "/"
        + auth(t.authMethod());
  }

  /** An ESP transform: {@code aes_gcm_16-256} or {@code aes_cbc-128-hmac_sha2_256_128-modp2048}. */
  public static String phase2(Phase2Transform t) {
    return esp(new EspProposalSpec(t.cipher(), t.keyBits(), t.auth(), t.pfsGroup()));
  }

  /** The phase-1 transforms a peer offered, e.g. {@code [aes128-sha1-modp1024/psk, ...]}. */
  static String offeredPhase1(SaPayload offered) {
    return offered(offered, t -> Phase1Transform.parse(t).map(ProposalText::phase1));
  }

  /** The ESP transforms a peer offered. */
  static String offeredEsp(SaPayload offered) {
    return offered(offered, t -> Phase2Transform.parse(t).map(ProposalText::phase2));
  }

  static String oursPhase1(List<IkeProposalSpec> ours) {
    return bounded(ours.stream().map(Object::toString).toList());
  }

  static String oursEsp(List<EspProposalSpec> ours) {
    return bounded(ours.stream().map(ProposalText::esp).toList());
  }

  /** A phase-1 exchange for logs: "main", "aggressive", or the exchange name; "-" for null. */
  public static String mode(ExchangeType m) {
    return m == null
        ? "-"
        : m.equals(ExchangeType.AGGRESSIVE)
            ? "aggressive"
            : m.equals(ExchangeType.IDENTITY_PROTECTION) ? "main" : m.toString();
  }

  /** The RFC 2409 / Xauth / hybrid method name. */
  public static String auth(int m) {
    return switch (m) {
      case IkeAttr.PSK -> "psk";
      case IkeAttr.RSA_SIG -> "rsa";
      case IkeAttr.ECDSA_256, IkeAttr.ECDSA_384, IkeAttr.ECDSA_521 -> "ecdsa";
      case IkeAttr.XAUTH_INIT_PSK -> "xauth-psk";
      case IkeAttr.XAUTH_RESP_PSK -> "xauth-psk-resp";
      case IkeAttr.XAUTH_INIT_RSA -> "xauth-rsa";
      case IkeAttr.XAUTH_RESP_RSA -> "xauth-rsa-resp";
      case IkeAttr.HYBRID_INIT_RSA -> "hybrid-rsa";
      case IkeAttr.HYBRID_RESP_RSA -> "hybrid-rsa-resp";
      default -> "auth" + m;
    };
  }

  private static String esp(EspProposalSpec s) {
    String c = s.cipher().name().toLowerCase(Locale.ROOT).replaceFirst("^esp_", "");
    return c
        + "-"
        + s.keyBits()
        + (s.auth() == null ? "" : "-" + s.auth().name().toLowerCase(Locale.ROOT))
        + (s.pfs() == null ? "" : "-" + s.pfs().name().toLowerCase(Locale.ROOT).replace("_", ""));
  }

  private static String offered(SaPayload sa, Function<Transform, Optional<String>> name) {
    List<String> out = new ArrayList<>();
    for (Proposal p : sa.proposals()) {
      for (Transform t : p.transforms()) {
        out.add(name.apply(t).orElse("unknown(id=" + t.transformId() + ")"));
      }
    }
    return bounded(out);
  }

  private static String bounded(List<String> names) {
    if (names.size() <= MAX) {
      return "[" + String.join(",", names) + "]";
    }
    return "["
        + String.join(",", names.subList(0, MAX))
        + ",...("
        + (names.size() - MAX)
        + " more)]";
  }
}
