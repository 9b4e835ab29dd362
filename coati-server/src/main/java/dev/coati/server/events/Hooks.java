package dev.coati.server.events;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator's up and down scripts (racoon's {@code phase1_up}/{@code phase1_down}): run with the
 * session in environment variables, no arguments, no shell, standard input closed, output
 * discarded; killed after {@code timeoutSeconds}. A failure is logged, never fatal.
 *
 * <p>Environment: {@code COATI_EVENT} (up, down), {@code COATI_KIND} (xauth, l2tp), {@code
 * COATI_SESSION}, {@code COATI_USER}, {@code COATI_PEER} (public address:port), {@code
 * COATI_ADDRESS} (assigned address), {@code COATI_INTERFACE} (the TUN device), {@code
 * COATI_SECONDS} and {@code COATI_REASON} (down only).
 */
public record Hooks(Path up, Path down, long timeoutSeconds, String tunName, PrintStream log) {
  public void run(SessionEvent e) {
    Path script =
        switch (e.type()) {
          case "up" -> up;
          case "down" -> down;
          default -> null;
        };
    if (script == null) {
      return;
    }
    ProcessBuilder pb =
        new ProcessBuilder(script.toString())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = pb.environment();
    env.put("COATI_EVENT", e.type());
    env.put("COATI_KIND", e.kind());
    put(env, "COATI_SESSION", e.session());
    put(env, "COATI_USER", e.user());
    put(env, "COATI_PEER", e.peer());
    put(env, "COATI_ADDRESS", e.address());
    put(env, "COATI_INTERFACE", tunName);
    if (e.type().equals("down")) {
      env.put("COATI_SECONDS", Long.toString(e.seconds()));
      put(env, "COATI_REASON", e.reason());
    }
    try {
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        log.println("coati: hook " + script + " killed after " + timeoutSeconds + " s");
      } else if (p.exitValue() != 0) {
        log.println("coati: hook " + script + " exited with " + p.exitValue());
      }
    } catch (IOException ex) {
      log.println("coati: hook " + script + " could not run: " + ex.getMessage());
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }

  private static void put(Map<String, String> env, String k, String v) {
    if (v != null) {
      env.put(k, v);
    }
  }
}
