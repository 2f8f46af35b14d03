// rr.cc — round robin: walk the list from the last chosen dest, one step per connection,
// skipping quiesced (weight 0) and overloaded dests.
//
//   add A, B, C (list C, B, A)  ->  C B A C B A ...;   B at weight 0  ->  C A C A ...
//
// The cursor is the last chosen dest, or "the head" (before the first dest) after init.  It
// is kept as a pointer plus its index so a pick costs O(1) like the kernel's list cursor; the
// index follows the list through add_dest (insertion at index 0) and del_dest.
#include <algorithm>

#include "sched/scheduler.h"

namespace ulvs::sched {
namespace {

class Rr final : public Scheduler {
 public:
  std::string_view name() const override { return "rr"; }

  int init(DestList, SchedFlags) override {
    to_head();
    return 0;
  }

  void add_dest(DestList, ipvs::Dest&) override {
    if (cur_) ++pos_;  // the new dest went in front of the cursor
  }

  // `dests` no longer holds `removed`.  As in ip_vs_rr.c, a cursor on the removed dest moves
  // to its predecessor, so the next pick is the removed dest's successor.
  void del_dest(DestList dests, ipvs::Dest& removed) override {
    if (!cur_) return;
    if (cur_ == &removed || !at_cursor(dests)) --pos_;  // removed was at or before the cursor
    if (cur_ == &removed) {
      if (pos_ < 0) to_head();
      else cur_ = dests[pos_];
    }
  }

  ipvs::Dest* schedule(DestList dests, const PacketKey&, ipvs::TimeMs) override {
    resync(dests);
    const auto n = std::ptrdiff_t(dests.size());
    // One full cycle: from the cursor's successor around to the cursor itself.
    for (std::ptrdiff_t k = 1; k <= n; ++k) {
      std::ptrdiff_t i = (pos_ + k) % n;
      if (eligible(*dests[i])) {
        cur_ = dests[i];
        pos_ = i;
        return cur_;
      }
    }
    return nullptr;
  }

 private:
  void to_head() {
    cur_ = nullptr;
    pos_ = -1;
  }
  bool at_cursor(DestList dests) const {
    return pos_ >= 0 && pos_ < std::ptrdiff_t(dests.size()) && dests[pos_] == cur_;
  }
  // Safety net should the list change without a hook: find the cursor again, or restart.
  void resync(DestList dests) {
    if (!cur_ || at_cursor(dests)) return;
    auto it = std::find(dests.begin(), dests.end(), cur_);
    if (it == dests.end()) to_head();
    else pos_ = it - dests.begin();
  }

  ipvs::Dest* cur_ = nullptr;  // nullptr: the list head
  std::ptrdiff_t pos_ = -1;    // index of cur_ in the list, -1 for the head
};

}  // namespace

std::unique_ptr<Scheduler> make_rr() { return std::make_unique<Rr>(); }

}  // namespace ulvs::sched
