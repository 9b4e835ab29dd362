package dev.coati.auth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer target: the users file as {@code coati user add} writes it and operators edit it (names,
 * password hashes, options, comments), parsed whole. Only {@link UsersFileException} may escape,
 * and every user it accepts can be looked up again.
 */
class LocalUsersFuzzTest {
  @FuzzTest
  void parse(byte[] file) {
    String text = new String(file, StandardCharsets.UTF_8);
    LocalUsers users;
    try {
      users = LocalUsers.parse("users.txt", text);
    } catch (UsersFileException expected) {
      return;
    }
    users.warnings();
    users.staticAddresses();
    for (UserEntry u : users.users()) {
      if (users.find(u.name()).isEmpty()) {
        throw new AssertionError("accepted user " + u.name() + " cannot be found");
      }
    }
  }
}
