package dev.coati.server.cli;

import dev.coati.config.ConfigException;
import dev.coati.config.ControlSection;
import dev.coati.config.GatewayConfig;
import dev.coati.server.ops.ControlRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code coati status [--json]}, {@code coati kick USER|ADDRESS|SESSION} and {@code coati reload}:
 * one request to the running gateway's control socket ({@code --socket PATH}, the {@code
 * control.socket} of {@code --config FILE}, {@code coati.sock} in {@code --state-dir}, or
 * /run/coati/coati.sock, else the demo's run/coati.sock). Exit codes: 0 done, 1 failed (nothing
 * matched, reload refused, gateway not running, permission denied), 2 usage.
 */
public final class ControlClient {
  private ControlClient() {}

  public static int run(String verb, List<String> words, PrintStream out, PrintStream err) {
    try {
      Args a = Args.parse(words, Set.of("--json"), Set.of("--socket", "--config", "--state-dir"));
      ControlRequest request = request(verb, a);
      Path socket = socket(a);
      String answer = exchange(socket, request.line());
      int nl = answer.indexOf('\n');
      int code = nl > 0 ? Integer.parseInt(answer.substring(0, nl)) : 1;
      (code == 0 ? out : err).print(prefixed(answer.substring(nl + 1), code));
      return code;
    } catch (CommandException e) {
      err.println("coati " + verb + ": " + e.getMessage());
      return e.exitCode();
    } catch (NumberFormatException e) {
      err.println("coati " + verb + ": not a coati control socket (bad answer)");
      return 1;
    }
  }

  private static String prefixed(String text, int code) {
    return code == 0 || text.startsWith("coati") ? text : "coati: " + text;
  }

  static ControlRequest request(String verb, Args a) throws CommandException {
    a.onlyOptions(
        verb,
        verb.equals("status")
            ? Set.of("--json", "--socket", "--config", "--state-dir")
            : Set.of("--socket", "--config", "--state-dir"));
    String line =
        switch (verb) {
          case "status" -> a.has("--json") ? "status --json" : "status";
          case "kick" -> {
            a.expectPositionals(1);
            yield "kick " + a.positional(0, "USER, ADDRESS or SESSION to kick");
          }
          default -> "reload";
        };
    if (!verb.equals("kick")) {
      a.expectPositionals(0);
    }
    try {
      return ControlRequest.parse(line);
    } catch (IllegalArgumentException e) {
      throw new CommandException(2, e.getMessage());
    }
  }

  static Path socket(Args a) throws CommandException {
    if (a.value("--socket") != null) {
      return Path.of(a.value("--socket"));
    }
    if (a.value("--config") != null) {
      try {
        return ControlSection.of(Path.of(a.value("--config"))).socket();
      } catch (ConfigException e) {
        throw new CommandException(2, e.getMessage());
      }
    }
    if (a.value("--state-dir") != null) {
      return GatewayConfig.demoControl(Path.of(a.value("--state-dir"))).socket();
    }
    Path system = GatewayConfig.Control.DEFAULT.socket();
    Path demo = GatewayConfig.demoControl(Path.of("run")).socket();
    return !Files.exists(system) && Files.exists(demo) ? demo : system;
  }

  /** Sends one request line; the raw answer ("CODE\n" and the text). */
  static String exchange(Path socket, String line) throws CommandException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ByteBuffer req = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
      while (req.hasRemaining()) {
        ch.write(req);
      }
      ch.shutdownOutput();
      return new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CommandException(1, why(socket, e));
    }
  }

  private static String why(Path socket, IOException e) {
    String m = String.valueOf(e.getMessage());
    if (e instanceof AccessDeniedException || m.contains("Permission denied")) {
      return "permission denied on "
          + socket
          + ": run as root or as a member of the socket's group (control.group)";
    }
    if (!Files.exists(socket)) {
      return "the gateway is not running (no control socket " + socket + "; see --socket)";
    }
    if (e instanceof ConnectException || m.contains("Connection refused")) {
      return "the gateway is not running (nothing answers on " + socket + ")";
    }
    return "control socket " + socket + ": " + m;
  }
}
