package dev.coati.server.cli;

import dev.coati.config.ClientProfile;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code coati connect --background}: the same command started again as a daemon in its own session
 * (setsid), the password handed over on its standard input, its output in a 0600 log beside the
 * control socket. This process waits until the daemon prints "Bound to address" (then shows that
 * and the banner, exit 0) or gives up (its log, exit 1).
 */
final class ConnectBackground {
  private static final long WAIT_MILLIS = 75_000;

  private ConnectBackground() {}

  /** The daemon's log file. */
  static Path log(ClientProfile p) {
    return p.controlSocket().resolveSibling(p.controlSocket().getFileName() + ".log");
  }

  static int start(ClientProfile p, List<String> connectArgs, byte[] password, PrintStream out)
      throws IOException, CommandException {
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      cmd.add("/usr/bin/setsid");
    }
    cmd.addAll(jvmCommand());
    cmd.addAll(connectArgs);
    cmd.add("--password-stdin");
    Path log = log(p);
    Files.createDirectories(log.getParent());
    Files.deleteIfExists(log);
    Files.createFile(
        log, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Process d =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try (OutputStream in = d.getOutputStream()) {
      in.write(password);
      in.write('\n');
    } finally {
      Arrays.fill(password, (byte) 0);
    }
    long end = System.currentTimeMillis() + WAIT_MILLIS;
    while (System.currentTimeMillis() < end) {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      int at = text.indexOf("Bound to address");
      if (at >= 0) {
        sleep(300); // the banner follows
        text = Files.readString(log, StandardCharsets.UTF_8);
        for (String line : text.substring(at).split("\n")) {
          if (line.startsWith("coati:")) {
            break;
          }
          out.println(line);
        }
        out.println("coati: running in the background (pid " + d.pid() + ", log " + log + ")");
        return 0;
      }
      if (!d.isAlive()) {
        throw new CommandException(1, "the connection failed:\n" + text.strip());
      }
      sleep(100);
    }
    d.destroy();
    throw new CommandException(1, "no tunnel after " + WAIT_MILLIS / 1000 + " s; see " + log);
  }

  /** This JVM's command up to and including the word {@code connect}. */
  private static List<String> jvmCommand() throws CommandException {
    ProcessHandle.Info info = ProcessHandle.current().info();
    List<String> args = info.arguments().map(List::of).orElse(List.of());
    int at = args.lastIndexOf("connect");
    if (info.command().isEmpty() || at < 0) {
      throw new CommandException(
          1, "cannot tell how this JVM was started; run without --background");
    }
    List<String> out = new ArrayList<>();
    out.add(info.command().get());
    out.addAll(args.subList(0, at + 1));
    return out;
  }

  private static void sleep(long ms) {
    try {
      TimeUnit.MILLISECONDS.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
