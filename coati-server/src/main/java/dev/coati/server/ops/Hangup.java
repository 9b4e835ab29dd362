package dev.coati.server.ops;

import dev.coati.nativeio.Libc;
import dev.coati.nativeio.ProcessControl;
import java.io.PrintStream;
import java.util.concurrent.TimeoutException;

/** SIGHUP reloads the configuration, as with {@code coati reload} (answer in the log). */
public final class Hangup {
  private Hangup() {}

  /** Installs the handler; false (and a log line) where the JVM does not allow it. */
  @SuppressWarnings("removal")
  public static boolean install(Operations ops, PrintStream log) {
    try {
      // started under nohup (or by anything that leaves SIGHUP ignored), the JVM would accept
      // the handler below and never call it: put the default back first
      if (ProcessControl.unignore(ProcessControl.SIGHUP)) {
        log.println("coati: SIGHUP was ignored (nohup?); reset so that it reloads");
      }
    } catch (Libc.ErrnoException | UnsatisfiedLinkError | IllegalStateException e) {
      log.println("coati: cannot check SIGHUP's disposition (" + e.getMessage() + ")");
    }
    try {
      sun.misc.Signal.handle(
          new sun.misc.Signal("HUP"),
          sig ->
              Thread.ofPlatform()
                  .daemon()
                  .name("coati-reload")
                  .start(
                      () -> {
                        try {
                          ops.reload();
                        } catch (TimeoutException e) {
                          log.println("coati: reload: the gateway did not answer in time");
                        }
                      }));
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      log.println("coati: SIGHUP not available (" + e.getMessage() + "); use coati reload");
      return false;
    }
  }
}
