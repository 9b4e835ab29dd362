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

/**
 * {@code coati connect} as its own process in a client namespace, with a profile file written here,
 * the Xauth password on its standard input; {@link #close()} ends it by its PID.
 */
final class CoatiClient implements AutoCloseable {
  private final Process process;
  private final Path out;
  private final Path profile;

  /**
   * Writes {@code clientSection} (the lines under {@code client:}, indented two spaces) to {@code
   * dir/client.yaml}, the group key (when not null) to a 0600 file, and starts {@code coati connect
   * --profile client.yaml --password-stdin -u user gateway} in {@code ns}.
   */
  CoatiClient(
      String ns,
      Path dir,
      String clientSection,
      String psk,
      String user,
      String password,
      String gateway)
      throws Exception {
    if (psk != null) {
      Path pskFile = dir.resolve("client-psk.txt");
      Files.writeString(pskFile, psk + "\n");
      Files.setPosixFilePermissions(pskFile, PosixFilePermissions.fromString("rw-------"));
    }
    profile = dir.resolve("client.yaml");
    Files.writeString(
        profile,
        "client:\n" + clientSection + "  control_socket: " + dir.resolve("client.sock") + "\n");
    out = dir.resolve("client.out");
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(Netns.inNs(ns));
    cmd.addAll(
        List.of(
            java,
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.coati.Main",
            "connect",
            "--profile",
            profile.toString(),
            "--password-stdin",
            "-u",
            user,
            gateway));
    process =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write((password + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The profile file (and the group key in a 0600 file when not null). */
  static Path writeProfile(Path dir, String clientSection, String psk) throws IOException {
    if (psk != null) {
      Path pskFile = dir.resolve("client-psk.txt");
      Files.writeString(pskFile, psk + "\n");
      Files.setPosixFilePermissions(pskFile, PosixFilePermissions.fromString("rw-------"));
    }
    Path profile = dir.resolve("client.yaml");
    Files.writeString(
        profile,
        "client:\n" + clientSection + "  control_socket: " + dir.resolve("client.sock") + "\n");
    return profile;
  }

  static List<String> command(
      String ns, Path profile, String user, String gateway, boolean background) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(Netns.inNs(ns));
    cmd.addAll(
        List.of(
            java,
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.coati.Main",
            "connect",
            "--profile",
            profile.toString(),
            "--password-stdin",
            "-u",
            user,
            gateway));
    if (background) {
      cmd.add("--background");
    }
    return cmd;
  }

  /**
   * {@code coati connect --background} (60 s at most): its exit code and output; the daemon it
   * leaves running is ended by the caller ({@code coati disconnect}, or its PID).
   */
  static Netns.Result background(String ns, Path profile, String user, String pw, String gateway)
      throws Exception {
    Process p =
        new ProcessBuilder(command(ns, profile, user, gateway, true))
            .redirectErrorStream(true)
            .start();
    try (OutputStream in = p.getOutputStream()) {
      in.write((pw + "\n").getBytes(StandardCharsets.UTF_8));
    }
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("coati connect --background hangs: " + text);
    }
    return new Netns.Result(p.exitValue(), text);
  }

  /** Waits (at most {@code seconds}) for "Bound to address"; false if the client gave up. */
  boolean awaitBound(int seconds) throws Exception {
    for (int i = 0; i < seconds * 10; i++) {
      if (output().contains("Bound to address")) {
        Thread.sleep(300); // the banner follows on the next lines
        return true;
      }
      if (!process.isAlive()) {
        return false;
      }
      Thread.sleep(100);
    }
    return false;
  }

  String output() throws IOException {
    return Files.exists(out) ? Files.readString(out) : "";
  }

  Path profile() {
    return profile;
  }

  /** The exit code once the client ended by itself (at most {@code seconds}), or -1. */
  int awaitExit(int seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}
