package dev.coati.server.importer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The two secrets files of the classic stacks: ipsec.secrets (strongSwan/Libreswan: {@code
 * [selectors] : PSK "secret"}, {@code user : XAUTH "password"}, {@code : RSA key.pem}) and pppd's
 * chap-secrets ({@code client server secret [addresses]}).
 */
final class SecretsImport {
  private SecretsImport() {}

  static void ipsecSecrets(ImportedConfig c, String file, String text) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = IpsecConfImport.stripComment(lines[i]).strip();
      String origin = file + ":" + (i + 1);
      if (l.isEmpty()) {
        continue;
      }
      if (l.startsWith("include ")) {
        c.skip(origin, "'" + l + "': give the included file to coati import too");
        continue;
      }
      int colon = l.indexOf(':');
      if (colon < 0) {
        c.skip(origin, "no ':' between selectors and secret");
        continue;
      }
      List<String> selectors = words(l.substring(0, colon));
      List<String> rest = words(l.substring(colon + 1));
      if (rest.size() < 2) {
        c.skip(origin, "a " + (rest.isEmpty() ? "line" : rest.get(0)) + " without its secret");
        continue;
      }
      String type = rest.get(0).toUpperCase(Locale.ROOT);
      String secret = rest.get(1);
      switch (type) {
        case "PSK" -> c.psks.add(new ImportedConfig.Psk(peers(selectors), secret, origin));
        case "XAUTH", "EAP" -> {
          if (selectors.isEmpty()) {
            c.skip(origin, type + " secret without a user name");
          } else {
            c.user(new ImportedConfig.User(selectors.get(0), secret, null, origin));
          }
        }
        case "RSA", "ECDSA" -> {
          c.privateKey = secret.startsWith("/") ? secret : "/etc/ipsec.d/private/" + secret;
          if (rest.size() > 2) {
            c.skip(origin, "the key's passphrase: coati reads an unencrypted PEM key (mode 0600)");
          }
        }
        default -> c.skip(origin, "secret type " + type + " is not translated");
      }
    }
  }

  private static List<String> peers(List<String> selectors) {
    List<String> out = new ArrayList<>();
    for (String s : selectors) {
      if (s.equals("%any") || s.equals("%any6") || s.equals("0.0.0.0")) {
        continue;
      }
      out.add(s.startsWith("@") ? s.substring(1) : s);
    }
    return out.isEmpty() ? List.of("any") : out;
  }

  /** chap-secrets: one user a line; the server column is ignored, an address becomes address=. */
  static void chapSecrets(ImportedConfig c, String file, String text) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = IpsecConfImport.stripComment(lines[i]).strip();
      String origin = file + ":" + (i + 1);
      if (l.isEmpty()) {
        continue;
      }
      List<String> w = words(l);
      if (w.size() < 3) {
        c.skip(origin, "expected: client server secret [address]");
        continue;
      }
      if (w.get(0).equals("*")) {
        c.skip(origin, "a secret for any client name: coati needs one line per user");
        continue;
      }
      String address = null;
      if (w.size() > 3 && !w.get(3).equals("*") && !w.get(3).equals("-")) {
        if (IpsecConfImport.isAddress(w.get(3))) {
          address = w.get(3);
        } else {
          c.skip(origin, "address " + w.get(3) + " of " + w.get(0) + ": only one IPv4 address");
        }
      }
      c.user(new ImportedConfig.User(w.get(0), w.get(2), address, origin));
    }
  }

  /** Whitespace-separated words; double-quoted ones may hold spaces ("a b" is one word). */
  static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char ch = s.charAt(i);
      if (Character.isWhitespace(ch)) {
        i++;
      } else if (ch == '"' || ch == '\'') {
        int end = s.indexOf(ch, i + 1);
        end = end < 0 ? s.length() : end;
        out.add(s.substring(i + 1, end));
        i = end + 1;
      } else {
        int start = i;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
          i++;
        }
        out.add(s.substring(start, i));
      }
    }
    return out;
  }
}
