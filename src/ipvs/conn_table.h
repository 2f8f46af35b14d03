// conn_table.h — the connection table: a preallocated pool of entries, hashed both ways.
//
// Every entry is reachable by its in-key <proto, client, vip> (the packet the client sends)
// and, for methods whose replies cross the director (NAT, FULLNAT), by its out-key
// <proto, real server, client or local address> (the packet the real server sends back).
// The pool is sized once; when it is full, alloc() fails and the caller counts a drop.
// Expiry is driven by a TimerWheel over the same pool.
//
//   ConnTable t(1 << 20);
//   Conn* c = t.alloc();  ...fill...;  t.hash(*c);  t.arm(*c, now);
//   Conn* hit = t.lookup_in(IPPROTO_TCP, client, 40000, vip, 80);
#pragma once

#include <cstdint>
#include <vector>

#include "ipvs/clock.h"
#include "ipvs/conn.h"
#include "ipvs/huge_array.h"
#include "ipvs/timer_wheel.h"
#include "net/addr.h"

namespace ulvs::ipvs {

class ConnTable {
 public:
  static constexpr TimeMs kTickMs = 100;  // timer resolution

  // seed 0: a random hash seed (a fixed seed makes hash chains predictable to attackers).
  explicit ConnTable(uint32_t max_conns, uint64_t seed = 0);

  Conn* alloc();  // zeroed entry, not hashed, not armed; nullptr when the pool is exhausted
  void free(Conn& c);  // unhashes and disarms too

  void hash(Conn& c);    // in-key, plus out-key unless the entry has kNoOutput replies
  void unhash(Conn& c);
  bool hashed(const Conn& c) const { return c.flags & conn_flag::kHashed; }

  // A connection (never a template) whose client-side packet this is.
  Conn* lookup_in(uint8_t proto, const net::Addr& src, uint16_t sport, const net::Addr& dst,
                  uint16_t dport);
  // A connection whose reply packet (from the real server) this is.
  Conn* lookup_out(uint8_t proto, const net::Addr& src, uint16_t sport, const net::Addr& dst,
                   uint16_t dport);
  // Batched lookup_in for the data plane: all buckets are prefetched, then all first
  // entries, then the chains walked, so the memory latencies of a batch overlap.
  struct FlowKey {
    uint8_t protocol;
    net::Addr src, dst;
    uint16_t sport, dport;
  };
  void lookup_in_batch(const FlowKey* keys, size_t n, Conn** out);

  // A valid persistence template <proto, masked client, 0, vip-or-mark, vport>.
  Conn* lookup_template(uint8_t proto, const net::Addr& client, const net::Addr& vaddr,
                        uint16_t vport);

  // (Re)arms the idle timer to now + c.timeout_ms.
  void arm(Conn& c, TimeMs now);
  // Expires the entry at the next advance().
  void expire_soon(Conn& c, TimeMs now);
  template <class F>
  void advance(TimeMs now, F&& on_expire) {
    wheel_.advance(static_cast<uint32_t>(now / kTickMs), [&](ConnId id) { on_expire(pool_[id]); });
  }
  // Seconds until expiry, as -Lc shows it.
  TimeMs expires_in(const Conn& c, TimeMs now) const;

  // FULLNAT local addresses, indexed by Conn::laddr_idx (out-key of FULLNAT entries).
  void set_local_addrs(std::vector<net::Addr> addrs) { local_addrs_ = std::move(addrs); }
  const net::Addr& local_addr(const Conn& c) const { return local_addrs_[c.laddr_idx]; }
  uint32_t local_addr_count() const { return static_cast<uint32_t>(local_addrs_.size()); }
  const std::vector<net::Addr>& local_addrs() const { return local_addrs_; }

  ConnId id(const Conn& c) const { return static_cast<ConnId>(&c - pool_.data()); }
  Conn& at(ConnId id) { return pool_[id]; }
  uint32_t size() const { return used_; }
  uint32_t capacity() const { return static_cast<uint32_t>(pool_.size()); }
  uint32_t buckets() const { return mask_ + 1; }
  uint64_t alloc_failures() const { return alloc_failures_; }

  // Every live entry (connections and templates), in pool order.
  template <class F>
  void for_each(F&& f) {
    for (auto& c : pool_)
      if (c.flags & conn_flag::kLive) f(c);
  }

 private:
  struct Key;

  uint32_t tick_of(TimeMs t) const { return static_cast<uint32_t>((t + kTickMs - 1) / kTickMs); }
  uint32_t bucket(const Key& k) const;
  Key key_of(const Conn& c, int dir) const;
  Conn* find(const Key& k, int want_dir);
  void insert(Conn& c, int dir);
  void erase(Conn& c, int dir);
  bool has_out_key(const Conn& c) const;

  HugeArray<Conn> pool_;
  HugeArray<uint32_t> buckets_;  // chain heads: (id << 1 | dir), or kEmpty
  uint32_t mask_;
  uint64_t seed_;
  ConnId free_head_ = kNoConn;
  uint32_t used_ = 0;
  uint64_t alloc_failures_ = 0;
  std::vector<net::Addr> local_addrs_;
  TimerWheel wheel_;
};

}  // namespace ulvs::ipvs
