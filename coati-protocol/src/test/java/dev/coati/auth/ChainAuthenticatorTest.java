package dev.coati.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ChainAuthenticatorTest {
  @Test
  void localUsersStayLocal_othersGoToTheNext() throws UsersFileException {
    LocalAuthenticator local =
        new LocalAuthenticator(LocalUsers.parse("users.txt", "carol:{plain}carol-pass\n"));
    List<String> asked = new ArrayList<>();
    Authenticator remote =
        r -> {
          asked.add(r.user());
          return CompletableFuture.completedFuture(AuthResult.success(r.user(), null, 0, null));
        };
    ChainAuthenticator chain = new ChainAuthenticator(local, remote);
    assertTrue(auth(chain, "carol", "carol-pass").success());
    AuthResult wrong = auth(chain, "carol", "nope");
    assertFalse(wrong.success());
    assertEquals("wrong password", wrong.reason());
    assertTrue(auth(chain, "alice", "x").success());
    assertEquals(List.of("alice"), asked);
  }

  private static AuthResult auth(Authenticator a, String user, String pw) {
    return a.authenticate(new AuthRequest.Plain(user, pw.getBytes(StandardCharsets.UTF_8)))
        .toCompletableFuture()
        .join();
  }
}
