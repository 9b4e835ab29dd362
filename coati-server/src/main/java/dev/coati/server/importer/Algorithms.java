package dev.coati.server.importer;

import dev.coati.crypto.ProposalParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Algorithm and duration names of racoon and of the ipsec.conf dialects, in coati's words. */
final class Algorithms {
  private static final Map<String, String> RACOON_CIPHERS =
      Map.of(
          "aes",
          "aes",
          "3des",
          "3des",
          "des",
          "des",
          "aes128",
          "aes128",
          "aes192",
          "aes192",
          "aes256",
          "aes256",
          "rijndael",
          "aes");
  private static final Map<String, String> RACOON_HASHES =
      Map.ofEntries(
          Map.entry("sha1", "sha1"),
          Map.entry("md5", "md5"),
          Map.entry("sha256", "sha256"),
          Map.entry("sha384", "sha384"),
          Map.entry("sha512", "sha512"),
          Map.entry("sha2_256", "sha256"),
          Map.entry("sha2_384", "sha384"),
          Map.entry("sha2_512", "sha512"),
          Map.entry("hmac_sha1", "sha1"),
          Map.entry("hmac_md5", "md5"),
          Map.entry("hmac_sha256", "sha256"),
          Map.entry("hmac_sha384", "sha384"),
          Map.entry("hmac_sha512", "sha512"),
          Map.entry("hmac_sha2_256", "sha256"),
          Map.entry("hmac_sha2_384", "sha384"),
          Map.entry("hmac_sha2_512", "sha512"));
  private static final Map<String, String> DH =
      Map.ofEntries(
          Map.entry("1", "modp768"),
          Map.entry("2", "modp1024"),
          Map.entry("5", "modp1536"),
          Map.entry("14", "modp2048"),
          Map.entry("15", "modp3072"),
          Map.entry("16", "modp4096"),
          Map.entry("17", "modp6144"),
          Map.entry("18", "modp8192"),
          Map.entry("19", "ecp256"),
          Map.entry("20", "ecp384"),
          Map.entry("21", "ecp521"),
          Map.entry("modp768", "modp768"),
          Map.entry("modp1024", "modp1024"),
          Map.entry("modp1536", "modp1536"),
          Map.entry("modp2048", "modp2048"),
          Map.entry("modp3072", "modp3072"),
          Map.entry("modp4096", "modp4096"),
          Map.entry("modp6144", "modp6144"),
          Map.entry("modp8192", "modp8192"));

  private Algorithms() {}

  /**
   * racoon's "aes 256" / "aes" / "3des" as strongSwan's aes256 / aes128 / 3des; null if unknown.
   */
  static String racoonCipher(String name, String bits) {
    String c = RACOON_CIPHERS.get(name.toLowerCase(Locale.ROOT));
    if (c == null) {
      return null;
    }
    if (c.equals("aes")) {
      return "aes" + (bits == null ? "128" : bits);
    }
    return c;
  }

  static String racoonHash(String name) {
    return RACOON_HASHES.get(name.toLowerCase(Locale.ROOT));
  }

  /** A DH group by racoon number/name or the strongSwan name; null if unknown. */
  static String dhGroup(String name) {
    return DH.get(name.toLowerCase(Locale.ROOT));
  }

  /** Splits a racoon algorithm list ("aes 256, aes, 3des") into (name, bits) pairs. */
  static List<String[]> racoonList(List<String> words) {
    List<String[]> out = new ArrayList<>();
    String joined = String.join(" ", words.subList(1, words.size()));
    for (String item : joined.split(",")) {
      String[] p = item.trim().split("\\s+");
      if (!p[0].isEmpty()) {
        out.add(new String[] {p[0], p.length > 1 ? p[1] : null});
      }
    }
    return out;
  }

  /**
   * An ipsec.conf proposal list (strongSwan "aes256-sha1-modp2048!", Libreswan
   * "aes256-sha1;modp2048") as coati proposals; the ones coati cannot parse are returned in {@code
   * bad}.
   */
  static List<String> proposals(String value, boolean ike, List<String> bad) {
    List<String> out = new ArrayList<>();
    for (String p : value.split(",")) {
      String s = p.trim().replace("!", "").replace(";", "-").toLowerCase(Locale.ROOT);
      if (s.isEmpty()) {
        continue;
      }
      if (valid(s, ike)) {
        out.add(s);
      } else {
        bad.add(p.trim());
      }
    }
    return out;
  }

  static boolean valid(String proposal, boolean ike) {
    try {
      if (ike) {
        ProposalParser.parseIke(proposal, true);
      } else {
        ProposalParser.parseEsp(proposal, true);
      }
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * A duration as coati writes it (30s, 45m, 8h) from racoon's "1 hour" / "30 min" / "3600 sec" or
   * ipsec.conf's "8h", "60m", "3600s", "3600"; null if it does not parse.
   */
  static String duration(String number, String unit) {
    long n;
    try {
      n = Long.parseLong(number);
    } catch (NumberFormatException e) {
      return null;
    }
    String u = unit == null ? "s" : unit.toLowerCase(Locale.ROOT);
    long seconds;
    if (u.startsWith("h")) {
      seconds = n * 3600;
    } else if (u.startsWith("m")) {
      seconds = n * 60;
    } else if (u.startsWith("d")) {
      seconds = n * 86400;
    } else if (u.startsWith("s")) {
      seconds = n;
    } else {
      return null;
    }
    if (seconds > 0 && seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds > 0 && seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }

  /** "8h", "3600s", "45m", "3600" as {@link #duration(String, String)} does. */
  static String duration(String text) {
    String t = text.trim();
    int i = 0;
    while (i < t.length() && Character.isDigit(t.charAt(i))) {
      i++;
    }
    return i == 0 ? null : duration(t.substring(0, i), i == t.length() ? "s" : t.substring(i));
  }
}
