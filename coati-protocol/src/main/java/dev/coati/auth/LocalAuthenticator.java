package dev.coati.auth;

import dev.coati.crypto.ChapMd5;
import dev.coati.crypto.MsChapV2;
import dev.coati.crypto.NtHash;
import dev.coati.crypto.PasswordHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Authenticates against the users file ({@link LocalUsers}); completes synchronously. What each
 * method needs stored:
 *
 * <ul>
 *   <li>Xauth / PAP: the salted hash, else the plain text, else the NT hash (MD4 of the password).
 *   <li>CHAP-MD5 (RFC 1994): the plain-text password; a hash cannot answer a CHAP challenge.
 *   <li>MS-CHAPv2 (RFC 2759): the NT hash, or the plain text to compute it from.
 * </ul>
 *
 * PBKDF2 verification costs CPU (600,000 HMAC iterations by default); a caller on an event loop
 * should run {@link #authenticate} on a worker. The user set can be swapped on reload.
 */
public final class LocalAuthenticator implements Authenticator {
  private volatile LocalUsers users;
  private volatile PasswordHash dummy;

  public LocalAuthenticator(LocalUsers users) {
    replace(users);
  }

  /** Replaces the users (after the file changed); sessions in flight are unaffected. */
  public void replace(LocalUsers newUsers) {
    this.dummy = dummy(newUsers);
    this.users = newUsers;
  }

  /**
   * A hash no password matches, as costly as the dearest one in the file: an unknown user's
   * password is checked against it, so the time of a refusal does not tell whether the user exists.
   * Null when no user has a salted hash (then no check costs PBKDF2).
   */
  private static PasswordHash dummy(LocalUsers users) {
    int iterations =
        users.users().stream()
            .filter(u -> u.passwordHash() != null)
            .mapToInt(u -> u.passwordHash().iterations())
            .max()
            .orElse(0);
    return iterations == 0 ? null : new PasswordHash(iterations, new byte[16], new byte[32]);
  }

  /** Spends on an unknown user what a known one would cost, and answers false. */
  private void decoyCheck(AuthRequest request) {
    PasswordHash d = dummy;
    switch (request) {
      case AuthRequest.Plain p -> {
        if (d != null) {
          d.matches(p.password());
        }
      }
      case AuthRequest.MsChapV2 m -> {
        if (m.ntResponse().length == MsChapV2.NT_RESPONSE_LENGTH
            && m.authenticatorChallenge().length == MsChapV2.CHALLENGE_LENGTH
            && m.peerChallenge().length == MsChapV2.CHALLENGE_LENGTH) {
          MsChapV2.verify(
              m.authenticatorChallenge(),
              m.peerChallenge(),
              challengeName(m.user()),
              m.ntResponse(),
              new byte[16]);
        }
      }
      case AuthRequest.ChapMd5 c -> {
        // a CHAP check is one MD5: nothing to hide
      }
    }
  }

  /** Whether the users file has {@code user} (for {@link ChainAuthenticator}). */
  public boolean knows(String user) {
    return users.find(user).isPresent();
  }

  @Override
  public CompletionStage<AuthResult> authenticate(AuthRequest request) {
    UserEntry u = users.find(request.user()).orElse(null);
    int code =
        request instanceof AuthRequest.MsChapV2 ? AuthResult.ERROR_AUTHENTICATION_FAILURE : 0;
    if (u == null) {
      decoyCheck(request);
      return done(AuthResult.failure(request.user(), "unknown user", code));
    }
    AuthResult r =
        switch (request) {
          case AuthRequest.Plain p -> plain(u, p);
          case AuthRequest.ChapMd5 c -> chap(u, c);
          case AuthRequest.MsChapV2 m -> msChapV2(u, m);
        };
    return done(r);
  }

  private static AuthResult plain(UserEntry u, AuthRequest.Plain p) {
    boolean ok;
    if (u.passwordHash() != null) {
      ok = u.passwordHash().matches(p.password());
    } else if (u.plainPassword() != null) {
      byte[] stored = u.plainPassword().bytes();
      ok = MessageDigest.isEqual(stored, p.password());
      Arrays.fill(stored, (byte) 0);
    } else {
      byte[] nt = NtHash.of(p.password());
      byte[] stored = u.ntHash();
      ok = MessageDigest.isEqual(nt, stored);
      Arrays.fill(nt, (byte) 0);
      Arrays.fill(stored, (byte) 0);
    }
    return ok ? success(u, null) : AuthResult.failure(u.name(), "wrong password", 0);
  }

  private static AuthResult chap(UserEntry u, AuthRequest.ChapMd5 c) {
    if (u.plainPassword() == null) {
      return AuthResult.failure(
          u.name(),
          "CHAP-MD5 needs the plain-text password, but only hashes are stored for this user;"
              + " store {plain}TEXT in the users file, or let the client use MS-CHAPv2 or PAP",
          0);
    }
    byte[] secret = u.plainPassword().bytes();
    boolean ok = ChapMd5.verify(c.identifier(), secret, c.challenge(), c.response());
    Arrays.fill(secret, (byte) 0);
    return ok ? success(u, null) : AuthResult.failure(u.name(), "wrong CHAP-MD5 response", 0);
  }

  private static AuthResult msChapV2(UserEntry u, AuthRequest.MsChapV2 m) {
    int code = AuthResult.ERROR_AUTHENTICATION_FAILURE;
    byte[] nt = u.ntHash();
    if (nt == null && u.plainPassword() != null) {
      byte[] plain = u.plainPassword().bytes();
      nt = NtHash.of(plain);
      Arrays.fill(plain, (byte) 0);
    }
    if (nt == null) {
      return AuthResult.failure(
          u.name(),
          "MS-CHAPv2 needs the NT hash, but only a salted hash is stored for this user;"
              + " run coati user passwd "
              + u.name()
              + " (stores both)",
          code);
    }
    if (m.authenticatorChallenge().length != MsChapV2.CHALLENGE_LENGTH
        || m.peerChallenge().length != MsChapV2.CHALLENGE_LENGTH) {
      return AuthResult.failure(u.name(), "MS-CHAPv2 challenges must be 16 bytes", code);
    }
    String response =
        MsChapV2.verify(
            m.authenticatorChallenge(),
            m.peerChallenge(),
            challengeName(m.user()),
            m.ntResponse(),
            nt);
    Arrays.fill(nt, (byte) 0);
    return response != null
        ? success(u, response)
        : AuthResult.failure(u.name(), "wrong MS-CHAPv2 response", code);
  }

  /** RFC 2759 §8.2: the ChallengeHash uses the user name "excluding any prepended domain name". */
  static byte[] challengeName(String user) {
    return user.substring(user.lastIndexOf('\\') + 1).getBytes(StandardCharsets.UTF_8);
  }

  private static AuthResult success(UserEntry u, String authenticatorResponse) {
    return AuthResult.success(u.name(), u.address(), u.maxSessions(), authenticatorResponse);
  }

  private static CompletionStage<AuthResult> done(AuthResult r) {
    return CompletableFuture.completedFuture(r);
  }
}
