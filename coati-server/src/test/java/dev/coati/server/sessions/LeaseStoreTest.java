package dev.coati.server.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.pool.AddressPool;
import dev.coati.pool.LeaseResult;
import dev.coati.util.Ipv4Address;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseStoreTest {
  @TempDir Path dir;
  final PrintStream log = new PrintStream(new ByteArrayOutputStream());
  static final long HOUR = 3_600_000;

  static AddressPool pool() {
    return AddressPool.of("10.99.99.10-10.99.99.11", Ipv4Address.parse("10.99.99.1"));
  }

  static Ipv4Address granted(LeaseResult r) {
    assertTrue(r instanceof LeaseResult.Granted, r.toString());
    return ((LeaseResult.Granted) r).lease().address();
  }

  @Test
  void leasesSurviveACrash_heldForTheirUsersUntilTheSessionsCouldHaveEnded() throws Exception {
    Path file = dir.resolve("leases");
    AddressPool before = pool();
    LeaseStore s = new LeaseStore(file, before, HOUR, log);
    Ipv4Address alice = granted(before.lease("alice", "ike[1]", null, 0, 1000));
    granted(before.lease("bob", "ike[2]", null, 0, 1000));
    s.tick(1000);
    s.flush(1000); // waits for the writer (kill -9 would leave the file of the last tick)
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertFalse(Files.exists(dir.resolve("leases.tmp")));
    String text = Files.readString(file);
    assertTrue(text.contains("10.99.99.10 alice "), text);

    // the restarted gateway: nobody else gets alice's or bob's address
    AddressPool after = pool();
    LeaseStore restarted = new LeaseStore(file, after, HOUR, log);
    assertEquals(2, restarted.restore(60_000));
    assertTrue(after.lease("carol", "ike[3]", null, 0, 60_000) instanceof LeaseResult.Refused);
    assertEquals(alice, granted(after.lease("alice", "ike[4]", null, 0, 61_000)));
    // bob's session could have run one lifetime (+ the save period) past the last save
    long end = 1000 + HOUR + LeaseStore.REFRESH_MILLIS;
    assertTrue(after.lease("carol", "ike[3]", null, 0, end - 1) instanceof LeaseResult.Refused);
    assertEquals(
        Ipv4Address.parse("10.99.99.11"), granted(after.lease("carol", "ike[3]", null, 0, end)));
  }

  @Test
  void aCleanStop_savesNoLeases_andAUserNameCannotForgeALine() throws Exception {
    Path file = dir.resolve("leases");
    AddressPool p = pool();
    LeaseStore s = new LeaseStore(file, p, HOUR, log);
    granted(p.lease("eve 10.99.99.11 99999999999999\n10.99.99.11", "ike[1]", null, 0, 0));
    s.tick(0);
    s.flush(0);
    assertEquals(2, Files.readAllLines(file).size(), Files.readString(file));
    AddressPool after = pool();
    assertEquals(1, new LeaseStore(file, after, HOUR, log).restore(1));
    assertEquals(1, after.freeCount());
    p.release("eve 10.99.99.11 99999999999999\n10.99.99.11", "ike[1]");
    LeaseStore again = new LeaseStore(file, p, HOUR, log);
    again.flush(5);
    assertEquals(0, new LeaseStore(file, pool(), HOUR, log).restore(6));
  }
}
