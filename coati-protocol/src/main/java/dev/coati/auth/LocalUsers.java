package dev.coati.auth;

import dev.coati.crypto.PasswordHash;
import dev.coati.crypto.Secret;
import dev.coati.util.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The users file: one user a line, {@code name:password:nt-hash:options}; blank lines and lines
 * starting with {@code #} are ignored.
 *
 * <pre>
 * # name:password:nt-hash:options
 * alice:$pbkdf2-sha256$i=600000$c2FsdA$aGFzaA:8846f7eaee8fb117ad06bdd830b7586c:address=10.99.99.50,max_sessions=1
 * bob:{plain}s3cret
 * carol::8846f7eaee8fb117ad06bdd830b7586c:max_sessions=2
 * </pre>
 *
 * <ul>
 *   <li>name: as the client sends it, compared case-sensitively; no ':', spaces or control chars.
 *   <li>password: empty, a {@link PasswordHash} ({@code $pbkdf2-sha256$...}), or {@code
 *       {plain}TEXT} (accepted with a warning; {@code \:} and {@code \\} escape ':' and '\').
 *   <li>nt-hash: empty or 32 hex digits, MD4 of the UTF-16LE password, for MS-CHAPv2.
 *   <li>options: comma-separated {@code address=IPv4} (static address) and {@code max_sessions=N}.
 * </ul>
 *
 * Trailing empty fields may be left out. Every bad line is reported as {@code file:line: what is
 * wrong, what to do}; password fields are never echoed.
 */
public final class LocalUsers {
  private final Map<String, UserEntry> users;
  private final List<String> warnings;

  private LocalUsers(Map<String, UserEntry> users, List<String> warnings) {
    this.users = users;
    this.warnings = List.copyOf(warnings);
  }

  /** No users (a gateway without a users file). */
  public static LocalUsers empty() {
    return new LocalUsers(Map.of(), List.of());
  }

  /**
   * Parses a whole file; {@code fileName} prefixes every message. Throws with every bad line (not
   * only the first); returns the users and the warnings (plain-text passwords) otherwise.
   */
  public static LocalUsers parse(String fileName, String text) throws UsersFileException {
    Map<String, UserEntry> users = new LinkedHashMap<>();
    Map<String, Integer> lineOfUser = new HashMap<>();
    Map<Ipv4Address, String> addressOwner = new HashMap<>();
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String where = fileName + ":" + (i + 1) + ": ";
      UserEntry u;
      try {
        u = parseLine(lines[i]);
      } catch (IllegalArgumentException e) {
        errors.add(where + e.getMessage());
        continue;
      }
      if (u == null) {
        continue;
      }
      Integer first = lineOfUser.putIfAbsent(u.name(), i + 1);
      if (first != null) {
        errors.add(
            where
                + "user '"
                + u.name()
                + "' is already defined on line "
                + first
                + "; remove one of the lines");
        continue;
      }
      if (u.address() != null) {
        String owner = addressOwner.putIfAbsent(u.address(), u.name());
        if (owner != null) {
          errors.add(
              where
                  + "address "
                  + u.address()
                  + " is already the static address of '"
                  + owner
                  + "' (line "
                  + lineOfUser.get(owner)
                  + "); give each user their own");
          continue;
        }
      }
      if (u.plainPassword() != null) {
        warnings.add(
            where
                + "user '"
                + u.name()
                + "' has a plain-text password; only CHAP-MD5"
                + " needs one: run coati user passwd "
                + u.name()
                + " to store a hash instead");
      }
      users.put(u.name(), u);
    }
    if (!errors.isEmpty()) {
      throw new UsersFileException(errors);
    }
    return new LocalUsers(users, warnings);
  }

  /**
   * Parses one line: null for a blank or comment line; throws {@link IllegalArgumentException}
   * saying what is wrong and what to do otherwise.
   */
  public static UserEntry parseLine(String line) {
    String t = line.strip();
    if (t.isEmpty() || t.startsWith("#")) {
      return null;
    }
    List<String> f = splitFields(t);
    if (f.size() > 4) {
      throw new IllegalArgumentException(
          f.size()
              + " ':'-separated fields, at most 4 allowed (name:password:nt-hash:options);"
              + " write a ':' inside a plain-text password as \\:");
    }
    String name = f.get(0);
    UserEntry.checkName(name);
    String pw = f.size() > 1 ? f.get(1) : "";
    PasswordHash hash = null;
    Secret plain = null;
    if (pw.startsWith(UserEntry.PLAIN_PREFIX)) {
      String text = pw.substring(UserEntry.PLAIN_PREFIX.length());
      if (text.isEmpty()) {
        throw new IllegalArgumentException("user '" + name + "': the plain-text password is empty");
      }
      plain = Secret.wrap(text.getBytes(StandardCharsets.UTF_8));
    } else if (!pw.isEmpty()) {
      try {
        hash = PasswordHash.parse(pw);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "user '"
                + name
                + "': bad password field: "
                + e.getMessage()
                + "; run coati user passwd "
                + name
                + " to store a new hash, or"
                + " write {plain}TEXT for a plain-text password");
      }
    }
    byte[] nt = f.size() > 2 ? ntHash(name, f.get(2)) : null;
    UserOptions o = f.size() > 3 ? UserOptions.parse(name, f.get(3)) : UserOptions.NONE;
    return new UserEntry(name, hash, plain, nt, o.address(), o.maxSessions());
  }

  private static byte[] ntHash(String name, String field) {
    if (field.isEmpty()) {
      return null;
    }
    if (!field.matches("[0-9a-fA-F]{32}")) {
      throw new IllegalArgumentException(
          "user '"
              + name
              + "': the NT hash must be 32 hex digits;"
              + " run coati user passwd "
              + name
              + " to compute it, or leave the field empty");
    }
    return HexFormat.of().parseHex(field);
  }

  /** Splits on ':' with {@code \:} and {@code \\} as escapes. */
  static List<String> splitFields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        cur.append(line.charAt(++i));
      } else if (c == ':') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  /**
   * The user for a name as the client sent it: exact (case-sensitive) match first, then, for a
   * Windows-style {@code DOMAIN\\user}, the part after the last backslash.
   */
  public Optional<UserEntry> find(String name) {
    UserEntry u = users.get(name);
    if (u == null && name.indexOf('\\') >= 0) {
      u = users.get(name.substring(name.lastIndexOf('\\') + 1));
    }
    return Optional.ofNullable(u);
  }

  /** All users in file order. */
  public List<UserEntry> users() {
    return List.copyOf(users.values());
  }

  /** Warnings for the operator (plain-text passwords), each as {@code file:line: ...}. */
  public List<String> warnings() {
    return warnings;
  }

  /** User → static address, for {@code AddressPool} reservations. */
  public Map<String, Ipv4Address> staticAddresses() {
    Map<String, Ipv4Address> out = new LinkedHashMap<>();
    for (UserEntry u : users.values()) {
      if (u.address() != null) {
        out.put(u.name(), u.address());
      }
    }
    return out;
  }
}
