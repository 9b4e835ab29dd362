package dev.coati.auth;

import java.util.concurrent.CompletionStage;

/**
 * "local-then-radius": a user of the users file is checked there only (a wrong password is final,
 * never retried elsewhere); any other user goes to the next authenticator (RADIUS).
 */
public record ChainAuthenticator(LocalAuthenticator local, Authenticator next)
    implements Authenticator {
  @Override
  public CompletionStage<AuthResult> authenticate(AuthRequest request) {
    return local.knows(request.user()) ? local.authenticate(request) : next.authenticate(request);
  }
}
