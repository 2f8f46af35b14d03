// mh.cc — Maglev hashing (ip_vs_mh.c; Eisenbud et al., NSDI 2016, §3.4): consistent hashing
// of the client address (plus port with mh-port) onto a 4093-slot lookup table.
//
// Every server has its own pseudo-random permutation of the slots (offset, offset+skip, …,
// both hsiphash of its address:port).  The servers take turns claiming their next free slot,
// `turns` slots per round in proportion to their weight, until the table is full; the client
// hash then names a slot.  Because each server's preferences are fixed, removing one of N
// servers moves little more than its own ~1/N of the clients.  Example: 192.168.10.1:80, .2:80
// and .3:80 of weight 1 own 1365/1364/1364 slots and client 10.0.0.1 (slot 3711) → .2.
#include <algorithm>
#include <bit>
#include <cerrno>
#include <numeric>
#include <vector>

#include "sched/scheduler.h"
#include "sched/siphash.h"

namespace ulvs::sched {

namespace {

class Mh final : public Scheduler {
 public:
  std::string_view name() const override { return "mh"; }

  int init(DestList dests, SchedFlags flags) override {
    flags_ = flags;
    return populate(dests);
  }
  // A change that leaves more servers than slots fails in populate() and keeps the old table.
  void add_dest(DestList dests, ipvs::Dest&) override { populate(dests); }
  void del_dest(DestList dests, ipvs::Dest&) override { populate(dests); }
  void upd_dest(DestList dests, ipvs::Dest&) override { populate(dests); }
  void set_flags(DestList, SchedFlags flags) override { flags_ = flags; }
  // Only an over-size service keeps a table naming deleted dests; their slots go empty.
  void forget(const ipvs::Dest& gone) override {
    for (ipvs::Dest*& d : table_)
      if (d == &gone) d = nullptr;
  }

  ipvs::Dest* schedule(DestList, const PacketKey& pkt, ipvs::TimeMs) override {
    const net::Addr& addr = pkt.inverse ? pkt.daddr : pkt.saddr;
    uint16_t port = 0;
    if (flags_.port && (pkt.protocol == 6 || pkt.protocol == 17 || pkt.protocol == 132))
      port = pkt.inverse ? pkt.dport : pkt.sport;
    const uint32_t key = port + addr.fold();

    const uint32_t ihash = slot(key);
    ipvs::Dest* d = table_[ihash];
    if (!d || usable(*d)) return d;
    if (!flags_.fallback) return nullptr;
    // Fallback probes rehash the key shifted by successive offsets from the first slot.
    for (uint32_t offset = 0; offset < kSize; ++offset) {
      d = table_[slot((offset + ihash) % kSize + key)];
      if (!d) return nullptr;
      if (usable(*d)) return d;
    }
    return nullptr;
  }

 private:
  static constexpr uint32_t kSize = 4093;  // CONFIG_IP_VS_MH_TAB_INDEX 12
  static constexpr int kTabBits = 6;       // CONFIG_IP_VS_MH_TAB_INDEX / 2
  static constexpr HsipKey kKey1{2654435761u, 2654435761u}, kKey2{2654446892u, 2654446892u};

  static uint32_t slot(uint32_t key) { return hsiphash_u32(key, kKey1) % kSize; }
  static bool usable(const ipvs::Dest& d) { return d.weight() > 0 && !d.overloaded; }

  int populate(DestList dests) {
    if (dests.size() > kSize) return -EINVAL;
    // Weights come from last_weight, so a quiesced (weight 0) server keeps its slots and is
    // refused at lookup, instead of reshuffling everybody.  Divide by the gcd, then shift so
    // that the largest share fits in kTabBits bits: a 100:1 pair becomes 50:1.
    int32_t g = 0, max_w = 0;
    for (const ipvs::Dest* d : dests) {
      if (d->last_weight > 0) g = g ? std::gcd(g, d->last_weight) : d->last_weight;
      max_w = std::max(max_w, d->last_weight);
    }
    std::fill(table_.begin(), table_.end(), nullptr);
    if (g < 1) return 0;  // no server with a weight: an empty table
    const int shift = std::max(0, int(std::bit_width(uint32_t(max_w / g))) - kTabBits);

    struct Perm {
      uint32_t next, skip;
      int32_t turns;
    };
    std::vector<Perm> perms;
    for (const ipvs::Dest* d : dests) {
      const uint32_t key = d->port() + d->addr().fold();
      const int32_t lw = d->last_weight;
      perms.push_back({hsiphash_u32(key, kKey1) % kSize, hsiphash_u32(key, kKey2) % (kSize - 1) + 1,
                       (lw / g) >> shift ? (lw / g) >> shift : int32_t(lw != 0)});
    }
    // Rounds in list order; each server claims its next free preferred slot `turns` times.
    std::vector<bool> taken(kSize);
    uint32_t filled = 0;
    for (;;) {
      for (size_t i = 0; i < dests.size(); ++i) {
        for (int32_t t = 0; t < perms[i].turns; ++t) {
          Perm& p = perms[i];
          while (taken[p.next]) p.next = (p.next + p.skip) % kSize;
          taken[p.next] = true;
          table_[p.next] = dests[i];
          if (++filled == kSize) return 0;
        }
      }
    }
  }

  SchedFlags flags_;
  std::vector<ipvs::Dest*> table_ = std::vector<ipvs::Dest*>(kSize);
};

}  // namespace

std::unique_ptr<Scheduler> make_mh() { return std::make_unique<Mh>(); }

}  // namespace ulvs::sched
