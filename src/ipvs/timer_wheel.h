// timer_wheel.h — one hashed timing wheel for every connection entry, no timer objects.
//
// Each entry carries its expiry tick and its slot links (Conn::expires/slotted/tnext/tprev).
// Re-arming on every packet is a store: an entry moves only when its new expiry is earlier
// than the slot it sits in, or when its slot comes round and it has not expired yet.  Slots
// cover kSlots ticks; later expiries park in the last reachable slot and hop on.
//
//   TimerWheel w(pool);  w.arm(id, expires_tick);  w.advance(now_tick, [](ConnId id) {...});
#pragma once

#include <cstdint>
#include <vector>

#include "ipvs/conn.h"

namespace ulvs::ipvs {

class TimerWheel {
 public:
  static constexpr uint32_t kSlots = 8192;
  static constexpr uint32_t kNotLinked = 0xFFFFFFFFu;

  explicit TimerWheel(Conn* pool) : pool_(pool), slots_(kSlots, kNoConn) {}

  uint32_t now() const { return now_; }
  // Sets the entry to expire at `tick` (> now) and links it if needed.
  void arm(ConnId id, uint32_t tick);
  void cancel(ConnId id);
  bool linked(ConnId id) const { return pool_[id].slotted != kNotLinked; }

  // Moves time to `tick`; calls on_expire(id) for each entry whose expiry has come.  The
  // callback either re-arms the entry or releases it.
  template <class F>
  void advance(uint32_t tick, F&& on_expire) {
    if (tick <= now_) return;
    if (tick - now_ >= kSlots) {  // long gap: sweep every slot once
      now_ = tick;
      for (uint32_t s = 0; s < kSlots; ++s) run_slot(s, on_expire);
      return;
    }
    while (now_ < tick) run_slot(++now_ & (kSlots - 1), on_expire);
  }

 private:
  void link(ConnId id, uint32_t tick);
  void unlink(ConnId id);

  template <class F>
  void run_slot(uint32_t slot, F& on_expire) {
    ConnId id = slots_[slot];
    slots_[slot] = kNoConn;
    while (id != kNoConn) {
      Conn& c = pool_[id];
      ConnId next = c.tnext;
      c.tnext = c.tprev = kNoConn;
      c.slotted = kNotLinked;
      if (c.expires <= now_)
        on_expire(id);
      else
        link(id, c.expires);
      id = next;
    }
  }

  Conn* pool_;
  std::vector<ConnId> slots_;
  uint32_t now_ = 0;
};

}  // namespace ulvs::ipvs
