package dev.coati.auth;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The shared front of every user check (Xauth, PAP, CHAP, MS-CHAPv2; users file or RADIUS): an
 * attempt from a source or for a user that is backed off ({@link GuessingGuard}) fails at once
 * without reaching the backend, so a guesser costs neither PBKDF2 time nor RADIUS round trips, and
 * learns nothing (the answer is the usual failure). Verdicts of the backend feed the budgets.
 */
public final class GuardedAuthenticator implements Authenticator {
  private final Authenticator inner;
  private final GuessingGuard guard;

  public GuardedAuthenticator(Authenticator inner, GuessingGuard guard) {
    this.inner = inner;
    this.guard = guard;
  }

  public GuessingGuard guard() {
    return guard;
  }

  /** Without a source only the user's budget applies (callers should pass the source). */
  @Override
  public CompletionStage<AuthResult> authenticate(AuthRequest request) {
    return authenticate(request, "?");
  }

  @Override
  public CompletionStage<AuthResult> authenticate(AuthRequest request, String source) {
    String user = request.user();
    GuessingGuard.Refusal refused = guard.check(user, source);
    if (refused != null) {
      int code =
          request instanceof AuthRequest.MsChapV2 ? AuthResult.ERROR_AUTHENTICATION_FAILURE : 0;
      return CompletableFuture.completedFuture(
          AuthResult.failure(
              user,
              (refused == GuessingGuard.Refusal.SOURCE_BACKOFF ? "source" : "user")
                  + " backed off after repeated failures for "
                  + (guard.retryAfter(user, source) + 999) / 1000
                  + " s more (password not checked)",
              code));
    }
    CompletionStage<AuthResult> verdict;
    try {
      verdict = inner.authenticate(request);
    } catch (RuntimeException e) {
      guard.abandoned(user, source);
      throw e;
    }
    return verdict.whenComplete(
        (r, e) -> {
          if (r == null) {
            guard.abandoned(user, source);
          } else if (r.success()) {
            guard.succeeded(user, source);
          } else {
            guard.failed(user, source);
          }
        });
  }
}
