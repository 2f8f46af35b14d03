// wrr.cc — weighted round robin, the kernel >= 3.10 algorithm (ip_vs_wrr.c).
//
// Passes over the list with a falling threshold cw = mw, mw - di, ..., down to 1, where di is
// the gcd of the positive weights and mw = max weight - (di - 1); each pass picks, in list
// order, every usable dest with weight >= cw.  A full cycle gives each dest weight/di picks.
//   list A(3), B(2), C(1):  A A B A B C, repeating;   list A(4), B(2) (di 2, mw 3):  A A B.
//
// State: the cursor (last chosen dest, or the head) plus cw, mw, di.  Every add/del/edit puts
// the cursor back to the head and recomputes mw and di, adjusting cw (see changed()).
#include <algorithm>
#include <numeric>

#include "sched/scheduler.h"

namespace ulvs::sched {
namespace {

class Wrr final : public Scheduler {
 public:
  std::string_view name() const override { return "wrr"; }

  int init(DestList dests, SchedFlags) override {
    recompute(dests);
    cw_ = mw_;
    return 0;
  }
  void add_dest(DestList dests, ipvs::Dest&) override { changed(dests); }
  void del_dest(DestList dests, ipvs::Dest&) override { changed(dests); }
  void upd_dest(DestList dests, ipvs::Dest&) override { changed(dests); }

  ipvs::Dest* schedule(DestList dests, const PacketKey&, ipvs::TimeMs) override {
    if (mw_ == 0) return nullptr;  // every weight is 0
    if (pos_ >= std::ptrdiff_t(dests.size()) || (pos_ >= 0 && dests[pos_] != cur_)) pos_ = -1;
    const std::ptrdiff_t last = pos_;  // where this call started; -1 is the head
    std::ptrdiff_t stop = -2;          // none yet
    bool last_pass = false, restarted = false;
    for (std::ptrdiff_t i = pos_;;) {
      for (++i; i < std::ptrdiff_t(dests.size()); ++i) {
        ipvs::Dest* d = dests[i];
        if (!d->overloaded && d->weight() >= cw_) {
          cur_ = d;
          pos_ = i;
          return d;
        }
        if (i == stop) return nullptr;  // all overloaded; the cursor stays where it was
      }
      // End of the list: next pass with a lower threshold.
      cw_ -= di_;
      if (cw_ <= 0) {
        cw_ = mw_;
        // A pass with cw <= di already looked at every dest (or we started at the head, so
        // the only pass covered them all): nothing is usable.
        if (last_pass || last == -1) {
          pos_ = -1;  // the kernel leaves its cursor on the list head here
          cur_ = nullptr;
          return nullptr;
        }
        restarted = true;
      }
      last_pass = cw_ <= di_;
      // After wrapping, the first pass covered only the dests after `last`: this final pass
      // covers the rest up to `last` itself and gives up there, the cursor staying on `last`.
      if (last_pass && restarted && last != -1) stop = last;
      i = -1;
    }
  }

 private:
  void recompute(DestList dests) {
    int32_t g = 0, max = 0;
    for (const ipvs::Dest* d : dests) {
      if (d->weight() > 0) g = std::gcd(g, d->weight());
      max = std::max(max, d->weight());
    }
    di_ = g ? g : 1;
    mw_ = max - (di_ - 1);
    pos_ = -1;
    cur_ = nullptr;
  }
  // ip_vs_wrr_dest_changed: keep cw inside the new range; with a gcd > 1 round it to the
  // start of its step (k*di + 1) so the remaining passes stay aligned with the new weights.
  void changed(DestList dests) {
    recompute(dests);
    if (cw_ > mw_ || cw_ == 0) cw_ = mw_;
    else if (di_ > 1) cw_ = (cw_ / di_) * di_ + 1;
  }

  ipvs::Dest* cur_ = nullptr;  // last chosen dest; nullptr: the list head
  std::ptrdiff_t pos_ = -1;    // its index in the list, -1 for the head
  int32_t cw_ = 0, mw_ = 0, di_ = 1;
};

}  // namespace

std::unique_ptr<Scheduler> make_wrr() { return std::make_unique<Wrr>(); }

}  // namespace ulvs::sched
