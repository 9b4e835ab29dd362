package dev.coati.server.ops;

import dev.coati.config.GatewayConfig;
import dev.coati.nativeio.Libc;
import dev.coati.nativeio.ProcessControl;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.stream.Stream;

/**
 * What {@code coati run} does to its own process: no core dumps at start (a core would hold the
 * PSKs and the last Xauth password), and, started as root with {@code gateway.user}, the drop to
 * that user once sockets and the TUN device are open, keeping only CAP_NET_ADMIN,
 * CAP_NET_BIND_SERVICE and CAP_NET_RAW (the same three the systemd unit grants).
 */
public final class ProcessGuard {
  private ProcessGuard() {}

  /** Core dumps off; a line in the log when the platform does not allow it. */
  public static void atStart(PrintStream log) {
    try {
      ProcessControl.disableCoreDumps();
    } catch (Libc.ErrnoException | UnsatisfiedLinkError | IllegalStateException e) {
      log.println("coati: warning: cannot disable core dumps (" + e.getMessage() + ")");
    }
  }

  /**
   * Drops root for {@code gateway.user}; the state directory (if any) is handed to that user first
   * so leases can still be saved. Throws when the user does not exist or a call fails: a gateway
   * asked to drop privileges never runs on as root.
   */
  public static void dropPrivileges(GatewayConfig config, Path stateDir, PrintStream log)
      throws IOException {
    String name = config.runAs();
    int euid = ProcessControl.euid();
    if (name == null) {
      if (euid == 0) {
        log.println(
            "coati: warning: running as root with every privilege; set gateway.user to drop to"
                + " an unprivileged user once the sockets are open");
      }
      return;
    }
    ProcessControl.User user =
        ProcessControl.user(name)
            .orElseThrow(
                () ->
                    new IOException(
                        "gateway.user: no such user '"
                            + name
                            + "' (create it: useradd --system --no-create-home --shell"
                            + " /usr/sbin/nologin "
                            + name
                            + ")"));
    if (euid != 0) {
      if (euid != user.uid()) {
        log.println(
            "coati: gateway.user " + name + " ignored: not started as root (uid " + euid + ")");
      }
      return;
    }
    if (stateDir != null && Files.isDirectory(stateDir)) {
      handOver(stateDir, name);
    }
    ProcessControl.dropPrivileges(
        user,
        ProcessControl.CAP_NET_ADMIN,
        ProcessControl.CAP_NET_BIND_SERVICE,
        ProcessControl.CAP_NET_RAW);
    log.println(
        "coati: dropped root: now user "
            + name
            + " (uid "
            + user.uid()
            + ", gid "
            + user.gid()
            + ") with CAP_NET_ADMIN, CAP_NET_BIND_SERVICE, CAP_NET_RAW");
  }

  private static void handOver(Path dir, String name) throws IOException {
    UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
    var owner = users.lookupPrincipalByName(name);
    try (Stream<Path> files = Stream.concat(Stream.of(dir), Files.list(dir))) {
      for (Path p : files.toList()) {
        Files.getFileAttributeView(p, PosixFileAttributeView.class).setOwner(owner);
      }
    }
  }
}
