package dev.coati.server.cli;

import dev.coati.server.cli.CoatiCli.Io;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The operator's commands besides {@code run}: each declares its options for picocli (help,
 * completion, refusal of anything else) and hands the matched words to the implementation that does
 * the work ({@link ControlClient}, {@link CheckCommand}, {@link UserCommand}, {@link PkiCommand},
 * {@link DemoCommand}), whose exit codes it returns.
 */
final class Subcommands {
  private Subcommands() {}

  /** Where status, kick and reload find the control socket. */
  static final class SocketOptions {
    @Option(names = "--socket", paramLabel = "PATH", description = "the control socket")
    String socket;

    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "the control.socket of this configuration")
    String config;

    @Option(
        names = "--state-dir",
        paramLabel = "DIR",
        description = "coati.sock in this directory (the embedded default's run/)")
    String stateDir;
  }

  /** A command handing its matched words to an implementation. */
  abstract static class Forwarding implements Callable<Integer> {
    @Spec CommandSpec spec;
    final Io io;

    Forwarding(Io io) {
      this.io = io;
    }

    List<String> words() {
      return Forwarded.words(spec);
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "List the sessions of the running gateway (user, address, client, bytes).")
  static final class Status extends Forwarding {
    @Option(names = "--json", description = "one JSON object per session")
    boolean json;

    @CommandLine.Mixin SocketOptions socket;

    Status(Io io) {
      super(io);
    }

    @Override
    public Integer call() {
      return ControlClient.run("status", words(), io.out(), io.err());
    }
  }

  @Command(
      name = "kick",
      mixinStandardHelpOptions = true,
      description = "End a session of the running gateway by user, address or session number.")
  static final class Kick extends Forwarding {
    @Parameters(paramLabel = "USER|ADDRESS|SESSION", description = "what to end")
    String target;

    @CommandLine.Mixin SocketOptions socket;

    Kick(Io io) {
      super(io);
    }

    @Override
    public Integer call() {
      return ControlClient.run("kick", words(), io.out(), io.err());
    }
  }

  @Command(
      name = "reload",
      mixinStandardHelpOptions = true,
      description =
          "Re-read the configuration and users file of the running gateway (a broken one is"
              + " refused; the old one stays).")
  static final class Reload extends Forwarding {
    @CommandLine.Mixin SocketOptions socket;

    Reload(Io io) {
      super(io);
    }

    @Override
    public Integer call() {
      return ControlClient.run("reload", words(), io.out(), io.err());
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description =
          "Load a configuration and the files it names as the gateway would, without starting;"
              + " print ok and warnings, or the errors with file and line (exit 1).")
  static final class Check extends Forwarding {
    @Option(names = "--config", paramLabel = "FILE", required = true, description = "the file")
    String config;

    Check(Io io) {
      super(io);
    }

    @Override
    public Integer call() {
      return CheckCommand.run(words(), io.out(), io.err());
    }
  }

  @Command(
      name = "demo",
      mixinStandardHelpOptions = true,
      description =
          "Write a ready remote-access demo gateway (configuration, PSK, user, certificates) into"
              + " a directory and print what to type into each client.")
  static final class Demo extends Forwarding {
    @Option(names = "--dir", paramLabel = "DIR", description = "default: demo")
    String dir;

    @Option(names = "--address", paramLabel = "IPV4", description = "default: 127.0.0.1")
    String address;

    @Option(names = "--name", paramLabel = "DNS-NAME", description = "default: vpn.example.com")
    String name;

    @Option(names = "--force", description = "replace an existing demo")
    boolean force;

    Demo(Io io) {
      super(io);
    }

    @Override
    public Integer call() {
      return DemoCommand.run(words(), io.out(), io.err());
    }
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description =
          "Translate racoon.conf, strongSwan/Libreswan ipsec.conf + ipsec.secrets, swanctl.conf,"
              + " xl2tpd.conf + pppd options + chap-secrets, SoftEther's vpn_server.config into a"
              + " coati configuration, secret"
              + " files and a users file; lists what it cannot translate (docs/MIGRATING.md).")
  static final class Import extends Forwarding {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "the files to translate")
    List<String> files;

    @Option(names = "--dir", paramLabel = "DIR", description = "default: coati-import")
    String dir;

    @Option(names = "--force", description = "replace files written before")
    boolean force;

    Import(Io io) {
      super(io);
    }

    @Override
    public Integer call() {
      return ImportCommand.run(words(), io.out(), io.err());
    }
  }

  /** {@code coati user add|passwd|del|list}: the users file (README "Users and address pool"). */
  static CommandLine user(Io io) {
    String[] file = {"--file", "FILE", "the users file"};
    String[] config = {"--config", "FILE", "the users file of this configuration"};
    String[] stdin = {"--password-stdin", null, "read the password from standard input"};
    String[] noNt = {"--no-nt-hash", null, "store no NT hash (then no MS-CHAPv2 for the user)"};
    CommandLine user =
        Verbs.group("user", "Add, delete, list users or set a password in the users file.", io);
    user.addSubcommand(
        Verbs.verb(
            "add",
            "Add a user (the password is asked for, or read with --password-stdin).",
            "NAME",
            List.of(
                file,
                config,
                new String[] {"--address", "IPV4", "a fixed address for this user"},
                new String[] {"--max-sessions", "N", "sessions at once (0: no limit)"},
                stdin,
                noNt),
            w -> UserCommand.run(with("add", w), io.in(), io.out(), io.err())));
    user.addSubcommand(
        Verbs.verb(
            "passwd",
            "Set a user's password.",
            "NAME",
            List.of(file, config, stdin, noNt),
            w -> UserCommand.run(with("passwd", w), io.in(), io.out(), io.err())));
    user.addSubcommand(
        Verbs.verb(
            "del",
            "Delete a user.",
            "NAME",
            List.of(file, config),
            w -> UserCommand.run(with("del", w), io.in(), io.out(), io.err())));
    user.addSubcommand(
        Verbs.verb(
            "list",
            "List the users (never their hashes).",
            null,
            List.of(file, config),
            w -> UserCommand.run(with("list", w), io.in(), io.out(), io.err())));
    return user;
  }

  /** {@code coati pki ca|server|client}: the CA, the gateway's and users' certificates. */
  static CommandLine pki(Io io) {
    String[] days = {"--days", "N", "validity in days"};
    String[] ec = {"--ec", null, "an ECDSA P-256 key instead of RSA 2048"};
    String[] force = {"--force", null, "overwrite existing files"};
    String[] ca = {"--ca", "DIR", "the CA directory (coati pki ca --out DIR)"};
    String[] out = {"--out", "DIR", "where to write (default: the CA directory)"};
    CommandLine pki =
        Verbs.group("pki", "Make the CA, the gateway's and the users' certificates.", io);
    pki.addSubcommand(
        Verbs.verb(
            "ca",
            "Make the CA: DIR/ca.pem and DIR/ca.key (0600).",
            null,
            List.of(
                new String[] {"--out", "DIR", "the CA directory"},
                new String[] {"--cn", "NAME", "the CA's common name"},
                days,
                ec,
                force),
            w -> PkiCommand.run(with("ca", w), io.out(), io.err())));
    pki.addSubcommand(
        Verbs.verb(
            "server",
            "Make the gateway's certificate (what Apple, Windows and Android check).",
            null,
            List.of(
                ca,
                new String[] {"--name", "DNS-NAME|IP", "the gateway's name"},
                new String[] {"--ip", "IP", "an IP address subjectAltName (repeatable)", "*"},
                days,
                ec,
                out,
                force),
            w -> PkiCommand.run(with("server", w), io.out(), io.err())));
    pki.addSubcommand(
        Verbs.verb(
            "client",
            "Make a user's certificate and key as a PKCS#12 file clients import.",
            null,
            List.of(
                ca,
                new String[] {"--name", "NAME", "the user's name"},
                new String[] {"--email", "ADDR", "an e-mail subjectAltName"},
                new String[] {"--p12", "FILE", "the PKCS#12 file to write"},
                new String[] {"--password-file", "FILE", "write its password here (0600)"},
                days,
                ec,
                out,
                force),
            w -> PkiCommand.run(with("client", w), io.out(), io.err())));
    return pki;
  }

  /** Verb words first, then what picocli matched. */
  static List<String> with(String verb, List<String> words) {
    List<String> all = new ArrayList<>();
    all.add(verb);
    all.addAll(words);
    return all;
  }
}
