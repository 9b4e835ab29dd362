package dev.coati.server.importer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code coati import}: reads the files of the stacks coati replaces (racoon.conf and its PSK file;
 * strongSwan/Libreswan ipsec.conf + ipsec.secrets; swanctl.conf; xl2tpd.conf + the pppd options
 * file + chap-secrets) and translates them into one coati configuration, its secret files and its
 * users, listing every statement it could not translate with file and line.
 */
public final class Importer {
  /** The kinds of input file, in the order they are read (secrets after what names them). */
  public enum Kind {
    RACOON,
    IPSEC_CONF,
    SWANCTL,
    XL2TPD,
    PPP_OPTIONS,
    IPSEC_SECRETS,
    CHAP_SECRETS,
    /** SoftEther VPN Server's vpn_server.config. */
    SOFTETHER,
    /** racoon's pre-shared key file ("identifier key" lines), read through racoon.conf's path. */
    RACOON_PSK
  }

  /** A secret file to write beside the configuration (mode 0600). */
  public record SecretFile(String name, String content) {}

  /**
   * A user with the clear-text password found (or, from SoftEther, only the NT hash in hex), and
   * the static address if one was given.
   */
  public record User(String name, String password, String ntHash, String address) {}

  /** The translation: the YAML, its files, the users, and what was and was not carried over. */
  public record Result(
      String yaml,
      List<SecretFile> secretFiles,
      List<User> users,
      List<String> translated,
      List<String> untranslated,
      boolean chapWanted) {}

  /** An input that cannot be read or parsed at all. */
  public static final class ImportException extends Exception {
    public ImportException(String message) {
      super(message);
    }
  }

  private Importer() {}

  /** Translates {@code files}; each one's kind comes from its name or, failing that, its text. */
  public static Result translate(List<Path> files) throws ImportException {
    record Input(Path path, Kind kind, String text) {}
    List<Input> inputs = new ArrayList<>();
    for (Path f : files) {
      String text;
      try {
        text = Files.readString(f, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ImportException(f + ": cannot read it: " + e.getMessage());
      }
      Kind kind = kind(f, text);
      if (kind == null) {
        throw new ImportException(
            f
                + ": not a file coati import knows (racoon.conf, ipsec.conf,"
                + " ipsec.secrets, swanctl.conf, xl2tpd.conf, a pppd options file, chap-secrets,"
                + " SoftEther's vpn_server.config)");
      }
      inputs.add(new Input(f, kind, text));
    }
    inputs.sort(Comparator.comparing(Input::kind));
    ImportedConfig c = new ImportedConfig();
    L2tpImport l2tp = new L2tpImport(c);
    boolean optionsGiven = inputs.stream().anyMatch(i -> i.kind() == Kind.PPP_OPTIONS);
    for (Input in : inputs) {
      String name = in.path().toString();
      try {
        switch (in.kind()) {
          case RACOON -> new RacoonImport(c, in.path(), files).run(in.text());
          case IPSEC_CONF -> new IpsecConfImport(c, name).run(in.text());
          case SWANCTL -> new SwanctlImport(c, name).run(in.text());
          case XL2TPD -> {
            String opt = l2tp.xl2tpd(name, in.text());
            if (opt != null && !optionsGiven) {
              pppOptionFile(c, l2tp, Path.of(opt), in.path());
            }
          }
          case PPP_OPTIONS -> l2tp.pppOptions(name, in.text());
          case IPSEC_SECRETS -> SecretsImport.ipsecSecrets(c, name, in.text());
          case CHAP_SECRETS -> SecretsImport.chapSecrets(c, name, in.text());
          case SOFTETHER -> new SoftEtherImport(c, name).run(in.text());
          case RACOON_PSK -> {
            if (inputs.stream().noneMatch(i -> i.kind() == Kind.RACOON)) {
              c.skip(name, "a racoon pre-shared key file without racoon.conf: not used");
            }
          }
        }
      } catch (BraceConfig.SyntaxException e) {
        throw new ImportException(name + ": " + e.getMessage());
      } catch (IOException e) {
        throw new ImportException(name + ": " + e.getMessage());
      }
    }
    l2tp.finish();
    boolean chap = c.pppAuth.remove("chap") && !c.users.isEmpty();
    if (chap) {
      c.skip(
          "l2tp.auth",
          "CHAP-MD5 needs each password stored in clear ({plain}); the users were"
              + " stored as hashes, so chap is left out (Windows, macOS and Android use MS-CHAPv2)");
    }
    if (c.remoteAccess() && c.pool == null) {
      c.skip(
          "remote_access.pool",
          "no address pool found: set remote_access.pool and" + " dataplane.address by hand");
    }
    List<ConfigYaml.SecretFile> secrets = new ArrayList<>();
    String yaml = ConfigYaml.render(c, secrets);
    return new Result(
        yaml,
        secrets.stream().map(s -> new SecretFile(s.name(), s.content())).toList(),
        c.users.values().stream()
            .map(u -> new User(u.name(), u.password(), u.ntHash(), u.address()))
            .toList(),
        c.translated.stream().map(ImportedConfig.Note::toString).toList(),
        c.untranslated.stream().map(ImportedConfig.Note::toString).toList(),
        chap);
  }

  private static void pppOptionFile(ImportedConfig c, L2tpImport l2tp, Path opt, Path xl2tpd)
      throws IOException {
    Path p =
        Files.isReadable(opt)
            ? opt
            : xl2tpd.toAbsolutePath().getParent().resolve(opt.getFileName());
    if (Files.isReadable(p)) {
      l2tp.pppOptions(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
    } else {
      c.skip(xl2tpd.toString(), "pppoptfile " + opt + " cannot be read: give it to coati import");
    }
  }

  /** The kind of a file by its name, else by what its text looks like; null if neither. */
  public static Kind kind(Path file, String text) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.startsWith("vpn_server") || text.contains("declare root")) {
      return Kind.SOFTETHER;
    }
    if (n.startsWith("racoon")) {
      return Kind.RACOON;
    }
    if (n.startsWith("swanctl")) {
      return Kind.SWANCTL;
    }
    if (n.endsWith(".secrets") && n.contains("ipsec")) {
      return Kind.IPSEC_SECRETS;
    }
    if (n.startsWith("ipsec") && n.endsWith(".conf")) {
      return Kind.IPSEC_CONF;
    }
    if (n.startsWith("xl2tpd")) {
      return Kind.XL2TPD;
    }
    if (n.contains("chap-secrets") || n.contains("pap-secrets")) {
      return Kind.CHAP_SECRETS;
    }
    if (n.startsWith("options")) {
      return Kind.PPP_OPTIONS;
    }
    if (n.contains("psk")) {
      return Kind.RACOON_PSK;
    }
    if (text.contains("sainfo") || text.contains("remote anonymous")) {
      return Kind.RACOON;
    }
    if (text.contains("connections {") || text.contains("connections{")) {
      return Kind.SWANCTL;
    }
    if (text.contains("[lns")) {
      return Kind.XL2TPD;
    }
    if (text.matches("(?s).*(^|\\n)conn \\S+.*")) {
      return Kind.IPSEC_CONF;
    }
    if (text.matches("(?s).*:\\s*(PSK|XAUTH|RSA|EAP)\\s.*")) {
      return Kind.IPSEC_SECRETS;
    }
    return null;
  }
}
