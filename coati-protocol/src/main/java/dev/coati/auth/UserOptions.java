package dev.coati.auth;

import dev.coati.util.Ipv4Address;

/** The options field of a users-file line: {@code address=IPv4,max_sessions=N}. */
record UserOptions(Ipv4Address address, int maxSessions) {
  static final UserOptions NONE = new UserOptions(null, 0);

  static UserOptions parse(String user, String field) {
    Ipv4Address address = null;
    int max = 0;
    if (field.isBlank()) {
      return NONE;
    }
    for (String opt : field.split(",", -1)) {
      String o = opt.strip();
      int eq = o.indexOf('=');
      String key = eq < 0 ? o : o.substring(0, eq).strip();
      String value = eq < 0 ? "" : o.substring(eq + 1).strip();
      switch (key) {
        case "address" -> {
          try {
            address = Ipv4Address.parse(value);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "user '" + user + "': address: " + e.getMessage() + " (the user's static address)");
          }
        }
        case "max_sessions" -> max = sessions(user, value);
        default ->
            throw new IllegalArgumentException(
                "user '"
                    + user
                    + "': unknown option '"
                    + key
                    + "'; known options: address=IPv4, max_sessions=N (comma-separated)");
      }
    }
    return new UserOptions(address, max);
  }

  private static int sessions(String user, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= 1000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "user '" + user + "': max_sessions must be a number from 1 to 1000, not '" + value + "'");
  }
}
