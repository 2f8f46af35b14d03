// conn_table.cc — pool, two-way hash and timers of the connection table.
#include "ipvs/conn_table.h"

#include "ipvs/dest.h"

#include <bit>
#include <cstring>
#include <random>

namespace ulvs::ipvs {

namespace {
constexpr uint32_t kEmpty = 0xFFFFFFFFu;

uint64_t load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// Keyed multiply-xorshift mixing: a few cycles per word, and the random seed keeps chain
// placement unpredictable from outside.
uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v;
  h *= 0x9E3779B97F4A7C15ull;
  return h ^ (h >> 29);
}
}  // namespace

struct ConnTable::Key {
  const uint8_t* src;
  const uint8_t* dst;
  uint16_t sport, dport;
  uint8_t proto, family;
  bool tmpl;
};

ConnTable::ConnTable(uint32_t max_conns, uint64_t seed)
    : pool_(std::max<uint32_t>(max_conns, 1)),
      buckets_(std::bit_ceil(std::max<uint32_t>(max_conns, 16))),
      mask_(static_cast<uint32_t>(buckets_.size() - 1)),
      seed_(seed ? seed : (uint64_t(std::random_device{}()) << 32 | std::random_device{}())),
      wheel_(pool_.data()) {
  std::fill(buckets_.begin(), buckets_.end(), kEmpty);
  // Free list through tnext, in pool order so early entries are reused first (warm cache).
  for (ConnId i = static_cast<ConnId>(pool_.size()); i-- > 0;) {
    pool_[i].tnext = free_head_;
    pool_[i].slotted = TimerWheel::kNotLinked;
    free_head_ = i;
  }
}

Conn* ConnTable::alloc() {
  if (free_head_ == kNoConn) {
    ++alloc_failures_;
    return nullptr;
  }
  ConnId id = free_head_;
  Conn& c = pool_[id];
  free_head_ = c.tnext;
  std::memset(static_cast<void*>(&c), 0, sizeof c);
  c.control = kNoConn;
  c.tnext = c.tprev = kNoConn;
  c.hnext[0] = c.hnext[1] = kEmpty;
  c.slotted = TimerWheel::kNotLinked;
  c.flags = conn_flag::kLive;
  ++used_;
  return &c;
}

void ConnTable::free(Conn& c) {
  if (hashed(c)) unhash(c);
  wheel_.cancel(id(c));
  c.flags = 0;
  c.tnext = free_head_;
  free_head_ = id(c);
  --used_;
}

bool ConnTable::has_out_key(const Conn& c) const {
  return !c.is_template() && !(c.flags & conn_flag::kNoOutput);
}

ConnTable::Key ConnTable::key_of(const Conn& c, int dir) const {
  bool tmpl = c.is_template();
  if (dir == 0) return {c.caddr.data(), c.vaddr.data(), c.cport, c.vport, c.protocol, c.family, tmpl};
  bool fullnat = c.fwd() == static_cast<uint16_t>(Fwd::FullNat);
  const uint8_t* to = fullnat ? local_addrs_[c.laddr_idx].bytes.data() : c.caddr.data();
  return {c.daddr.data(), to, c.dport, fullnat ? c.lport : c.cport, c.protocol, c.family, false};
}

uint32_t ConnTable::bucket(const Key& k) const {
  uint64_t h = seed_;
  h = mix(h, load64(k.src));
  h = mix(h, load64(k.src + 8));
  h = mix(h, load64(k.dst));
  h = mix(h, load64(k.dst + 8));
  h = mix(h, uint64_t(k.sport) << 32 | uint64_t(k.dport) << 16 | uint64_t(k.proto) << 8 |
                 uint64_t(k.family) << 1 | k.tmpl);
  return static_cast<uint32_t>(h >> 32) & mask_;
}

Conn* ConnTable::find(const Key& k, int want_dir) {
  for (uint32_t node = buckets_[bucket(k)]; node != kEmpty;) {
    Conn& c = pool_[node >> 1];
    int dir = node & 1;
    Key e = key_of(c, dir);
    if (dir == want_dir && e.sport == k.sport && e.dport == k.dport && e.proto == k.proto && e.family == k.family &&
        e.tmpl == k.tmpl && std::memcmp(e.src, k.src, 16) == 0 &&
        std::memcmp(e.dst, k.dst, 16) == 0 && !(k.tmpl && (c.flags & conn_flag::kInvalid)))
      return &c;
    node = c.hnext[dir];
  }
  return nullptr;
}

void ConnTable::insert(Conn& c, int dir) {
  uint32_t b = bucket(key_of(c, dir));
  c.hnext[dir] = buckets_[b];
  buckets_[b] = id(c) << 1 | dir;
}

void ConnTable::erase(Conn& c, int dir) {
  uint32_t want = id(c) << 1 | dir;
  uint32_t* link = &buckets_[bucket(key_of(c, dir))];
  while (*link != kEmpty && *link != want) link = &pool_[*link >> 1].hnext[*link & 1];
  if (*link == want) *link = c.hnext[dir];
  c.hnext[dir] = kEmpty;
}

void ConnTable::hash(Conn& c) {
  if (hashed(c)) return;
  insert(c, 0);
  if (has_out_key(c)) insert(c, 1);
  c.flags |= conn_flag::kHashed;
}

void ConnTable::unhash(Conn& c) {
  if (!hashed(c)) return;
  erase(c, 0);
  if (c.hnext[1] != kEmpty || has_out_key(c)) erase(c, 1);
  c.flags &= ~conn_flag::kHashed;
}

Conn* ConnTable::lookup_in(uint8_t proto, const net::Addr& src, uint16_t sport,
                           const net::Addr& dst, uint16_t dport) {
  return find({src.bytes.data(), dst.bytes.data(), sport, dport, proto,
               static_cast<uint8_t>(src.family), false}, 0);
}

Conn* ConnTable::lookup_out(uint8_t proto, const net::Addr& src, uint16_t sport,
                            const net::Addr& dst, uint16_t dport) {
  return find({src.bytes.data(), dst.bytes.data(), sport, dport, proto,
               static_cast<uint8_t>(src.family), false}, 1);
}

void ConnTable::lookup_in_batch(const FlowKey* keys, size_t n, Conn** out) {
  constexpr size_t kMax = 64;
  uint32_t b[kMax];
  for (size_t base = 0; base < n; base += kMax) {
    size_t m = std::min(kMax, n - base);
    auto key = [&](size_t i) {
      const FlowKey& k = keys[base + i];
      return Key{k.src.bytes.data(), k.dst.bytes.data(), k.sport, k.dport, k.protocol,
                 static_cast<uint8_t>(k.src.family), false};
    };
    for (size_t i = 0; i < m; ++i) {
      b[i] = bucket(key(i));
      __builtin_prefetch(&buckets_[b[i]]);
    }
    for (size_t i = 0; i < m; ++i)
      if (uint32_t head = buckets_[b[i]]; head != kEmpty) __builtin_prefetch(&pool_[head >> 1]);
    for (size_t i = 0; i < m; ++i) out[base + i] = find(key(i), 0);
  }
}

Conn* ConnTable::lookup_template(uint8_t proto, const net::Addr& client, const net::Addr& vaddr,
                                 uint16_t vport) {
  return find({client.bytes.data(), vaddr.bytes.data(), 0, vport, proto,
               static_cast<uint8_t>(client.family), true}, 0);
}

void ConnTable::arm(Conn& c, TimeMs now) { wheel_.arm(id(c), tick_of(now + c.timeout_ms)); }

void ConnTable::expire_soon(Conn& c, TimeMs now) { wheel_.arm(id(c), tick_of(now)); }

TimeMs ConnTable::expires_in(const Conn& c, TimeMs now) const {
  TimeMs at = TimeMs(c.expires) * kTickMs;
  return at > now ? at - now : 0;
}

}  // namespace ulvs::ipvs
