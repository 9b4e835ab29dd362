package dev.coati.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The shared front of every method: refused attempts never reach the backend (no PBKDF2, no RADIUS
 * round trip) and answer like any failure.
 */
class GuardedAuthenticatorTest {
  long now = 5_000_000;
  final AtomicInteger backendCalls = new AtomicInteger();
  final Authenticator backend =
      r -> {
        backendCalls.incrementAndGet();
        boolean ok =
            r instanceof AuthRequest.Plain p
                && new String(p.password(), StandardCharsets.UTF_8).equals("right");
        return CompletableFuture.completedFuture(
            ok
                ? AuthResult.success(r.user(), null, 0, null)
                : AuthResult.failure(
                    r.user(),
                    "wrong",
                    r instanceof AuthRequest.MsChapV2
                        ? AuthResult.ERROR_AUTHENTICATION_FAILURE
                        : 0));
      };
  final GuardedAuthenticator auth =
      new GuardedAuthenticator(
          backend,
          new GuessingGuard(new GuessingLimits(4, 3, 1_000, 60_000, 0, 1, 900_000), () -> now));

  AuthResult run(AuthRequest r, String source) {
    return auth.authenticate(r, source).toCompletableFuture().join();
  }

  static AuthRequest.Plain plain(String user, String pw) {
    return new AuthRequest.Plain(user, pw.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void guessesBeyondTheBudgetNeverReachTheBackend() {
    for (int i = 0; i < 3; i++) {
      assertFalse(run(plain("alice", "guess" + i), "198.51.100.9").success());
    }
    assertEquals(3, backendCalls.get());
    for (int i = 0; i < 50; i++) {
      AuthResult r = run(plain("alice", "right"), "198.51.100.9");
      assertFalse(r.success(), "even the right password waits out the back-off");
      assertTrue(r.reason().contains("backed off"), r.reason());
    }
    assertEquals(3, backendCalls.get(), "50 guesses in the back-off cost nothing");
    assertEquals(50, auth.guard().refused(GuessingGuard.Refusal.USER_BACKOFF));
    now += 1_000;
    assertTrue(run(plain("alice", "right"), "203.0.113.5").success());
  }

  @Test
  void everyMethodPassesThrough() {
    AuthRequest[] kinds = {
      plain("bob", "x"),
      new AuthRequest.ChapMd5("bob", 1, new byte[16], new byte[16]),
      new AuthRequest.MsChapV2("bob", new byte[16], new byte[16], new byte[24]),
    };
    for (AuthRequest r : kinds) {
      run(r, "192.0.2.1");
    }
    AuthResult refused =
        run(new AuthRequest.MsChapV2("bob", new byte[16], new byte[16], new byte[24]), "192.0.2.1");
    assertFalse(refused.success());
    assertEquals(AuthResult.ERROR_AUTHENTICATION_FAILURE, refused.errorCode(), "E=691 as usual");
    assertEquals(3, backendCalls.get());
  }
}
