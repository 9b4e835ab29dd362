package dev.coati.ike;

import dev.coati.ike.wire.VendorIdPayload;
import java.util.List;

/**
 * The Vendor IDs we send in phase 1. Only what this engine implements is announced: nothing yet
 * (DPD and NAT-T announcements come with the features themselves).
 */
final class OurVendorIds {
  private OurVendorIds() {}

  static List<VendorIdPayload> payloads(IkeContext ctx) {
    return List.of();
  }
}
