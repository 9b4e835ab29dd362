package dev.coati;

import dev.coati.config.GatewayConfig;
import dev.coati.crypto.DhFactory;
import dev.coati.crypto.Secret;
import dev.coati.ike.IkeContext;
import dev.coati.ike.IkeEngine;
import dev.coati.ike.IkeListener;
import dev.coati.ike.RetransmitPolicy;
import dev.coati.server.control.ConfiguredPolicy;
import dev.coati.util.RandomSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** Entry point: wiring only. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int rc = run(List.of(args), System.out, System.err);
    if (rc != 0) {
      System.exit(rc);
    }
  }

  /** Runs the command line; returns the exit code. */
  static int run(List<String> args, PrintStream out, PrintStream err) {
    List<String> rest = args.isEmpty() ? List.of("run") : args;
    if (!rest.get(0).equals("run")) {
      err.println("coati: unknown command '" + rest.get(0) + "'; try: coati run [--once]");
      return 2;
    }
    boolean once = rest.contains("--once");
    int sd = rest.indexOf("--state-dir");
    if (sd >= 0 && sd + 1 >= rest.size()) {
      err.println("coati: --state-dir needs a directory");
      return 2;
    }
    Path stateDir = Path.of(sd >= 0 ? rest.get(sd + 1) : "run");
    if (rest.contains("--config")) {
      err.println(
          "coati: configuration files are not supported yet (issue #3); "
              + "run without --config for the embedded demo configuration");
      return 2;
    }
    try {
      return start(out, once, stateDir);
    } catch (IOException e) {
      err.println("coati: " + e.getMessage());
      return 1;
    }
  }

  private static int start(PrintStream out, boolean once, Path stateDir) throws IOException {
    RandomSource random = RandomSource.secure();
    Path pskFile = stateDir.resolve("demo-psk.txt");
    Secret psk = demoPsk(pskFile, random);
    GatewayConfig config = GatewayConfig.demo(pskFile.toString());
    ConfiguredPolicy policy = new ConfiguredPolicy(config, psk);
    IkeEngine engine =
        new IkeEngine(
            new IkeContext(
                System::currentTimeMillis,
                random,
                DhFactory.using(random),
                policy,
                (from, to, datagram) -> {},
                new IkeListener() {},
                RetransmitPolicy.DEFAULT));
    out.println("coati: embedded demo configuration (gateway id " + config.gatewayId() + ")");
    out.println("coati: demo pre-shared key in " + pskFile + " (mode 0600)");
    out.println(
        "coati: IKE proposals " + policy.ikeProposals().size() + ": " + config.ikeProposals());
    out.println(
        "coati: ESP proposals " + policy.espProposals().size() + ": " + config.espProposals());
    out.println("coati: IKEv1 engine ready (" + engine.sas().size() + " SAs)");
    out.println("coati: UDP 500/4500, ESP and TUN: not yet (issue #3)");
    out.println("coati: Xauth and mode config: not yet (issue #4); L2TP/PPP: not yet (issue #5)");
    out.println("coati: control socket, RADIUS, metrics: not yet (issue #6)");
    if (once) {
      return 0;
    }
    out.println("coati: running; stop with Ctrl-C");
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  /**
   * Reads the demo PSK, or generates one into a new 0600 file on first start. An existing file that
   * others can read is tightened to 0600 first.
   */
  private static Secret demoPsk(Path file, RandomSource random) throws IOException {
    if (Files.exists(file)) {
      if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
        Files.setPosixFilePermissions(file, OWNER_ONLY);
      }
      return Secret.wrap(
          Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8));
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    String psk = HexFormat.of().formatHex(random.bytes(16));
    Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    Files.setPosixFilePermissions(file, OWNER_ONLY);
    Files.writeString(file, psk + "\n", StandardCharsets.UTF_8);
    return Secret.wrap(psk.getBytes(StandardCharsets.UTF_8));
  }
}
