package dev.coati.auth;

import dev.coati.crypto.PasswordHash;
import dev.coati.crypto.Secret;
import dev.coati.util.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One user of the users file: {@code name:password:nt-hash:options} (see {@link LocalUsers} for the
 * format). At least one credential is present: a salted hash (PAP/Xauth), a plain-text password
 * (every method, CHAP-MD5 needs it) or an NT hash (MS-CHAPv2, and PAP/Xauth against it).
 *
 * @param maxSessions the per-user session limit, 0 for none
 */
public record UserEntry(
    String name,
    PasswordHash passwordHash,
    Secret plainPassword,
    byte[] ntHash,
    Ipv4Address address,
    int maxSessions) {

  /** Marks a plain-text password in the password field. */
  public static final String PLAIN_PREFIX = "{plain}";

  public UserEntry {
    checkName(name);
    ntHash = ntHash == null ? null : ntHash.clone();
    if (passwordHash == null && plainPassword == null && ntHash == null) {
      throw new IllegalArgumentException(
          "user '"
              + name
              + "' has neither a password hash nor an NT hash; run: coati user passwd "
              + name);
    }
    if (maxSessions < 0) {
      throw new IllegalArgumentException("max_sessions must be 1 or more (0: no limit)");
    }
  }

  /**
   * Refuses names the file cannot hold: empty, with ':' (the separator), '\' (the escape, and the
   * {@code DOMAIN\\user} separator), whitespace or control characters, or starting with '#'.
   */
  public static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("the user name is empty");
    }
    if (name.length() > 253) {
      throw new IllegalArgumentException("the user name is longer than 253 characters");
    }
    if (name.startsWith("#")
        || name.chars()
            .anyMatch(c -> c == ':' || c == '\\' || Character.isWhitespace(c) || c < 0x20)) {
      throw new IllegalArgumentException(
          "user name '"
              + name
              + "' may not contain ':', '\\', spaces or control characters,"
              + " nor start with '#'");
    }
  }

  @Override
  public byte[] ntHash() {
    return ntHash == null ? null : ntHash.clone();
  }

  public Optional<Ipv4Address> staticAddress() {
    return Optional.ofNullable(address);
  }

  /** A copy with other credentials (after {@code coati user passwd}); attributes stay. */
  public UserEntry withCredentials(PasswordHash hash, Secret plain, byte[] nt) {
    return new UserEntry(name, hash, plain, nt, address, maxSessions);
  }

  /** The entry as one line of the users file; empty trailing fields are left out. */
  public String format() {
    List<String> fields = new ArrayList<>();
    fields.add(name);
    fields.add(
        passwordHash != null
            ? passwordHash.encode()
            : plainPassword != null ? PLAIN_PREFIX + escape(plainText()) : "");
    fields.add(ntHash == null ? "" : HexFormat.of().formatHex(ntHash));
    List<String> options = new ArrayList<>();
    if (address != null) {
      options.add("address=" + address);
    }
    if (maxSessions > 0) {
      options.add("max_sessions=" + maxSessions);
    }
    fields.add(String.join(",", options));
    while (fields.getLast().isEmpty()) {
      fields.removeLast();
    }
    return String.join(":", fields);
  }

  private String plainText() {
    return new String(plainPassword.bytes(), StandardCharsets.UTF_8);
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace(":", "\\:");
  }

  /** Never shows credentials, only which kinds are stored. */
  @Override
  public String toString() {
    return "UserEntry[" + name + ", " + credentialKinds() + "]";
  }

  /** The kinds of credentials stored, e.g. {@code password-hash+nt-hash}, for listings. */
  public String credentialKinds() {
    List<String> kinds = new ArrayList<>();
    if (passwordHash != null) {
      kinds.add("password-hash");
    }
    if (plainPassword != null) {
      kinds.add("plain-text");
    }
    if (ntHash != null) {
      kinds.add("nt-hash");
    }
    return String.join("+", kinds);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UserEntry u && u.format().equals(format());
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }
}
