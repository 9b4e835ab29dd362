package dev.coati.auth;

import java.util.concurrent.CompletionStage;

/**
 * The user authentication SPI shared by Xauth (IKE), PAP, CHAP-MD5 and MS-CHAPv2 (PPP): one user
 * store for every method. Implementations: {@link LocalAuthenticator} (the users file; completes at
 * once) and RADIUS (later, completes when the server answers). The stage never completes
 * exceptionally for a wrong password: that is a failed {@link AuthResult}.
 */
@FunctionalInterface
public interface Authenticator {
  CompletionStage<AuthResult> authenticate(AuthRequest request);

  /**
   * As {@link #authenticate(AuthRequest)}, for a client at {@code source} (its address, no port):
   * {@link GuardedAuthenticator} keeps failure budgets per source; others ignore it.
   */
  default CompletionStage<AuthResult> authenticate(AuthRequest request, String source) {
    return authenticate(request);
  }
}
