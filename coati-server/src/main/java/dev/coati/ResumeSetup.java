package dev.coati;

import dev.coati.config.GatewayConfig;
import dev.coati.ike.IkeEngine;
import dev.coati.server.dataplane.DataPlane;
import dev.coati.server.policy.RemoteAccessService;
import dev.coati.server.sessions.SaRestore;
import dev.coati.server.sessions.SaStateStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/** SA resumption ({@code state.resume_sas}): the store in the state directory and the restore. */
final class ResumeSetup {
  private ResumeSetup() {}

  /** The store (an engine listener), or null: no state directory, no data plane, or turned off. */
  static SaStateStore store(GatewayConfig config, Path stateDir, DataPlane dp, PrintStream out)
      throws IOException {
    return dp == null
        ? null
        : SaStateStore.open(
            stateDir, config.resumeSas(), dp::nextSequence, dp::highestReceived, out);
  }

  /** Resumes the saved SAs: after the engine exists, before the data plane's threads start. */
  static void restore(SaStateStore store, IkeEngine engine, DataPlane dp, RemoteAccessService ra)
      throws IOException {
    if (store != null) {
      SaRestore.restore(
          store,
          engine,
          dp::resumeSequences,
          sa -> ra == null || ra.resumed(sa),
          System.currentTimeMillis());
    }
  }
}
