package dev.coati.interop;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** coati itself, started as its own process in the gateway namespace with a config file. */
final class CoatiProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  CoatiProcess(Path dir, String psk, String yamlBody) throws Exception {
    this(Netns.SRV, Netns.SRV_ADDR, dir, psk, yamlBody);
  }

  /** coati in namespace {@code ns}, listening on {@code listen}. */
  CoatiProcess(String ns, String listen, Path dir, String psk, String yamlBody) throws Exception {
    this(ns, listen, dir, psk, yamlBody, List.of(), List.of());
  }

  /**
   * As above, with {@code launcher} run in front of the JVM (e.g. {@code setpriv
   * --bounding-set=-net_raw}) and {@code jvmOptions} (e.g. {@code -Dcoati.udp=jdk}).
   */
  CoatiProcess(
      String ns,
      String listen,
      Path dir,
      String psk,
      String yamlBody,
      List<String> launcher,
      List<String> jvmOptions)
      throws Exception {
    this(ns, listen, dir, psk, yamlBody, launcher, jvmOptions, "", List.of(), false);
  }

  /** In namespace {@code ns} on {@code listen}, with more keys of the gateway section. */
  CoatiProcess(String ns, String listen, Path dir, String psk, String yamlBody, String gatewayExtra)
      throws Exception {
    this(ns, listen, dir, psk, yamlBody, List.of(), List.of(), gatewayExtra, List.of(), false);
  }

  /** With {@code gatewayExtra}: more keys of the gateway section (indented two spaces). */
  CoatiProcess(Path dir, String psk, String yamlBody, String gatewayExtra) throws Exception {
    this(
        Netns.SRV,
        Netns.SRV_ADDR,
        dir,
        psk,
        yamlBody,
        List.of(),
        List.of(),
        gatewayExtra,
        List.of(),
        false);
  }

  /**
   * In {@link Netns#SRV}, with {@code gatewayExtra} keys of the gateway section, {@code launcher}
   * in front of the JVM (e.g. {@code nohup}) and {@code runArgs} after {@code run --config FILE}
   * (e.g. {@code --state-dir DIR}).
   */
  CoatiProcess(
      Path dir,
      String psk,
      String yamlBody,
      String gatewayExtra,
      List<String> launcher,
      List<String> runArgs)
      throws Exception {
    this(
        Netns.SRV,
        Netns.SRV_ADDR,
        dir,
        psk,
        yamlBody,
        launcher,
        List.of(),
        gatewayExtra,
        runArgs,
        false);
  }

  /**
   * coati with standard output and error on a pipe that nobody reads (a stalled journald): a
   * wrapper shrinks the pipe to one page and leaves its read end open as fd 9 of the gateway, where
   * {@link #drainStalledOutput} can read it later. Ready when the control socket answers.
   */
  static CoatiProcess withStalledOutput(
      Path dir, String psk, String yamlBody, List<String> jvmOptions) throws Exception {
    Path wrapper = dir.resolve("stall-stdout.py");
    Files.writeString(
        wrapper,
        """
        import fcntl, os, sys
        r, w = os.pipe()
        fcntl.fcntl(w, 1031, 4096)  # F_SETPIPE_SZ: one page
        os.dup2(r, 9)
        os.dup2(w, 1)
        os.dup2(w, 2)
        os.close(r)
        os.close(w)
        os.execvp(sys.argv[1], sys.argv[1:])
        """);
    return new CoatiProcess(
        Netns.SRV,
        Netns.SRV_ADDR,
        dir,
        psk,
        yamlBody,
        List.of("python3", wrapper.toString()),
        jvmOptions,
        "",
        List.of(),
        true);
  }

  /**
   * Reads what the stalled pipe holds and what coati writes until it exits (call {@link #stop}
   * while this runs): the whole log of a {@link #withStalledOutput} gateway.
   */
  Process drainStalledOutput(Path into) throws IOException {
    return new ProcessBuilder("cat", "/proc/" + process.pid() + "/fd/9")
        .redirectOutput(into.toFile())
        .redirectErrorStream(true)
        .start();
  }

  private CoatiProcess(
      String ns,
      String listen,
      Path dir,
      String psk,
      String yamlBody,
      List<String> launcher,
      List<String> jvmOptions,
      String gatewayExtra,
      List<String> runArgs,
      boolean stalledOutput)
      throws Exception {
    Path pskFile = dir.resolve("psk.txt");
    Files.writeString(pskFile, psk + "\n");
    Files.setPosixFilePermissions(pskFile, PosixFilePermissions.fromString("rw-------"));
    Path cfg = dir.resolve("coati.yaml");
    Files.writeString(
        cfg,
        "gateway:\n  listen: ["
            + listen
            + "]\n  id: fqdn:vpn.test\n"
            + gatewayExtra
            + "secrets:\n  psk:\n    - peers: any\n      secret_file: psk.txt\n"
            + yamlBody
            + (yamlBody.contains("control:")
                ? ""
                : "control:\n  socket: " + dir.resolve("coati.sock") + "\n"));
    String java = ProcessHandle.current().info().command().orElse("java");
    log = dir.resolve("coati.log");
    List<String> cmd = new ArrayList<>(Netns.inNs(ns));
    cmd.addAll(launcher);
    cmd.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED"));
    cmd.addAll(jvmOptions);
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "dev.coati.Main",
            "run",
            "--config",
            cfg.toString()));
    cmd.addAll(runArgs);
    process =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (stalledOutput) {
      awaitControlSocket(dir.resolve("coati.sock"));
      return;
    }
    // 30 s at most: on a loaded 2-core machine (several VMs under TCG) start-up took over 10 s
    for (int i = 0; i < 300 && !log().contains("running;"); i++) {
      if (!process.isAlive()) {
        throw new IOException("coati exited: " + log());
      }
      Thread.sleep(100);
    }
    if (!log().contains("running;")) {
      throw new IOException("coati did not start: " + log());
    }
  }

  private void awaitControlSocket(Path socket) throws Exception {
    for (int i = 0; i < 100; i++) {
      if (!process.isAlive()) {
        throw new IOException("coati exited: " + log());
      }
      if (Files.exists(socket) && cli("", "status", "--socket", socket.toString()).code() == 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IOException("coati did not start (no answer on " + socket + ")");
  }

  String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** Runs the coati command line as its own process (60 s at most): exit code and output. */
  static Netns.Result cli(String stdin, String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd =
        new ArrayList<>(
            List.of(java, "-cp", System.getProperty("java.class.path"), "dev.coati.Main"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("coati " + args[0] + " hangs");
    }
    return new Netns.Result(p.exitValue(), out);
  }

  /** The gateway's process id (ip netns exec runs the JVM in its own place). */
  long pid() {
    return process.pid();
  }

  /** SIGTERM, as an operator or systemd stops the gateway. */
  int stop() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
