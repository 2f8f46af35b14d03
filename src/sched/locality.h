// locality.h — what lblc and lblcr share (ip_vs_lblc.c / ip_vs_lblcr.c): the weighted
// least-connection pick, the "lblc-overloaded" rule, and the cache of destination addresses
// with its garbage collection.
//
//   Cache<Entry> cache;                       // Entry has `net::Addr addr; TimeMs lastuse;`
//   if (Entry* e = cache.find(daddr)) ...     // cache hit
//   cache.tick(now, expiration);              // every 60 s: drop idle entries
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "sched/scheduler.h"

namespace ulvs::sched::locality {

// overhead(a)/weight(a) < overhead(b)/weight(b), cross-multiplied as the kernel does.  128-bit
// so that even absurd counts times a 31-bit weight cannot wrap.
inline bool lighter(const ipvs::Dest& a, const ipvs::Dest& b) {
  return __int128(a.overhead()) * b.weight() < __int128(b.overhead()) * a.weight();
}

// wlc over the whole service: the first usable dest, then any strictly lighter one (a
// weight-0 dest can never be strictly lighter, so it is never picked).
inline ipvs::Dest* least_loaded(DestList dests) {
  ipvs::Dest* least = nullptr;
  for (ipvs::Dest* d : dests) {
    if (d->overloaded) continue;
    if (!least ? d->weight() > 0 : lighter(*d, *least)) least = d;
  }
  return least;
}

// "d is overloaded and some other server is under half load": the only reason lblc leaves a
// cached server that is still usable (the threshold OVERLOAD flag is not consulted here).
inline bool lblc_overloaded(const ipvs::Dest& d, DestList dests) {
  if (int64_t(d.activeconns) <= d.weight()) return false;
  return std::ranges::any_of(
      dests, [](const ipvs::Dest* m) { return int64_t(m->activeconns) * 2 < m->weight(); });
}

// The kernel's 1024-bucket table keyed on the packet's destination address.  The bucket only
// decides the order of the over-size garbage collection, which starts after a rover bucket
// and stops after the bucket that reached its goal; order inside a bucket never matters, so
// a bucket is a plain vector.
template <class Entry>
class Cache {
 public:
  static constexpr unsigned kBits = 10;
  static constexpr size_t kBuckets = size_t(1) << kBits;
  static constexpr size_t kMaxSize = kBuckets * 16;
  static constexpr ipvs::TimeMs kInterval = ipvs::seconds(60);      // CHECK_EXPIRE_INTERVAL
  static constexpr ipvs::TimeMs kIdleTimeout = ipvs::seconds(360);  // ENTRY_TIMEOUT
  static constexpr int kFullCheckEvery = 30;                        // COUNT_FOR_FULL_EXPIRATION

  static size_t bucket_of(const net::Addr& a) { return net::hash_32(a.fold(), kBits); }

  Entry* find(const net::Addr& a) {
    for (Entry& e : buckets_[bucket_of(a)])
      if (e.addr == a) return &e;
    return nullptr;
  }
  // Current kernels stop creating entries once the table is over its maximum size.
  bool full() const { return size_ > kMaxSize; }
  void insert(Entry e) {
    buckets_[bucket_of(e.addr)].push_back(std::move(e));
    ++size_;
  }
  size_t size() const { return size_; }
  // Applies f to every entry and removes those for which it returns true.
  template <class F>
  void erase_if(F&& f) {
    for (auto& b : buckets_) size_ -= std::erase_if(b, f);
  }

  // Called at least once a second; runs the kernel's 60 s timer.  The first call arms it
  // (the kernel arms it when the scheduler is bound).
  void tick(ipvs::TimeMs now, ipvs::TimeMs expiration) {
    if (!next_run_) next_run_ = now + kInterval;
    if (now < *next_run_) return;
    next_run_ = now + kInterval;
    if (counter_ % kFullCheckEvery == 0) {
      // Every 30th quiet run: drop everything idle for the sysctl expiration (24 h).
      sweep(now, expiration, SIZE_MAX);
      counter_ = 1;
    } else if (size_ <= kMaxSize) {
      ++counter_;
    } else {
      // Over size: drop entries idle 6 min, just enough buckets to shed a third over.
      size_t goal = std::min((size_ - kMaxSize) * 4 / 3, kMaxSize / 2);
      sweep(now, kIdleTimeout, goal);
    }
  }

 private:
  // Removes entries idle >= `idle`, bucket by bucket after the rover, until `goal` entries
  // went or every bucket was visited; the rover stays on the last bucket visited.
  void sweep(ipvs::TimeMs now, ipvs::TimeMs idle, size_t goal) {
    size_t removed = 0;
    for (size_t i = 0; i < kBuckets; ++i) {
      rover_ = (rover_ + 1) % kBuckets;
      removed += std::erase_if(buckets_[rover_],
                               [&](const Entry& e) { return now - e.lastuse >= idle; });
      if (removed >= goal) break;
    }
    size_ -= removed;
  }

  std::array<std::vector<Entry>, kBuckets> buckets_;
  size_t size_ = 0;
  size_t rover_ = 0;
  int counter_ = 1;
  std::optional<ipvs::TimeMs> next_run_;
};

}  // namespace ulvs::sched::locality
