// timer_wheel.cc — slot list maintenance for TimerWheel.
#include "ipvs/timer_wheel.h"

#include <algorithm>

namespace ulvs::ipvs {

void TimerWheel::arm(ConnId id, uint32_t tick) {
  Conn& c = pool_[id];
  tick = std::max(tick, now_ + 1);
  c.expires = tick;
  if (c.slotted == kNotLinked) {
    link(id, tick);
  } else if (tick < c.slotted) {  // earlier than its slot: it must move, or it would expire late
    unlink(id);
    link(id, tick);
  }  // later: stays; when its slot comes round it hops to the right one
}

void TimerWheel::cancel(ConnId id) {
  if (pool_[id].slotted != kNotLinked) unlink(id);
}

void TimerWheel::link(ConnId id, uint32_t tick) {
  Conn& c = pool_[id];
  uint32_t at = std::min(tick, now_ + kSlots - 1);  // beyond the wheel: park in the last slot
  uint32_t slot = at & (kSlots - 1);
  c.slotted = at;
  c.tprev = kNoConn;
  c.tnext = slots_[slot];
  if (c.tnext != kNoConn) pool_[c.tnext].tprev = id;
  slots_[slot] = id;
}

void TimerWheel::unlink(ConnId id) {
  Conn& c = pool_[id];
  if (c.tprev != kNoConn)
    pool_[c.tprev].tnext = c.tnext;
  else
    slots_[c.slotted & (kSlots - 1)] = c.tnext;
  if (c.tnext != kNoConn) pool_[c.tnext].tprev = c.tprev;
  c.tnext = c.tprev = kNoConn;
  c.slotted = kNotLinked;
}

}  // namespace ulvs::ipvs
