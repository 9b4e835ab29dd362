package dev.coati.server.cli;

import dev.coati.server.cli.CoatiCli.Io;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coati run}: the gateway on {@code --config FILE}, or without it the embedded default (the
 * demo gateway of {@code coati demo} in the state directory, {@link EmbeddedDefault}).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the gateway until Ctrl-C or SIGTERM (which sends Delete for every SA first).",
      "Without --config: the embedded default, a complete demo gateway (PSK + Xauth, hybrid RSA,"
          + " L2TP/IPsec, TUN coati0, pool, user demo) kept in the state directory; it prints"
          + " what to type into each client."
    })
public final class RunCommand implements Callable<Integer> {
  /** Starts the gateway on a configuration file (Main). */
  @FunctionalInterface
  public interface Gateway {
    /** Exit code: 0 stopped cleanly, 1 failed, 2 configuration error. */
    int start(
        Path config,
        boolean once,
        String logFormat,
        Path stateDir,
        PrintStream out,
        PrintStream err);
  }

  @Option(names = "--config", paramLabel = "FILE", description = "the configuration file")
  String config;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "where coati keeps its state: the leases, and the embedded default's files and control"
              + " socket (default: run for the embedded default; with --config none, so leases"
              + " are not kept across restarts)")
  String stateDir;

  @Option(
      names = "--address",
      paramLabel = "IPV4",
      description =
          "the embedded default's address (default: the primary address, of the default route)")
  String address;

  @Option(names = "--once", description = "load and print the configuration, then exit")
  boolean once;

  @Option(
      names = "--log-format",
      paramLabel = "text|json",
      description = "one line per event as text (the default) or JSON; overrides log.format")
  String logFormat;

  private final Io io;
  private final Gateway gateway;

  RunCommand(Io io, Gateway gateway) {
    this.io = io;
    this.gateway = gateway;
  }

  @Override
  public Integer call() {
    if (config != null && address != null) {
      io.err()
          .println(
              "coati run: --address is for the embedded default; with --config set gateway.listen"
                  + " in "
                  + config);
      return 2;
    }
    Path file;
    String state = stateDir;
    if (config != null) {
      file = Path.of(config);
    } else {
      state = stateDir == null ? "run" : stateDir;
      try {
        file = EmbeddedDefault.prepare(state, address, io.out(), io.err());
      } catch (CommandException e) {
        io.err().println("coati run: " + e.getMessage());
        return e.exitCode();
      }
    }
    Path statePath = state == null ? null : Path.of(state);
    return gateway.start(file, once, logFormat, statePath, io.out(), io.err());
  }
}
