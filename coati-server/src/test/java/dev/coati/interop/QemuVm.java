package dev.coati.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Debian bookworm VM under qemu (interop/vm: build-image.sh, boot.sh, vminit, share/): a real
 * Linux L2TP/IPsec client (strongSwan, xl2tpd, pppd with its own kernel) on a tap device in a
 * network namespace the test made. Each VM has its own share directory (a copy of interop/vm/share
 * plus {@code params.env}, 9p-mounted at /mnt/share); the script inside writes {@code out/}. The
 * disk is a throwaway snapshot of the cached image, so several VMs can run at once.
 *
 * <p>KVM is tried once per JVM when /dev/kvm exists (the guest must reach userland within {@link
 * #KVM_PROBE}); otherwise, and from then on, TCG. {@code COATI_VM_ACCEL=kvm|tcg} forces one.
 */
final class QemuVm implements AutoCloseable {
  static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);
  static final Duration KVM_PROBE = Duration.ofSeconds(20);
  private static final String USERLAND = "VMINIT: userland up";

  private static Path image;
  private static String accel;
  private static boolean libreswan;

  private final String netns;
  private final String tap;
  private final Path share;
  private final Path console;
  private Process process;

  /** The repository's interop/vm directory (found upwards from the working directory). */
  static Path vmDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path vm = p.resolve("interop/vm");
      if (Files.isRegularFile(vm.resolve("build-image.sh"))) {
        return vm;
      }
    }
    throw new IllegalStateException("interop/vm/build-image.sh not found above " + Path.of(""));
  }

  static Path cacheDir() {
    String env = System.getenv("COATI_VM_CACHE");
    return Path.of(env == null || env.isEmpty() ? "/var/cache/coati-vm" : env);
  }

  /** Builds the image once per JVM (build-image.sh is idempotent and locked); its path. */
  static synchronized Path image() throws IOException, InterruptedException {
    if (image != null) {
      return image;
    }
    for (String tool : List.of("qemu-system-x86_64", "debootstrap", "mkfs.ext4")) {
      if (Netns.tryRun("sh", "-c", "PATH=$PATH:/usr/sbin:/sbin command -v " + tool).code() != 0) {
        throw new IOException(
            tool
                + " not found: the VM harness needs apt-get install qemu-system-x86 debootstrap"
                + " e2fsprogs (see .ci/run), or COATI_SKIP_VM=1");
      }
    }
    Path log = Files.createTempFile("coati-vm-build", ".log");
    Process p =
        new ProcessBuilder(vmDir().resolve("build-image.sh").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IOException("build-image.sh timed out after " + BUILD_TIMEOUT + ": " + tail(log));
    }
    if (p.exitValue() != 0) {
      throw new IOException("build-image.sh failed (" + p.exitValue() + "): " + tail(log));
    }
    image = cacheDir().resolve("bookworm.img");
    return image;
  }

  /** Builds (once per JVM, cached and locked) the Libreswan image variant; its file name. */
  static synchronized String libreswanImage() throws IOException, InterruptedException {
    image();
    if (!libreswan) {
      Path log = Files.createTempFile("coati-vm-libreswan", ".log");
      Process p =
          new ProcessBuilder(vmDir().resolve("build-libreswan.sh").toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IOException("build-libreswan.sh timed out: " + tail(log));
      }
      if (p.exitValue() != 0) {
        throw new IOException("build-libreswan.sh failed (" + p.exitValue() + "): " + tail(log));
      }
      libreswan = true;
    }
    return "libreswan.img";
  }

  /** Creates the tap device in {@code netns} if missing (so the caller can bridge it first). */
  static void tap(String netns, String tapName) throws IOException, InterruptedException {
    if (Netns.tryRun("ip", "-n", netns, "link", "show", tapName).code() != 0) {
      Netns.run("ip", "-n", netns, "tuntap", "add", "dev", tapName, "mode", "tap");
    }
  }

  /**
   * Boots a VM in {@code netns} on {@code tapName}; {@code shareDir} (a fresh directory per VM)
   * receives a copy of interop/vm/share and {@code params} as params.env (0600). The script run is
   * {@code params.get("SCRIPT")} (default l2tp-client.sh); {@code MAC} sets the guest's MAC; {@code
   * IMAGE} the root fs image in the cache (default bookworm.img; see {@link #libreswanImage()}).
   */
  static QemuVm boot(String netns, String tapName, Path shareDir, Map<String, String> params)
      throws IOException, InterruptedException {
    image();
    QemuVm vm = new QemuVm(netns, tapName, shareDir);
    try {
      vm.prepare(params);
      vm.start(params);
    } catch (IOException | InterruptedException | RuntimeException e) {
      vm.close();
      throw e;
    }
    return vm;
  }

  private QemuVm(String netns, String tap, Path share) {
    this.netns = netns;
    this.tap = tap;
    this.share = share.toAbsolutePath();
    this.console = this.share.resolve("console.log");
  }

  private void prepare(Map<String, String> params) throws IOException {
    Files.createDirectories(share);
    Path src = vmDir().resolve("share");
    try (Stream<Path> files = Files.walk(src)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path dst = share.resolve(src.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(f, dst, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    StringBuilder env = new StringBuilder();
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (!e.getKey().matches("[A-Z_][A-Z0-9_]*")) {
        throw new IllegalArgumentException("bad parameter name " + e.getKey());
      }
      env.append(e.getKey()).append("='").append(e.getValue().replace("'", "'\\''")).append("'\n");
    }
    Path p = share.resolve("params.env");
    Files.deleteIfExists(p);
    Files.createFile(
        p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(p, env);
  }

  private void start(Map<String, String> params) throws IOException, InterruptedException {
    tap(netns, tap);
    String forced = System.getenv("COATI_VM_ACCEL");
    String use;
    synchronized (QemuVm.class) {
      if (forced != null && !forced.isEmpty()) {
        use = forced;
      } else if (accel != null) {
        use = accel;
      } else if (Files.isReadable(Path.of("/dev/kvm"))
          && Files.isWritable(Path.of("/dev/kvm"))
          && !kvmKnownBroken()) {
        launch(params, "kvm");
        if (awaitConsole(USERLAND, KVM_PROBE)) {
          accel = "kvm";
          return;
        }
        // the guest did not boot under KVM (e.g. nested virtualisation): fall back to TCG
        powerOff();
        accel = "tcg";
        use = accel;
        Files.writeString(cacheDir().resolve("kvm-broken"), hostId());
        clearOut();
      } else {
        accel = "tcg";
        use = accel;
      }
    }
    launch(params, use);
  }

  /** The host kernel: a failed KVM probe is remembered (cache/kvm-broken) until it changes. */
  private static String hostId() {
    return System.getProperty("os.version") + "\n";
  }

  private static boolean kvmKnownBroken() throws IOException {
    Path f = cacheDir().resolve("kvm-broken");
    return Files.exists(f) && Files.readString(f).equals(hostId());
  }

  /** The accelerator chosen for this JVM so far (kvm, tcg, or null before the first boot). */
  static synchronized String accel() {
    return accel;
  }

  private void clearOut() throws IOException {
    Path out = share.resolve("out");
    if (Files.isDirectory(out)) {
      try (Stream<Path> files = Files.walk(out)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }

  private void launch(Map<String, String> params, String acc) throws IOException {
    Files.deleteIfExists(console);
    ProcessBuilder pb =
        new ProcessBuilder(vmDir().resolve("boot.sh").toString())
            .redirectErrorStream(true)
            .redirectOutput(share.resolve("qemu-" + acc + ".log").toFile());
    Map<String, String> env = pb.environment();
    env.put("SHARE", share.toString());
    env.put("SCRIPT", params.getOrDefault("SCRIPT", "l2tp-client.sh"));
    env.put("NETNS", netns);
    env.put("TAP", tap);
    env.put("ACCEL", acc);
    env.put("CONSOLE", console.toString());
    if (params.containsKey("MAC")) {
      env.put("MAC", params.get("MAC"));
    }
    if (params.containsKey("IMAGE")) {
      env.put("IMAGE", params.get("IMAGE"));
    }
    // boot.sh execs ip netns exec, which execs qemu: this PID is qemu's
    process = pb.start();
  }

  private boolean awaitConsole(String marker, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (console().contains(marker)) {
        return true;
      }
      if (!process.isAlive()) {
        return false;
      }
      Thread.sleep(200);
    }
    return false;
  }

  /** The serial console so far (kernel messages, vminit, the script's stdout). */
  String console() {
    try {
      return Files.exists(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path share() {
    return share;
  }

  /** out/NAME in the share, once the script has written it (bounded; fails on VM exit). */
  Path awaitFile(String name, Duration timeout) throws IOException, InterruptedException {
    Path f = share.resolve("out").resolve(name);
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (Files.exists(f)) {
        return f;
      }
      if (!process.isAlive()) {
        if (Files.exists(f)) {
          return f;
        }
        throw new IOException(
            "VM exited (" + process.exitValue() + ") without out/" + name + diag());
      }
      Thread.sleep(200);
    }
    throw new IOException("no out/" + name + " within " + timeout + diag());
  }

  /** out/result.env, parsed (KEY=value lines), once the script has published it. */
  Map<String, String> awaitResult(Duration timeout) throws IOException, InterruptedException {
    return parse(awaitFile("result.env", timeout));
  }

  /** Waits (bounded) for qemu to exit (the script ended and vminit powered off); its exit code. */
  int awaitExit(Duration timeout) throws IOException, InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IOException("VM still running after " + timeout + diag());
    }
    return process.exitValue();
  }

  /** Creates NAME in the share (e.g. "stop" ends the client's HOLD with an orderly disconnect). */
  void signal(String name) throws IOException {
    Files.writeString(share.resolve(name), "");
  }

  static Map<String, String> parse(Path envFile) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : Files.readAllLines(envFile)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        m.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return m;
  }

  private String diag() {
    String c = console();
    return "\n--- console (tail) ---\n" + c.substring(Math.max(0, c.length() - 3000));
  }

  /** Pulls the plug: SIGKILL to qemu, the guest says nothing more (no IKE Delete, no StopCCN). */
  void powerOff() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    powerOff();
    Netns.tryRun("ip", "-n", netns, "link", "del", tap);
  }

  private static String tail(Path log) throws IOException {
    String s = Files.readString(log);
    return s.substring(Math.max(0, s.length() - 3000));
  }
}
