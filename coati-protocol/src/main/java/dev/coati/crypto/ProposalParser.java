package dev.coati.crypto;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses proposal strings in strongSwan's syntax: proposals separated by ',', algorithms by '-',
 * e.g. {@code aes256-sha256-modp2048}, {@code aes128gcm16}, {@code aes256gcm16-ecp256}. A proposal
 * naming several ciphers, hashes or groups expands to their cartesian product, in the order
 * written. Legacy algorithms (DES, MD5, MODP-768/1024, ESP NULL) need {@code allowLegacy}.
 */
public final class ProposalParser {
  private record Cipher(IkeCipher ike, EspCipher esp, int bits) {}

  private static final Map<String, Cipher> CIPHERS =
      Map.ofEntries(
          Map.entry("aes", new Cipher(IkeCipher.AES_CBC, EspCipher.ESP_AES_CBC, 128)),
          Map.entry("aes128", new Cipher(IkeCipher.AES_CBC, EspCipher.ESP_AES_CBC, 128)),
          Map.entry("aes192", new Cipher(IkeCipher.AES_CBC, EspCipher.ESP_AES_CBC, 192)),
          Map.entry("aes256", new Cipher(IkeCipher.AES_CBC, EspCipher.ESP_AES_CBC, 256)),
          Map.entry("3des", new Cipher(IkeCipher.TDES_CBC, EspCipher.ESP_3DES, 192)),
          Map.entry("des", new Cipher(IkeCipher.DES_CBC, EspCipher.ESP_DES, 64)),
          Map.entry("null", new Cipher(null, EspCipher.ESP_NULL, 0)));

  private static final Map<String, EspCipher> GCM_ICV =
      Map.of(
          "8", EspCipher.ESP_AES_GCM_8,
          "64", EspCipher.ESP_AES_GCM_8,
          "12", EspCipher.ESP_AES_GCM_12,
          "96", EspCipher.ESP_AES_GCM_12,
          "16", EspCipher.ESP_AES_GCM_16,
          "128", EspCipher.ESP_AES_GCM_16);

  private static final Map<String, HashAlg> HASHES =
      Map.of(
          "md5", HashAlg.MD5,
          "sha", HashAlg.SHA1,
          "sha1", HashAlg.SHA1,
          "sha256", HashAlg.SHA2_256,
          "sha2_256", HashAlg.SHA2_256,
          "sha384", HashAlg.SHA2_384,
          "sha2_384", HashAlg.SHA2_384,
          "sha512", HashAlg.SHA2_512,
          "sha2_512", HashAlg.SHA2_512);

  private static final Map<String, DhGroup> GROUPS =
      Map.ofEntries(
          Map.entry("modp768", DhGroup.MODP_768),
          Map.entry("modp1024", DhGroup.MODP_1024),
          Map.entry("modp1536", DhGroup.MODP_1536),
          Map.entry("modp2048", DhGroup.MODP_2048),
          Map.entry("modp3072", DhGroup.MODP_3072),
          Map.entry("modp4096", DhGroup.MODP_4096),
          Map.entry("modp6144", DhGroup.MODP_6144),
          Map.entry("modp8192", DhGroup.MODP_8192),
          Map.entry("ecp256", DhGroup.ECP_256),
          Map.entry("ecp384", DhGroup.ECP_384),
          Map.entry("ecp521", DhGroup.ECP_521),
          Map.entry("curve25519", DhGroup.CURVE25519),
          Map.entry("x25519", DhGroup.CURVE25519));

  private ProposalParser() {}

  /** Parses IKE (phase 1) proposals: each needs a cipher, a hash and a DH group. */
  public static List<IkeProposalSpec> parseIke(String text, boolean allowLegacy) {
    List<IkeProposalSpec> out = new ArrayList<>();
    for (String proposal : split(text)) {
      List<Cipher> ciphers = new ArrayList<>();
      List<HashAlg> hashes = new ArrayList<>();
      List<DhGroup> groups = new ArrayList<>();
      for (String tok : proposal.split("-")) {
        if (CIPHERS.containsKey(tok) && CIPHERS.get(tok).ike() != null) {
          ciphers.add(CIPHERS.get(tok));
        } else if (HASHES.containsKey(tok)) {
          hashes.add(HASHES.get(tok));
        } else if (GROUPS.containsKey(tok)) {
          groups.add(GROUPS.get(tok));
        } else if (!tok.startsWith("prf")) {
          throw unknown(tok, proposal, "IKE");
        }
      }
      require(!ciphers.isEmpty(), proposal, "an encryption algorithm (e.g. aes256)");
      require(!hashes.isEmpty(), proposal, "a hash (e.g. sha256)");
      require(!groups.isEmpty(), proposal, "a DH group (e.g. modp2048, ecp256)");
      for (Cipher c : ciphers) {
        for (HashAlg h : hashes) {
          for (DhGroup g : groups) {
            legacy(allowLegacy, proposal, c.ike().legacy() || h.legacy() || g.legacy());
            out.add(new IkeProposalSpec(c.ike(), c.bits(), h, null, g));
          }
        }
      }
    }
    return List.copyOf(out);
  }

  /** Parses ESP (quick mode) proposals: a cipher, an integrity algorithm unless GCM, PFS group. */
  public static List<EspProposalSpec> parseEsp(String text, boolean allowLegacy) {
    List<EspProposalSpec> out = new ArrayList<>();
    for (String proposal : split(text)) {
      List<Cipher> ciphers = new ArrayList<>();
      List<EspAuth> auths = new ArrayList<>();
      List<DhGroup> groups = new ArrayList<>();
      for (String tok : proposal.split("-")) {
        Cipher gcm = gcm(tok);
        if (gcm != null) {
          ciphers.add(gcm);
        } else if (CIPHERS.containsKey(tok)) {
          ciphers.add(CIPHERS.get(tok));
        } else if (HASHES.containsKey(tok)) {
          auths.add(espAuth(HASHES.get(tok)));
        } else if (tok.equals("sha256_96")) {
          auths.add(EspAuth.HMAC_SHA2_256_96);
        } else if (GROUPS.containsKey(tok)) {
          groups.add(GROUPS.get(tok));
        } else if (!tok.equals("noesn") && !tok.equals("esn")) {
          throw unknown(tok, proposal, "ESP");
        }
      }
      require(!ciphers.isEmpty(), proposal, "an encryption algorithm (e.g. aes128, aes128gcm16)");
      for (Cipher c : ciphers) {
        List<EspAuth> as = new ArrayList<>(auths);
        if (c.esp().aead()) {
          require(auths.isEmpty(), proposal, "no integrity algorithm with AES-GCM");
          as.add(null);
        } else {
          require(!auths.isEmpty(), proposal, "an integrity algorithm (e.g. sha1, sha256)");
        }
        List<DhGroup> gs = groups.isEmpty() ? Collections.singletonList(null) : groups;
        for (EspAuth a : as) {
          for (DhGroup g : gs) {
            boolean old =
                c.esp().legacy() || (a != null && a.legacy()) || (g != null && g.legacy());
            legacy(allowLegacy, proposal, old);
            out.add(new EspProposalSpec(c.esp(), c.bits(), a, g));
          }
        }
      }
    }
    return List.copyOf(out);
  }

  private static Cipher gcm(String tok) {
    Matcher m = Pattern.compile("aes(128|192|256)gcm(\\d+)").matcher(tok);
    if (!m.matches() || !GCM_ICV.containsKey(m.group(2))) {
      return null;
    }
    return new Cipher(null, GCM_ICV.get(m.group(2)), Integer.parseInt(m.group(1)));
  }

  private static EspAuth espAuth(HashAlg h) {
    return switch (h) {
      case MD5 -> EspAuth.HMAC_MD5_96;
      case SHA1 -> EspAuth.HMAC_SHA1_96;
      case SHA2_256 -> EspAuth.HMAC_SHA2_256_128;
      case SHA2_384 -> EspAuth.HMAC_SHA2_384_192;
      case SHA2_512 -> EspAuth.HMAC_SHA2_512_256;
    };
  }

  private static List<String> split(String text) {
    List<String> out = new ArrayList<>();
    for (String p : text.toLowerCase(Locale.ROOT).split(",")) {
      String t = p.strip();
      if (t.endsWith("!")) {
        t = t.substring(0, t.length() - 1);
      }
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("empty proposal list");
    }
    return out;
  }

  private static IllegalArgumentException unknown(String tok, String proposal, String what) {
    return new IllegalArgumentException(
        "unknown " + what + " algorithm '" + tok + "' in proposal '" + proposal + "'");
  }

  private static void require(boolean ok, String proposal, String what) {
    if (!ok) {
      throw new IllegalArgumentException("proposal '" + proposal + "' needs " + what);
    }
  }

  private static void legacy(boolean allowLegacy, String proposal, boolean isLegacy) {
    if (isLegacy && !allowLegacy) {
      throw new IllegalArgumentException(
          "proposal '"
              + proposal
              + "' uses a legacy algorithm; enable legacy algorithms to use it");
    }
  }

  static String name(IkeCipher c, int bits) {
    return switch (c) {
      case AES_CBC -> "aes" + bits;
      case TDES_CBC -> "3des";
      case DES_CBC -> "des";
    };
  }

  static String name(HashAlg h) {
    return switch (h) {
      case MD5 -> "md5";
      case SHA1 -> "sha1";
      case SHA2_256 -> "sha256";
      case SHA2_384 -> "sha384";
      case SHA2_512 -> "sha512";
    };
  }

  static String name(DhGroup g) {
    return g == DhGroup.CURVE25519
        ? "curve25519"
        : g.name().toLowerCase(Locale.ROOT).replace("_", "");
  }
}
