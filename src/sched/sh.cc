// sh.cc — source hashing (ip_vs_sh.c): the client address (plus its port with sh-port) picks
// one of 256 buckets, and each bucket names a fixed real server, so a client keeps its server.
//
// The buckets are filled walking the list cyclically, each server taking `weight` consecutive
// buckets (a weight-0 server still takes one per cycle): list X(2),Y(1) → X X Y X X Y …, so X
// owns 171 buckets and Y 85.  With list C,B,A of weight 1, client 10.0.0.1 hashes to bucket 39
// → C.  If the bucket's server is quiesced or overloaded there is no server, unless
// sh-fallback is set: then a fixed per-client probe sequence of buckets is tried.
#include <array>

#include "sched/scheduler.h"

namespace ulvs::sched {

namespace {

class Sh final : public Scheduler {
 public:
  std::string_view name() const override { return "sh"; }

  int init(DestList dests, SchedFlags flags) override {
    flags_ = flags;
    assign(dests);
    return 0;
  }
  void add_dest(DestList dests, ipvs::Dest&) override { assign(dests); }
  void del_dest(DestList dests, ipvs::Dest&) override { assign(dests); }
  void upd_dest(DestList dests, ipvs::Dest&) override { assign(dests); }
  void set_flags(DestList, SchedFlags flags) override { flags_ = flags; }

  ipvs::Dest* schedule(DestList, const PacketKey& pkt, ipvs::TimeMs) override {
    // An ICMP error quoting our reply carries the client as its destination.
    const net::Addr& addr = pkt.inverse ? pkt.daddr : pkt.saddr;
    uint16_t port = 0;
    if (flags_.port && (pkt.protocol == 6 || pkt.protocol == 17 || pkt.protocol == 132))
      port = pkt.inverse ? pkt.dport : pkt.sport;
    const uint32_t key = port + addr.fold();

    const unsigned ihash = bucket(key, 0);
    ipvs::Dest* d = buckets_[ihash];
    if (!d || usable(*d)) return d;
    if (!flags_.fallback) return nullptr;
    // The kernel's probe adds the offset to the hash *again*, so it starts at 2*ihash.
    for (unsigned offset = 0; offset < kSize; ++offset) {
      d = buckets_[bucket(key, (offset + ihash) % kSize)];
      if (!d) return nullptr;
      if (usable(*d)) return d;
    }
    return nullptr;
  }

 private:
  static constexpr unsigned kBits = 8, kSize = 1u << kBits;

  static unsigned bucket(uint32_t key, unsigned offset) {
    return (offset + net::hash_32(key, kBits)) & (kSize - 1);
  }
  // The table is rebuilt on delete, so every server in it is still in the service.
  static bool usable(const ipvs::Dest& d) { return d.weight() > 0 && !d.overloaded; }

  void assign(DestList dests) {
    size_t i = 0;
    int32_t taken = 0;  // buckets the current server has so far in this cycle
    for (ipvs::Dest*& b : buckets_) {
      if (dests.empty()) {
        b = nullptr;
        continue;
      }
      b = dests[i];
      if (++taken >= b->weight()) {
        i = (i + 1) % dests.size();
        taken = 0;
      }
    }
  }

  SchedFlags flags_;
  std::array<ipvs::Dest*, kSize> buckets_{};
};

}  // namespace

std::unique_ptr<Scheduler> make_sh() { return std::make_unique<Sh>(); }

}  // namespace ulvs::sched
