// twos.cc — power of two random choices (ip_vs_twos.c): draw two dests at random, weighted
// by weight, and keep the one less loaded per unit of weight (overhead = active*256+inactive).
//
//   A(w1), B(w3): each draw is A with probability (1+1)/(4+1), B with 3/5.  If the draws
//   are A (2 active) and B (idle), B wins; on equal load per weight the first draw wins.
#include <random>

#include "sched/scheduler.h"

namespace ulvs::sched {
namespace {

// The kernel multiplies in plain int; wrap the same way without signed-overflow UB.
int32_t mul32(int32_t a, int32_t b) { return int32_t(uint32_t(a) * uint32_t(b)); }

class Twos final : public Scheduler {
 public:
  explicit Twos(uint64_t seed) : rng_(seed ? seed : (uint64_t(std::random_device{}()) << 32) |
                                                        std::random_device{}()) {}
  std::string_view name() const override { return "twos"; }

  ipvs::Dest* schedule(DestList dests, const PacketKey&, ipvs::TimeMs) override {
    int64_t total = 0;
    for (const ipvs::Dest* d : dests)
      if (eligible(*d)) total += d->weight();
    if (total == 0) return nullptr;

    // Both draws are in [0, total]: the +1 makes the first eligible dest take w1 + 1 values.
    int64_t r1 = int64_t(uint32_t(rng_()) % uint64_t(total + 1));
    int64_t r2 = int64_t(uint32_t(rng_()) % uint64_t(total + 1));
    ipvs::Dest *c1 = nullptr, *c2 = nullptr;
    for (ipvs::Dest* d : dests) {
      if (!eligible(*d)) continue;
      r1 -= d->weight();
      r2 -= d->weight();
      if (!c1 && r1 <= 0) c1 = d;
      if (!c2 && r2 <= 0) c2 = d;
      if (c1 && c2) break;
    }
    const int32_t o1 = int32_t(c1->overhead()), o2 = int32_t(c2->overhead());
    return mul32(c2->weight(), o1) > mul32(c1->weight(), o2) ? c2 : c1;
  }

 private:
  std::mt19937_64 rng_;
};

}  // namespace

std::unique_ptr<Scheduler> make_twos(uint64_t seed) { return std::make_unique<Twos>(seed); }

}  // namespace ulvs::sched
