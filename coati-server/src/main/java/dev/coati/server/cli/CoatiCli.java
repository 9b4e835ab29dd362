package dev.coati.server.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command line of {@code coati} (both launchers: the repository's {@code ./coati} and the
 * packaged {@code bin/coati}): one picocli command per verb, {@code --help} on each, {@code
 * --version}, unknown options and arguments refused with exit 2 and a suggestion. Exit codes: 0
 * done, 1 failed (the message says why), 2 usage.
 */
@Command(
    name = "coati",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    usageHelpAutoWidth = true,
    description = "A remote-access VPN gateway: IKEv1 (PSK + Xauth, hybrid RSA), L2TP/IPsec, PPP.",
    footer = {
      "",
      "With no command, coati runs the gateway (coati run). Exit codes: 0 done, 1 failed,"
          + " 2 usage error.",
      "Shell completion: coati completion (bash; zsh after bashcompinit)."
    })
public final class CoatiCli implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Runs the command line; returns the exit code. {@code gateway} starts the gateway. */
  public static int execute(
      List<String> args,
      InputStream in,
      PrintStream out,
      PrintStream err,
      RunCommand.Gateway gateway) {
    CommandLine cl = commandLine(in, out, err, gateway);
    List<String> words = args.isEmpty() ? List.of("run") : args;
    return cl.execute(words.toArray(String[]::new));
  }

  /** The whole command tree (also what the completion script is generated from). */
  static CommandLine commandLine(
      InputStream in, PrintStream out, PrintStream err, RunCommand.Gateway gateway) {
    Io io = new Io(in, out, err);
    CommandLine cl = new CommandLine(new CoatiCli());
    cl.addSubcommand(new RunCommand(io, gateway));
    cl.addSubcommand(new Subcommands.Status(io));
    cl.addSubcommand(new Subcommands.Kick(io));
    cl.addSubcommand(new Subcommands.Reload(io));
    cl.addSubcommand(new Subcommands.Check(io));
    cl.addSubcommand(Subcommands.user(io));
    cl.addSubcommand(Subcommands.pki(io));
    cl.addSubcommand(new Subcommands.Demo(io));
    cl.addSubcommand(new Subcommands.Import(io));
    cl.addSubcommand(new ConnectCommand.Connect(io));
    cl.addSubcommand(new ConnectCommand.Disconnect(io));
    cl.addSubcommand(Verbs.launcherOnly("test", "Build and run every test.", io));
    cl.addSubcommand(Verbs.launcherOnly("build", "Build the jars without running tests.", io));
    cl.addSubcommand(new Completion(io));
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine c = e.getCommandLine();
          PrintWriter w = c.getErr();
          w.println("coati: " + e.getMessage());
          UnmatchedArgumentException.printSuggestions(e, w);
          w.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for the options.");
          return 2;
        });
    cl.setExecutionExceptionHandler(
        (e, c, parsed) -> {
          err.println("coati " + c.getCommandName() + ": " + e.getMessage());
          return 1;
        });
    return cl;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** The process's standard streams, handed to every command. */
  record Io(InputStream in, PrintStream out, PrintStream err) {}

  /** {@code coati completion}: the bash completion script (zsh loads it after bashcompinit). */
  @Command(
      name = "completion",
      mixinStandardHelpOptions = true,
      description = {
        "Print the bash completion script for coati (zsh: autoload -U +X bashcompinit &&"
            + " bashcompinit first).",
        "Install: coati completion > /etc/bash_completion.d/coati, or: source <(coati completion)"
      })
  static final class Completion implements Callable<Integer> {
    private final Io io;

    Completion(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      io.out().print(AutoComplete.bash("coati", commandLine(io.in(), io.out(), io.err(), null)));
      io.out().flush();
      return 0;
    }
  }
}
