package dev.coati.server.cli;

import dev.coati.auth.UserEntry;
import dev.coati.crypto.NtHash;
import dev.coati.crypto.PasswordHash;
import dev.coati.crypto.pki.CertificateIssuer;
import dev.coati.crypto.pki.CertificateProfiles;
import dev.coati.crypto.pki.KeyType;
import dev.coati.crypto.pki.PemFiles;
import dev.coati.crypto.pki.PkiException;
import dev.coati.server.cli.CliOptions.UsageException;
import dev.coati.util.Ipv4Address;
import dev.coati.util.RandomSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code coati demo}: writes a complete Cisco-style remote-access gateway into one directory (the
 * configuration, a random group PSK, a users file with user {@code demo} and a random password, a
 * demo CA and server certificate for hybrid RSA) and prints what to enter on each client. The
 * secrets are printed once to standard output and stored only in their 0600 files (the password
 * only as PBKDF2 and NT hashes); nothing is overwritten without {@code --force}.
 */
public final class DemoCommand {
  static final String USAGE =
      "usage: coati demo [--dir DIR] [--address IPV4] [--name DNS-NAME] [--force]\n"
          + "       DIR defaults to demo, the listen address to 127.0.0.1, the gateway's name"
          + " to vpn.example.com";

  /** The group name: Cisco's "group", Apple's "Group Name", Android's "IPSec identifier". */
  static final String GROUP = "vpngroup";

  static final String USER = "demo";
  static final String CONFIG = "coati.yaml";
  static final String PSK_FILE = "psk.txt";
  static final String USERS_FILE = "users.txt";
  static final String PKI_DIR = "pki";

  /** The embedded default's copy of the demo password (0600), for the instructions of a restart. */
  static final String PASSWORD_FILE = "demo-password.txt";

  private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
  private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(10);

  private final RandomSource random;
  private final int iterations;
  private final Supplier<Instant> clock;
  private final PrintStream out;
  private final PrintStream err;

  /** For {@code coati run}'s embedded default: real randomness and hash cost. */
  static DemoCommand embedded(PrintStream out, PrintStream err) {
    return new DemoCommand(
        RandomSource.secure(), PasswordHash.DEFAULT_ITERATIONS, Instant::now, out, err);
  }

  DemoCommand(
      RandomSource random,
      int iterations,
      Supplier<Instant> clock,
      PrintStream out,
      PrintStream err) {
    this.random = random;
    this.iterations = iterations;
    this.clock = clock;
    this.out = out;
    this.err = err;
  }

  /** Entry from {@code Main}: {@code args} are the words after {@code demo}. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    return new DemoCommand(
            RandomSource.secure(), PasswordHash.DEFAULT_ITERATIONS, Instant::now, out, err)
        .execute(args);
  }

  /** Runs the command; returns the exit code (0 written, 1 failed or refused, 2 usage). */
  int execute(List<String> args) {
    try {
      CliOptions o =
          CliOptions.parse(args, Set.of("--dir", "--address", "--name"), Set.of("--force"));
      Settings s = settings(o);
      DemoSecrets secrets = write(s, o.flag("--force"));
      DemoInstructions.print(s, secrets, out);
      return 0;
    } catch (UsageException e) {
      err.println("coati demo: " + e.getMessage());
      err.println(USAGE);
      return 2;
    } catch (IOException | PkiException | CommandException e) {
      err.println("coati demo: " + e.getMessage());
      return 1;
    }
  }

  /** What the user chose: the directory as typed (for the printed commands), address and name. */
  record Settings(String dirText, Path dir, String address, String name) {
    boolean wildcard() {
      return address.equals("0.0.0.0");
    }

    /** The configuration file as the user would type it. */
    String configText() {
      return dirText.endsWith("/") ? dirText + CONFIG : dirText + "/" + CONFIG;
    }
  }

  /** The generated secrets, to be printed once. */
  record DemoSecrets(String psk, String password) {
    @Override
    public String toString() {
      return "DemoSecrets[hidden]";
    }
  }

  private static Settings settings(CliOptions o) {
    String dirText = o.value("--dir", "demo");
    String address = o.value("--address", "127.0.0.1");
    try {
      address = Ipv4Address.parse(address).toString();
    } catch (IllegalArgumentException e) {
      throw new UsageException("--address: expected an IPv4 address such as 192.0.2.1");
    }
    String name = o.value("--name", "vpn.example.com");
    if (!name.matches(
            "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+")
        || name.matches("[0-9.]+")) {
      throw new UsageException("--name: expected a DNS name such as vpn.example.com");
    }
    return new Settings(dirText, Path.of(dirText), address, name);
  }

  /**
   * The embedded default of {@code coati run}: the demo in the state directory, its control socket
   * there too, and the password kept in a 0600 file so that a later start prints the same settings.
   */
  DemoSecrets writeEmbedded(Settings s) throws IOException, PkiException, CommandException {
    String config =
        DemoInstructions.config(s)
            + "control:\n  socket: coati.sock              # coati status --state-dir "
            + s.dirText()
            + "\n";
    DemoSecrets secrets = write(s, false, config);
    byte[] pw = (secrets.password() + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      new OutputFiles(false).write(s.dir().resolve(PASSWORD_FILE), pw, true);
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
    return secrets;
  }

  private DemoSecrets write(Settings s, boolean force) throws IOException, CommandException {
    return write(s, force, DemoInstructions.config(s));
  }

  private DemoSecrets write(Settings s, boolean force, String configText)
      throws IOException, CommandException {
    Path pki = s.dir().resolve(PKI_DIR);
    Path config = s.dir().resolve(CONFIG);
    Path pskFile = s.dir().resolve(PSK_FILE);
    Path usersFile = s.dir().resolve(USERS_FILE);
    List<Path> certFiles =
        List.of(
            pki.resolve("ca.pem"),
            pki.resolve("ca.key"),
            pki.resolve(s.name() + ".pem"),
            pki.resolve(s.name() + ".key"));
    List<Path> all = new ArrayList<>(List.of(config, pskFile, usersFile));
    all.addAll(certFiles);
    if (!force) {
      for (Path f : all) {
        if (Files.exists(f)) {
          throw new CommandException(
              1,
              f
                  + " exists: there is a demo (or other files) in "
                  + s.dir()
                  + " already; use --force to replace it (new PSK, password and certificates;"
                  + " other users in "
                  + USERS_FILE
                  + " stay), or choose another --dir");
        }
      }
    }
    String psk = secret(20);
    String password = secret(15);
    UserEntry user = user(password);
    List<byte[]> pems = certificates(s); // everything made before anything is written
    OutputFiles files = new OutputFiles(force);
    byte[] pskBytes = (psk + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      files.write(pskFile, pskBytes, true);
    } finally {
      Arrays.fill(pskBytes, (byte) 0);
    }
    addUser(usersFile, s, user);
    for (int i = 0; i < certFiles.size(); i++) {
      files.write(certFiles.get(i), pems.get(i), certFiles.get(i).toString().endsWith(".key"));
    }
    files.write(config, configText.getBytes(StandardCharsets.UTF_8), false);
    return new DemoSecrets(psk, password);
  }

  /**
   * User {@code demo} with the PBKDF2 hash (Xauth, PAP) and NT hash (MS-CHAPv2) of the password.
   */
  private UserEntry user(String password) {
    byte[] pw = password.getBytes(StandardCharsets.UTF_8);
    try {
      PasswordHash hash = PasswordHash.parse(PasswordHash.hash(pw, random, iterations));
      return new UserEntry(USER, hash, null, NtHash.of(pw), null, 0);
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }

  /** Adds (or, after --force, replaces) user {@code demo} through the users-file code. */
  private void addUser(Path file, Settings s, UserEntry entry)
      throws IOException, CommandException {
    new UsersFile(file, err)
        .edit(
            lines -> {
              List<String> result = new ArrayList<>(lines);
              if (result.isEmpty()) {
                result.add("# coati users: name:password-hash:nt-hash:options (README)");
                result.add("# add more with: coati user add NAME --config " + s.configText());
              }
              int i = UserCommand.lineIndex(result, USER);
              if (i >= 0) {
                result.set(i, entry.format());
              } else {
                result.add(entry.format());
              }
              return result;
            },
            LOCK_TIMEOUT);
  }

  /**
   * The demo CA and the gateway's certificate (name and address as subjectAltNames), as PEM: CA
   * certificate, CA key, server certificate, server key.
   */
  private List<byte[]> certificates(Settings s) {
    Instant now = clock.get();
    CertificateIssuer issuer = new CertificateIssuer(random);
    KeyPair caKeys = KeyType.RSA_2048.generate(random);
    var ca = issuer.selfSigned(CertificateProfiles.ca("coati demo CA", now, 3650), caKeys);
    List<String> ips = s.wildcard() ? List.of() : List.of(s.address());
    var spec =
        CertificateProfiles.server(
            s.name(), ips, true, now, CertificateProfiles.APPLE_MAX_SERVER_DAYS);
    KeyPair keys = KeyType.RSA_2048.generate(random);
    var cert = issuer.issue(spec, keys.getPublic(), ca, caKeys.getPrivate());
    return List.of(pem(ca), pem(caKeys.getPrivate()), pem(cert), pem(keys.getPrivate()));
  }

  private static byte[] pem(Object o) {
    return PemFiles.encode(o).getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * A random secret of {@code n} characters from 32 letters and digits without look-alikes (5 bits
   * each), in groups of five: easy to type on a phone.
   */
  private String secret(int n) {
    byte[] r = random.bytes(n);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0 && i % 5 == 0) {
        b.append('-');
      }
      b.append(ALPHABET.charAt((r[i] & 0xff) % ALPHABET.length()));
    }
    Arrays.fill(r, (byte) 0);
    return b.toString();
  }
}
