package dev.coati.server.cli;

import dev.coati.config.ClientProfile;
import dev.coati.config.ClientSection;
import dev.coati.config.ConfigException;
import dev.coati.server.cli.CoatiCli.Io;
import dev.coati.server.client.ClientRunner;
import dev.coati.server.log.LogSetup;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coati connect} and {@code coati disconnect}: coati as the road warrior of a Cisco-style,
 * racoon or strongSwan gateway (seed 002's {@code racoonctl vc} / {@code vd}).
 */
final class ConnectCommand {
  static final Path DEFAULT_PROFILE = Path.of("/etc/coati/client.yaml");

  private ConnectCommand() {}

  /** Options both verbs share: where the profile is. */
  static ClientProfile profile(String file, String gateway, String user, String group)
      throws CommandException {
    Path p = file != null ? Path.of(file) : DEFAULT_PROFILE;
    ClientProfile base;
    try {
      base = file == null && !Files.exists(p) ? ClientSection.DEFAULT : ClientSection.load(p);
    } catch (ConfigException e) {
      throw new CommandException(2, e.getMessage());
    }
    ClientProfile prof = base.with(gateway, user, group);
    if (prof.gateway() == null) {
      throw new CommandException(2, "which gateway? give it as GATEWAY or gateway: in the profile");
    }
    if (base == ClientSection.DEFAULT && prof.psk() == null) {
      throw new CommandException(
          2, "no profile (" + p + "): write one with a client: section (see --help)");
    }
    return prof;
  }

  @Command(
      name = "connect",
      mixinStandardHelpOptions = true,
      description = {
        "Connect to a remote-access IPsec gateway as its road warrior (IKEv1: PSK + Xauth,"
            + " hybrid RSA or RSA + Xauth; mode config; ESP over a TUN device).",
        "Prints \"Bound to address A.B.C.D\" and the gateway's banner, then stays up until"
            + " coati disconnect, Ctrl-C or SIGTERM; routes and DNS are restored at the end."
      },
      footer = {
        "",
        "Profile (YAML, a client: section; paths relative to the file):",
        "  client:",
        "    gateway: 192.0.2.50",
        "    auth: hybrid-rsa        # psk-xauth (psk_file:), hybrid-rsa (ca:),"
            + " rsa-xauth (ca:, certificate:, private_key:)",
        "    mode: aggressive        # or main",
        "    ca: ca.crt",
        "    user: alice",
        "    password_file: xauth.pw # optional, mode 0600: no prompt",
        "    nat_traversal: force    # or auto",
        "    dpd: 20s",
        "    ike_fragment_size: 552  # 0: no IKE fragmentation",
        "    esp_fragment_size: 552  # 0: no ESP fragmentation",
        "    dns: auto               # resolved, resolvconf, file or off",
        "",
        "Examples:",
        "  coati connect -u alice 192.0.2.50                     # racoon gateway,"
            + " /etc/coati/client.yaml",
        "  coati connect --profile cisco.yaml --group vpngroup -u bob vpn.example.com",
        "  echo \"$PW\" | coati connect --profile strongswan.yaml --password-stdin -u carol gw",
        "  coati connect --background -u alice 192.0.2.50       # daemon; prints address"
            + " and banner first",
        "  coati connect --status 192.0.2.50",
        "  coati disconnect 192.0.2.50"
      })
  static final class Connect implements Callable<Integer> {
    private final Io io;

    @Parameters(arity = "0..1", paramLabel = "GATEWAY", description = "address or name")
    String gateway;

    @Option(
        names = {"-u", "--user"},
        paramLabel = "USER",
        description = "the Xauth user")
    String user;

    @Option(names = "--group", paramLabel = "ID", description = "group name (aggressive mode ID)")
    String group;

    @Option(
        names = "--profile",
        paramLabel = "FILE",
        description = "default /etc/coati/client.yaml")
    String profile;

    @Option(names = "--password-stdin", description = "read the Xauth password from stdin")
    boolean passwordStdin;

    @Option(names = "--status", description = "show the running connection to GATEWAY")
    boolean status;

    @Option(
        names = {"-b", "--background"},
        description = "run as a daemon once the tunnel is up (coati disconnect ends it)")
    boolean background;

    Connect(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      try {
        ClientProfile p = profile(profile, gateway, user, group);
        if (status) {
          return answer(p, "status");
        }
        if (p.user() == null) {
          throw new CommandException(2, "which Xauth user? give -u USER or user: in the profile");
        }
        byte[] pw = password(p);
        if (background) {
          return ConnectBackground.start(p, daemonArgs(), pw, io.out());
        }
        LogSetup.start(LogSetup.Format.TEXT, false, io.err());
        try {
          return ClientRunner.run(p, pw, io.out(), io.err());
        } finally {
          LogSetup.stop(1000);
        }
      } catch (CommandException e) {
        io.err().println("coati connect: " + e.getMessage());
        return e.exitCode();
      } catch (IOException e) {
        io.err().println("coati connect: " + e.getMessage());
        return 1;
      }
    }

    /** The words after {@code connect} for the daemon (the password goes on its stdin). */
    private List<String> daemonArgs() {
      List<String> a = new ArrayList<>();
      if (profile != null) {
        a.addAll(List.of("--profile", Path.of(profile).toAbsolutePath().toString()));
      }
      if (user != null) {
        a.addAll(List.of("-u", user));
      }
      if (group != null) {
        a.addAll(List.of("--group", group));
      }
      if (gateway != null) {
        a.add(gateway);
      }
      return a;
    }

    private byte[] password(ClientProfile p) throws IOException, CommandException {
      if (passwordStdin) {
        return PasswordInput.stdin(io.in()).read(p.user());
      }
      if (p.passwordFile() != null) {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p.passwordFile());
        if (perms.stream().anyMatch(x -> !x.name().startsWith("OWNER"))) {
          throw new CommandException(
              2, p.passwordFile() + " is readable by others; run: chmod 600 " + p.passwordFile());
        }
        byte[] b = Files.readAllBytes(p.passwordFile());
        int n = b.length;
        while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == '\r')) {
          n--;
        }
        byte[] out = Arrays.copyOf(b, n);
        Arrays.fill(b, (byte) 0);
        if (out.length == 0) {
          throw new CommandException(2, p.passwordFile() + " is empty");
        }
        return out;
      }
      Console con = System.console();
      if (con == null || !con.isTerminal()) {
        throw new CommandException(
            2, "no terminal for the password: use --password-stdin or password_file:");
      }
      char[] c = con.readPassword("Password: ");
      if (c == null || c.length == 0) {
        throw new CommandException(1, "no password given");
      }
      byte[] out = new String(c).getBytes(StandardCharsets.UTF_8);
      Arrays.fill(c, '\0');
      return out;
    }

    private int answer(ClientProfile p, String command) {
      String a = ClientRunner.ask(p, command);
      if (a == null) {
        io.err().println("coati connect: no connection to " + p.gateway() + " is running");
        return 1;
      }
      io.out().println(a);
      return 0;
    }
  }

  @Command(
      name = "disconnect",
      mixinStandardHelpOptions = true,
      description = {
        "End the connection coati connect made to GATEWAY: Delete notifies to the gateway,"
            + " routes and DNS restored, the TUN device removed."
      })
  static final class Disconnect implements Callable<Integer> {
    private final Io io;

    @Parameters(arity = "0..1", paramLabel = "GATEWAY", description = "address or name")
    String gateway;

    @Option(
        names = "--profile",
        paramLabel = "FILE",
        description = "default /etc/coati/client.yaml")
    String profile;

    Disconnect(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      try {
        ClientProfile p = profile(profile, gateway, null, null);
        String a = ClientRunner.ask(p, "disconnect");
        if (a == null) {
          io.err().println("coati disconnect: no connection to " + p.gateway() + " is running");
          return 1;
        }
        io.out().println(a);
        return a.startsWith("VPN connection terminated") ? 0 : 1;
      } catch (CommandException e) {
        io.err().println("coati disconnect: " + e.getMessage());
        return e.exitCode();
      }
    }
  }
}
