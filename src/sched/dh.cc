// dh.cc — destination hashing (ip_vs_dh.c): the packet's destination address picks one of
// 256 buckets, and each bucket names a fixed real server.  Used in front of cache clusters so
// that one origin always lands on the same cache.
//
// The buckets deal the list out in turn, ignoring weights: with list C,B,A bucket i holds
// list[i mod 3].  Destination 10.0.0.1 hashes to bucket 39 → C.  If that server is quiesced
// (weight 0), overloaded or gone, there is no fallback: the connection gets no server.
#include <array>

#include "sched/scheduler.h"

namespace ulvs::sched {

namespace {

class Dh final : public Scheduler {
 public:
  std::string_view name() const override { return "dh"; }

  int init(DestList dests, SchedFlags) override {
    assign(dests);
    return 0;
  }
  // The kernel reassigns on add and delete only: an edit (weight 0 included) keeps the table.
  void add_dest(DestList dests, ipvs::Dest&) override { assign(dests); }
  void del_dest(DestList dests, ipvs::Dest&) override { assign(dests); }

  ipvs::Dest* schedule(DestList, const PacketKey& pkt, ipvs::TimeMs) override {
    // The destination as it is, even for ICMP-embedded packets (unlike sh and mh).
    ipvs::Dest* d = buckets_[net::hash_32(pkt.daddr.fold(), kBits)];
    if (!d || !d->available || d->weight() <= 0 || d->overloaded) return nullptr;
    return d;
  }

 private:
  static constexpr unsigned kBits = 8;

  void assign(DestList dests) {
    for (size_t i = 0; i < buckets_.size(); ++i)
      buckets_[i] = dests.empty() ? nullptr : dests[i % dests.size()];
  }

  std::array<ipvs::Dest*, size_t(1) << kBits> buckets_{};
};

}  // namespace

std::unique_ptr<Scheduler> make_dh() { return std::make_unique<Dh>(); }

}  // namespace ulvs::sched
