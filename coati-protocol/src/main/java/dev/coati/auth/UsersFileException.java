package dev.coati.auth;

import java.util.List;

/** A users file with bad lines; {@link #problems()} has one {@code file:line: ...} each. */
public final class UsersFileException extends Exception {
  private final List<String> problems;

  public UsersFileException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
