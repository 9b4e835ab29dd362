package dev.coati.server.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.auth.AuthResult;
import dev.coati.server.dataplane.Traffic;
import dev.coati.server.events.SessionEvent;
import dev.coati.server.events.SessionEvents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UserSessionsTest {
  final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  final List<SessionEvent> seen = Collections.synchronizedList(new ArrayList<>());
  final SessionEvents events = new SessionEvents(null, null, seen::add, now::get);
  final List<String> ended = new ArrayList<>();
  final AtomicLong inPackets = new AtomicLong();

  UserSessions sessions(long defaultInterim) {
    UserSessions u =
        new UserSessions(
            events, now::get, defaultInterim, new PrintStream(new ByteArrayOutputStream()));
    u.ender((e, why) -> ended.add(e.name() + ": " + why));
    return u;
  }

  Traffic traffic() {
    return new Traffic(100 * inPackets.get(), 50, inPackets.get(), 1);
  }

  static SessionEvent up(String name) {
    return SessionEvent.up("xauth", name, "alice", "192.0.2.1:4500", "10.99.99.10");
  }

  @Test
  void upAndDown_emitEventsWithAccountingIdDurationAndTraffic() {
    UserSessions u = sessions(0);
    byte[] cls = {1, 2, 3};
    u.up(up("ike[1]"), new AuthResult.Session(0, 0, 0, cls), this::traffic);
    u.up(up("ike[2]"), AuthResult.Session.NONE, this::traffic);
    inPackets.set(7);
    now.addAndGet(42_500);
    u.down("ike[1]", "peer sent Delete");
    u.down("ike[1]", "again"); // already down: nothing
    u.down("ike[9]", "never up");
    events.flush();
    assertEquals(3, seen.size());
    SessionEvent a = seen.get(0);
    SessionEvent down = seen.get(2);
    assertEquals("up", a.type());
    assertTrue(a.accountingId().matches("[0-9a-f]{8}-[0-9a-f]{8}"), a.accountingId());
    assertNotEquals(a.accountingId(), seen.get(1).accountingId());
    assertEquals("down", down.type());
    assertEquals(a.accountingId(), down.accountingId());
    assertEquals(42, down.seconds());
    assertEquals(new Traffic(700, 50, 7, 1), down.traffic());
    assertEquals(cls, down.radiusClass());
    assertEquals("peer sent Delete", down.reason());
    assertEquals(1, u.size());
  }

  @Test
  void sessionTimeout_endsTheSessionOnce() {
    UserSessions u = sessions(0);
    u.up(up("ike[1]"), new AuthResult.Session(30, 0, 0, new byte[0]), this::traffic);
    now.addAndGet(29_900);
    u.tick(now.get());
    assertTrue(ended.isEmpty());
    now.addAndGet(100);
    u.tick(now.get());
    u.tick(now.get() + 1000);
    assertEquals(List.of("ike[1]: session timeout (30 s, from RADIUS)"), ended);
  }

  @Test
  void idleTimeout_countsOnlyWhatTheClientSends() {
    UserSessions u = sessions(0);
    u.up(up("ike[1]"), new AuthResult.Session(0, 10, 0, new byte[0]), this::traffic);
    for (int i = 0; i < 30; i++) { // a packet every second: never idle
      now.addAndGet(1000);
      inPackets.incrementAndGet();
      u.tick(now.get());
    }
    assertTrue(ended.isEmpty());
    now.addAndGet(9_000);
    u.tick(now.get());
    assertTrue(ended.isEmpty());
    now.addAndGet(1_000);
    u.tick(now.get());
    assertEquals(List.of("ike[1]: idle timeout (10 s, from RADIUS)"), ended);
  }

  @Test
  void interim_atTheRadiusIntervalButNotMoreOftenThanAMinute() {
    UserSessions u = sessions(600);
    u.up(up("ike[1]"), new AuthResult.Session(0, 0, 5, new byte[0]), this::traffic);
    u.up(up("ike[2]"), AuthResult.Session.NONE, this::traffic);
    for (int s = 1; s <= 1200; s++) {
      now.addAndGet(1000);
      u.tick(now.get());
    }
    events.flush();
    long one =
        seen.stream()
            .filter(e -> e.type().equals("interim") && e.session().equals("ike[1]"))
            .count();
    long two =
        seen.stream()
            .filter(e -> e.type().equals("interim") && e.session().equals("ike[2]"))
            .count();
    assertEquals(20, one); // 5 s asked, 60 s minimum
    assertEquals(2, two); // radius.interim_interval 600 s
    SessionEvent last = seen.get(seen.size() - 1);
    assertEquals("interim", last.type());
    assertEquals(1200, last.seconds());
  }

  @Test
  void rename_keepsTheSessionItsIdAndWhatItCarried() {
    UserSessions u = sessions(0);
    u.up(up("ike[1]"), AuthResult.Session.NONE, () -> new Traffic(1, 1, 1, 1));
    assertTrue(u.rename("ike[1]", "ike[2]", new Traffic(10, 20, 30, 40), this::traffic));
    assertFalse(u.rename("ike[1]", "ike[3]", Traffic.ZERO, this::traffic));
    u.down("ike[1]", "old SA deleted"); // no longer the session's name
    inPackets.set(2);
    u.down("ike[2]", "peer sent Delete");
    events.flush();
    assertEquals(2, seen.size());
    assertEquals(seen.get(0).accountingId(), seen.get(1).accountingId());
    assertEquals("ike[2]", seen.get(1).session());
    assertEquals(new Traffic(210, 70, 32, 41), seen.get(1).traffic());
  }
}
