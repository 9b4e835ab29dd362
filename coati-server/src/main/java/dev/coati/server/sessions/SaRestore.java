package dev.coati.server.sessions;

import dev.coati.ike.ChildSa;
import dev.coati.ike.IkeEngine;
import dev.coati.ike.IkeSa;
import dev.coati.ike.SaSnapshot;
import dev.coati.ike.SaSnapshotCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * At start, before the data plane runs: the SAs saved by {@link SaStateStore} go back into the
 * engine (established) and, through its listener, into the data plane, each child continuing its
 * outbound sequence at the saved reservation ({@code sequences}); a road warrior's lease and
 * session come back through {@code session}. Expired, damaged or refused files are removed with a
 * line in the log; nothing in a file can stop the start. The files are written again, with fresh
 * reservations, before this returns.
 */
public final class SaRestore {
  /** SA files read at most (a gateway with more SAs resumes this many). */
  static final int MAX_FILES = 16_384;

  /** Where a resumed child's sequence numbers go (the data plane). */
  public interface Resumer {
    void resume(ChildSa child, long outboundSequence, long inboundHighest);
  }

  private SaRestore() {}

  /**
   * Resumes every saved SA still alive at {@code nowMillis}; {@code session} gets each resumed SA
   * (false: it cannot go on, e.g. its address went to someone else: the SA is kicked). Returns the
   * resumed SAs.
   */
  public static List<IkeSa> restore(
      SaStateStore store,
      IkeEngine engine,
      Resumer sequences,
      Predicate<IkeSa> session,
      long nowMillis)
      throws IOException {
    List<IkeSa> resumed = new ArrayList<>();
    int dropped = 0;
    for (Path p : SaStateStore.files(store.dir())) {
      String name = p.getFileName().toString();
      if (name.endsWith(".tmp")) {
        Files.deleteIfExists(p); // a write the crash interrupted: the file before it stands
        continue;
      }
      SaSnapshot s = read(store, p);
      if (s == null) {
        dropped++;
        continue;
      }
      if (s.expiry() <= nowMillis) {
        store.log().println("coati: " + s.name() + " saved SA expired during the restart: dropped");
        s.destroy();
        Files.deleteIfExists(p);
        dropped++;
        continue;
      }
      IkeSa sa = engine.resume(s);
      if (sa == null) {
        store.log().println("coati: " + name + ": SA already present: dropped");
        Files.deleteIfExists(p);
        dropped++;
        continue;
      }
      for (SaSnapshot.Child c : s.children()) {
        sequences.resume(c.sa(), c.outboundSequence(), c.inboundHighest());
      }
      if (!session.test(sa)) {
        engine.kick(sa, "its session could not be resumed");
        continue;
      }
      resumed.add(sa);
    }
    store.sync(engine.sas()); // new reservations above the restored ones, before any packet
    store.awaitWrites();
    if (!resumed.isEmpty() || dropped > 0) {
      store
          .log()
          .println(
              "coati: resumed "
                  + resumed.size()
                  + " SA"
                  + (resumed.size() == 1 ? "" : "s")
                  + " from before the restart"
                  + (dropped > 0 ? " (" + dropped + " dropped)" : ""));
    }
    return resumed;
  }

  private static SaSnapshot read(SaStateStore store, Path p) throws IOException {
    try {
      if (Files.size(p) > SaSnapshotCodec.MAX_BYTES) {
        throw new IllegalArgumentException("larger than " + SaSnapshotCodec.MAX_BYTES + " bytes");
      }
      return SaSnapshotCodec.decode(Files.readAllBytes(p));
    } catch (IllegalArgumentException | IOException e) {
      store
          .log()
          .println("coati: " + p + ": unreadable SA state (" + e.getMessage() + "): removed");
      Files.deleteIfExists(p);
      return null;
    }
  }
}
