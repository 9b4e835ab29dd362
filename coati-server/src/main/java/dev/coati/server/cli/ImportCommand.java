package dev.coati.server.cli;

import dev.coati.auth.UserEntry;
import dev.coati.config.ConfigException;
import dev.coati.config.ConfigLoader;
import dev.coati.crypto.NtHash;
import dev.coati.crypto.PasswordHash;
import dev.coati.server.cli.CliOptions.UsageException;
import dev.coati.server.importer.Importer;
import dev.coati.util.Hex;
import dev.coati.util.Ipv4Address;
import dev.coati.util.RandomSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code coati import [--dir DIR] [--force] FILE...}: writes coati.yaml, its secret files and a
 * users file (PBKDF2 + NT hashes, mode 0600) translated from racoon, strongSwan, Libreswan and
 * xl2tpd/pppd files, prints what it could not translate, and loads the result as {@code coati
 * check} would.
 */
public final class ImportCommand {
  static final String USAGE =
      "usage: coati import [--dir DIR] [--force] FILE...\n"
          + "       FILE: racoon.conf (+ its psk.txt), ipsec.conf, ipsec.secrets, swanctl.conf,\n"
          + "       xl2tpd.conf, a pppd options file, chap-secrets, SoftEther's vpn_server.config;\n"
          + "       DIR defaults to coati-import";

  private final RandomSource random;
  private final int iterations;
  private final PrintStream out;
  private final PrintStream err;

  ImportCommand(RandomSource random, int iterations, PrintStream out, PrintStream err) {
    this.random = random;
    this.iterations = iterations;
    this.out = out;
    this.err = err;
  }

  /** The command with the production hash strength. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    return new ImportCommand(RandomSource.secure(), PasswordHash.DEFAULT_ITERATIONS, out, err)
        .execute(args);
  }

  int execute(List<String> args) {
    List<String> options = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--")) {
        options.add(a);
        if (a.equals("--dir") && i + 1 < args.size()) {
          options.add(args.get(++i));
        }
      } else {
        files.add(Path.of(a));
      }
    }
    try {
      CliOptions o = CliOptions.parse(options, Set.of("--dir"), Set.of("--force"));
      if (files.isEmpty()) {
        throw new UsageException("name at least one file to import");
      }
      return write(
          Importer.translate(files), Path.of(o.value("--dir", "coati-import")), o.flag("--force"));
    } catch (UsageException e) {
      err.println("coati import: " + e.getMessage());
      err.println(USAGE);
      return 2;
    } catch (Importer.ImportException e) {
      err.println("coati import: " + e.getMessage());
      return 1;
    } catch (FileAlreadyExistsException e) {
      err.println("coati import: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("coati import: cannot write: " + e.getMessage());
      return 1;
    }
  }

  private int write(Importer.Result r, Path dir, boolean force) throws IOException {
    OutputFiles files = new OutputFiles(force);
    Path config = dir.resolve("coati.yaml");
    List<Path> all = new ArrayList<>(List.of(config));
    r.secretFiles().forEach(s -> all.add(dir.resolve(s.name())));
    Path users = dir.resolve("users.txt");
    all.add(users);
    files.checkWritable(all);
    files.write(config, r.yaml().getBytes(StandardCharsets.UTF_8), false);
    for (Importer.SecretFile s : r.secretFiles()) {
      files.write(dir.resolve(s.name()), s.content().getBytes(StandardCharsets.UTF_8), true);
    }
    StringBuilder u = new StringBuilder("# users imported by coati import\n");
    for (Importer.User user : r.users()) {
      u.append(entry(user).format()).append('\n');
    }
    files.write(users, u.toString().getBytes(StandardCharsets.UTF_8), true);
    report(r, dir, config);
    return 0;
  }

  private UserEntry entry(Importer.User user) {
    Ipv4Address address = user.address() == null ? null : Ipv4Address.parse(user.address());
    if (user.password() == null) {
      return new UserEntry(user.name(), null, null, Hex.decode(user.ntHash()), address, 0);
    }
    byte[] pw = user.password().getBytes(StandardCharsets.UTF_8);
    PasswordHash hash = PasswordHash.parse(PasswordHash.hash(pw, random, iterations));
    return new UserEntry(user.name(), hash, null, NtHash.of(pw), address, 0);
  }

  private void report(Importer.Result r, Path dir, Path config) {
    out.println(
        "coati import: wrote "
            + config
            + ", "
            + r.secretFiles().size()
            + " secret file(s) and "
            + dir.resolve("users.txt")
            + " ("
            + r.users().size()
            + " user(s), PBKDF2 + NT hash, or the NT hash alone from SoftEther), secrets mode"
            + " 0600");
    if (!r.translated().isEmpty()) {
      out.println("\ncarried over or not needed:");
      r.translated().forEach(t -> out.println("  " + t));
    }
    if (!r.untranslated().isEmpty()) {
      out.println("\nnot translated (do these by hand):");
      r.untranslated().forEach(t -> out.println("  " + t));
    }
    try {
      ConfigLoader.load(config);
      out.println("\n" + config + " loads: start it with coati run --config " + config);
    } catch (ConfigException e) {
      out.println("\n" + config + " does not load yet: " + e.getMessage());
    }
  }
}
