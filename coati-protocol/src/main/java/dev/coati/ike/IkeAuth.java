package dev.coati.ike;

import dev.coati.ike.wire.IkeAttr;

/**
 * Phase-1 authentication methods (RFC 2409 appendix A, draft-beaulieu-ike-xauth-02 section 7.2,
 * draft-ietf-ipsra-hybrid-auth): which key schedule they use and who runs Xauth.
 */
final class IkeAuth {
  private IkeAuth() {}

  /** Methods whose SKEYID is the pre-shared-key one (RFC 2409 5.4): PSK and PSK + Xauth. */
  static boolean pskBased(int method) {
    return method == IkeAttr.PSK
        || method == IkeAttr.XAUTH_INIT_PSK
        || method == IkeAttr.XAUTH_RESP_PSK;
  }

  /** Methods where the phase-1 initiator is the Xauth client (the responder asks). */
  static boolean initiatorIsXauthClient(int method) {
    return method == IkeAttr.XAUTH_INIT_PSK
        || method == IkeAttr.XAUTH_INIT_RSA
        || method == IkeAttr.HYBRID_INIT_RSA;
  }
}
