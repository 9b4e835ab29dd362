package dev.coati.ike.wire;

import dev.coati.util.ByteWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reassembles IKEv1 fragments (payload 132) of one peer. Bounded: at most {@link
 * Limits#MAX_FRAGMENTS} pieces and {@link Limits#MAX_REASSEMBLED} bytes per message, and only the
 * newest fragment ID is kept (a new ID discards an unfinished older one, as strongSwan does).
 */
public final class FragmentReassembler {
  private int currentId = -1;
  private final Map<Integer, byte[]> pieces = new TreeMap<>();
  private int lastNumber = -1;
  private int bytes;

  /**
   * Adds a fragment. Returns the whole message once every number from 1 to the one flagged LAST is
   * present, else null. Throws {@link MalformedPacketException} on numbers out of range or when the
   * caps are exceeded (the partial message is dropped).
   */
  public byte[] add(FragmentPayload f) {
    if (f.number() < 1 || f.number() > Limits.MAX_FRAGMENTS) {
      throw new MalformedPacketException("fragment number " + f.number());
    }
    if (f.fragmentId() != currentId) {
      if (currentId != -1 && f.fragmentId() < currentId) {
        return null; // an older message: ignore
      }
      reset();
      currentId = f.fragmentId();
    }
    if (pieces.containsKey(f.number())) {
      return null;
    }
    byte[] data = f.data();
    if (bytes + data.length > Limits.MAX_REASSEMBLED) {
      reset();
      throw new MalformedPacketException("reassembled message too large");
    }
    pieces.put(f.number(), data);
    bytes += data.length;
    if (f.last()) {
      lastNumber = f.number();
    }
    if (lastNumber < 0 || pieces.size() < lastNumber) {
      return null;
    }
    Map<Integer, byte[]> copy = new HashMap<>(pieces);
    ByteWriter w = new ByteWriter(bytes);
    for (int i = 1; i <= lastNumber; i++) {
      byte[] p = copy.get(i);
      if (p == null) {
        return null;
      }
      w.bytes(p);
    }
    reset();
    return w.toByteArray();
  }

  private void reset() {
    pieces.clear();
    lastNumber = -1;
    bytes = 0;
  }

  /** Number of fragments held for the message in progress. */
  public int pending() {
    return pieces.size();
  }
}
