package dev.coati.server.ops;

/**
 * One request line on the control socket: {@code status}, {@code status --json}, {@code kick
 * SELECTOR} (a user, an address or a session name) or {@code reload}.
 */
public record ControlRequest(Verb verb, String argument, boolean json) {
  /** What the operator asks for. */
  public enum Verb {
    STATUS,
    KICK,
    RELOAD
  }

  /** The longest request line the gateway reads (bytes, without the newline). */
  public static final int MAX_LINE = 1024;

  /** Parses a request line; IllegalArgumentException says what is wrong. */
  public static ControlRequest parse(String line) {
    String[] w = line.strip().split("\\s+");
    if (w.length == 0 || w[0].isEmpty()) {
      throw new IllegalArgumentException("empty request; expected status, kick or reload");
    }
    return switch (w[0]) {
      case "status" -> {
        if (w.length == 1) {
          yield new ControlRequest(Verb.STATUS, null, false);
        }
        if (w.length == 2 && w[1].equals("--json")) {
          yield new ControlRequest(Verb.STATUS, null, true);
        }
        throw new IllegalArgumentException("usage: status [--json]");
      }
      case "kick" -> {
        if (w.length != 2 || !selector(w[1])) {
          throw new IllegalArgumentException("usage: kick USER|ADDRESS|SESSION");
        }
        yield new ControlRequest(Verb.KICK, w[1], false);
      }
      case "reload" -> {
        if (w.length != 1) {
          throw new IllegalArgumentException("usage: reload");
        }
        yield new ControlRequest(Verb.RELOAD, null, false);
      }
      default ->
          throw new IllegalArgumentException(
              "unknown request '" + w[0] + "'; expected status, kick or reload");
    };
  }

  private static boolean selector(String s) {
    return s.length() <= 255 && s.codePoints().allMatch(c -> c > 0x20 && c != 0x7f);
  }

  /** The request line the client sends. */
  public String line() {
    return switch (verb) {
      case STATUS -> json ? "status --json" : "status";
      case KICK -> "kick " + argument;
      case RELOAD -> "reload";
    };
  }
}
