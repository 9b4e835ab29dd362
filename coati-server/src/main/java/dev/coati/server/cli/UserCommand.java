package dev.coati.server.cli;

import dev.coati.auth.LocalUsers;
import dev.coati.auth.UserEntry;
import dev.coati.config.ConfigException;
import dev.coati.config.ConfigLoader;
import dev.coati.config.GatewayConfig;
import dev.coati.crypto.NtHash;
import dev.coati.crypto.PasswordHash;
import dev.coati.util.Ipv4Address;
import dev.coati.util.RandomSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code coati user add|del|list|passwd}: edits the users file (README "Users and address pool").
 * New passwords are stored as a PBKDF2 hash (Xauth, PAP) and, unless {@code --no-nt-hash}, as the
 * NT hash MS-CHAPv2 needs. Listings never show hashes. Exit codes: 0 done, 1 failed (unknown user,
 * exists, I/O), 2 usage.
 */
public final class UserCommand {
  static final String USAGE =
      "usage: coati user add NAME (--file FILE | --config FILE) [--address IPV4]"
          + " [--max-sessions N] [--password-stdin] [--no-nt-hash]\n"
          + "       coati user passwd NAME (--file FILE | --config FILE) [--password-stdin]"
          + " [--no-nt-hash]\n"
          + "       coati user del NAME (--file FILE | --config FILE)\n"
          + "       coati user list (--file FILE | --config FILE)";
  private static final Set<String> FLAGS = Set.of("--password-stdin", "--no-nt-hash");
  private static final Set<String> VALUED =
      Set.of("--file", "--config", "--address", "--max-sessions");
  private static final Map<String, Set<String>> ALLOWED =
      Map.of(
          "add",
          Set.of(
              "--file",
              "--config",
              "--address",
              "--max-sessions",
              "--password-stdin",
              "--no-nt-hash"),
          "passwd",
          Set.of("--file", "--config", "--password-stdin", "--no-nt-hash"),
          "del",
          Set.of("--file", "--config"),
          "list",
          Set.of("--file", "--config"));
  private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(10);

  private final InputStream stdin;
  private final int iterations;
  private final RandomSource random;
  private final PrintStream out;
  private final PrintStream err;

  UserCommand(
      InputStream stdin, int iterations, RandomSource random, PrintStream out, PrintStream err) {
    this.stdin = stdin;
    this.iterations = iterations;
    this.random = random;
    this.out = out;
    this.err = err;
  }

  /** Entry from {@code Main}: {@code args} are the words after {@code user}. */
  public static int run(List<String> args, InputStream stdin, PrintStream out, PrintStream err) {
    return new UserCommand(stdin, PasswordHash.DEFAULT_ITERATIONS, RandomSource.secure(), out, err)
        .run(args);
  }

  /** Runs one command; returns the exit code. */
  int run(List<String> args) {
    try {
      Args a = Args.parse(args, FLAGS, VALUED);
      String verb = a.positional(0, "a command: add, del, list or passwd");
      Set<String> allowed = ALLOWED.get(verb);
      if (allowed == null) {
        throw new CommandException(2, "unknown user command '" + verb + "'");
      }
      a.onlyOptions(verb, allowed);
      UsersFile file = new UsersFile(usersFile(a), err);
      switch (verb) {
        case "add" -> add(file, a);
        case "passwd" -> passwd(file, a);
        case "del" -> del(file, a);
        case "list" -> {
          a.expectPositionals(1);
          return list(file);
        }
        default -> throw new CommandException(2, "unknown user command '" + verb + "'");
      }
      return 0;
    } catch (CommandException e) {
      err.println("coati: " + e.getMessage());
      if (e.exitCode() == 2) {
        err.println(USAGE);
      }
      return e.exitCode();
    } catch (IOException e) {
      err.println("coati: " + e);
      return 1;
    }
  }

  private static Path usersFile(Args a) throws CommandException {
    String file = a.value("--file");
    String config = a.value("--config");
    if ((file == null) == (config == null)) {
      throw new CommandException(2, "name the users file with --file FILE or --config FILE");
    }
    if (file != null) {
      return Path.of(file);
    }
    try {
      GatewayConfig c = ConfigLoader.load(Path.of(config));
      if (c.usersFile() == null) {
        throw new CommandException(
            1, config + " has no users file; add users: { file: users.txt } or use --file");
      }
      return c.usersFile();
    } catch (ConfigException e) {
      throw new CommandException(1, e.getMessage());
    }
  }

  private void add(UsersFile file, Args a) throws IOException, CommandException {
    a.expectPositionals(2);
    String name = a.positional(1, "the user name");
    checkName(name);
    Ipv4Address address = address(a.value("--address"));
    int max = maxSessions(a.value("--max-sessions"));
    requireAbsent(file.readLines(), name, address, file);
    UserEntry entry = credentials(name, a, address, max);
    file.edit(
        lines -> {
          requireAbsent(lines, name, address, file);
          List<String> out = new ArrayList<>(lines);
          out.add(entry.format());
          return out;
        },
        LOCK_TIMEOUT);
    out.println("coati: added " + name + " to " + file.path() + " (" + describe(entry) + ")");
  }

  private void passwd(UsersFile file, Args a) throws IOException, CommandException {
    a.expectPositionals(2);
    String name = a.positional(1, "the user name");
    UserEntry old = existing(file.readLines(), name, file);
    UserEntry fresh = credentials(name, a, old.address(), old.maxSessions());
    file.edit(
        lines -> {
          existing(lines, name, file);
          List<String> out = new ArrayList<>(lines);
          out.set(lineIndex(lines, name), fresh.format());
          return out;
        },
        LOCK_TIMEOUT);
    if (old.plainPassword() != null) {
      err.println(
          "coati: note: "
              + name
              + " had a plain-text password; now only hashes are stored, so CHAP-MD5 no longer"
              + " works for this user (MS-CHAPv2, Xauth and PAP do)");
    }
    out.println(
        "coati: new password for " + name + " in " + file.path() + " (" + describe(fresh) + ")");
  }

  private void del(UsersFile file, Args a) throws IOException, CommandException {
    a.expectPositionals(2);
    String name = a.positional(1, "the user name");
    if (lineIndex(file.readLines(), name) < 0) {
      throw unknown(name, file);
    }
    file.edit(
        lines -> {
          int i = lineIndex(lines, name);
          if (i < 0) {
            throw unknown(name, file);
          }
          List<String> out = new ArrayList<>(lines);
          out.remove(i);
          return out;
        },
        LOCK_TIMEOUT);
    out.println("coati: deleted " + name + " from " + file.path());
  }

  private int list(UsersFile file) throws IOException {
    List<String> lines = file.readLines();
    int users = 0;
    int broken = 0;
    for (int i = 0; i < lines.size(); i++) {
      try {
        UserEntry u = LocalUsers.parseLine(lines.get(i));
        if (u != null) {
          users++;
          out.println(row(u));
        }
      } catch (IllegalArgumentException e) {
        broken++;
        err.println("coati: " + file.path() + ":" + (i + 1) + ": " + e.getMessage());
      }
    }
    out.println(users + (users == 1 ? " user" : " users") + " in " + file.path());
    return broken == 0 ? 0 : 1;
  }

  private static String row(UserEntry u) {
    StringBuilder sb =
        new StringBuilder(String.format("%-20s %-30s", u.name(), u.credentialKinds()));
    if (u.address() != null) {
      sb.append(" address=").append(u.address());
    }
    if (u.maxSessions() > 0) {
      sb.append(" max_sessions=").append(u.maxSessions());
    }
    return sb.toString().stripTrailing();
  }

  private UserEntry credentials(String name, Args a, Ipv4Address address, int max)
      throws IOException, CommandException {
    PasswordInput input =
        a.has("--password-stdin") ? PasswordInput.stdin(stdin) : PasswordInput.console();
    byte[] pw = input.read(name);
    try {
      PasswordHash hash = PasswordHash.parse(PasswordHash.hash(pw, random, iterations));
      byte[] nt = a.has("--no-nt-hash") ? null : NtHash.of(pw);
      return new UserEntry(name, hash, null, nt, address, max);
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }

  private static String describe(UserEntry e) {
    return e.ntHash() == null
        ? "password hash only: Xauth and PAP, no MS-CHAPv2"
        : "password hash for Xauth/PAP, NT hash for MS-CHAPv2";
  }

  /** The index of the line whose first field is {@code name} (even if the rest is broken). */
  static int lineIndex(List<String> lines, String name) {
    for (int i = 0; i < lines.size(); i++) {
      String t = lines.get(i).strip();
      if (!t.startsWith("#") && t.split(":", 2)[0].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static UserEntry existing(List<String> lines, String name, UsersFile file)
      throws CommandException {
    int i = lineIndex(lines, name);
    if (i < 0) {
      throw unknown(name, file);
    }
    try {
      return LocalUsers.parseLine(lines.get(i));
    } catch (IllegalArgumentException e) {
      throw new CommandException(
          1,
          file.path() + ":" + (i + 1) + ": " + e.getMessage() + " (fix this line by hand first)");
    }
  }

  private static void requireAbsent(
      List<String> lines, String name, Ipv4Address address, UsersFile file)
      throws CommandException {
    int i = lineIndex(lines, name);
    if (i >= 0) {
      throw new CommandException(
          1,
          "user '"
              + name
              + "' already exists in "
              + file.path()
              + " (line "
              + (i + 1)
              + "); change the password with: coati user passwd "
              + name);
    }
    if (address == null) {
      return;
    }
    for (int j = 0; j < lines.size(); j++) {
      try {
        UserEntry u = LocalUsers.parseLine(lines.get(j));
        if (u != null && address.equals(u.address())) {
          throw new CommandException(
              1,
              "address "
                  + address
                  + " is already the static address of '"
                  + u.name()
                  + "' (line "
                  + (j + 1)
                  + "); give each user their own");
        }
      } catch (IllegalArgumentException e) {
        // a broken line is reported by list and by the gateway, not here
      }
    }
  }

  private static CommandException unknown(String name, UsersFile file) {
    return new CommandException(
        1,
        "no user '"
            + name
            + "' in "
            + file.path()
            + "; see: coati user list --file "
            + file.path());
  }

  private static void checkName(String name) throws CommandException {
    try {
      UserEntry.checkName(name);
    } catch (IllegalArgumentException e) {
      throw new CommandException(2, e.getMessage());
    }
  }

  private static Ipv4Address address(String s) throws CommandException {
    try {
      return s == null ? null : Ipv4Address.parse(s);
    } catch (IllegalArgumentException e) {
      throw new CommandException(2, "--address: " + e.getMessage());
    }
  }

  private static int maxSessions(String s) throws CommandException {
    if (s == null) {
      return 0;
    }
    try {
      int n = Integer.parseInt(s);
      if (n >= 1 && n <= 1000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new CommandException(
        2, "--max-sessions: expected a number from 1 to 1000, not '" + s + "'");
  }
}
