// frag_table.cc — the fixed-size tables behind fragment forwarding.
#include "dataplane/frag_table.h"

#include <algorithm>

#include "net/ipv6.h"
#include "net/wire.h"

namespace ulvs::dataplane {

std::optional<FragKey> fragment_key(std::span<uint8_t> frame, const net::ParsedFrame& p) {
  if (!p.ok() || !p.is_fragment) return std::nullopt;
  if (p.l3_offset > frame.size() || p.l3_len > frame.size() - p.l3_offset) return std::nullopt;
  std::span<uint8_t> ip = frame.subspan(p.l3_offset, p.l3_len);
  FragKey k{.src = p.src, .dst = p.dst, .proto = p.l4_proto};
  if (p.l3 == net::L3::Ipv4) {
    if (ip.size() < 20) return std::nullopt;
    k.id = net::load16(&ip[4]);
    return k;
  }
  if (p.l3 != net::L3::Ipv6) return std::nullopt;
  auto v6 = net::Ipv6View::parse(ip);
  if (!v6 || !v6->is_fragment()) return std::nullopt;
  k.id = v6->frag_id();
  return k;
}

ConnCopy ConnCopy::of(const ipvs::Conn& c, const net::Addr& laddr) {
  ConnCopy r;
  r.conn = c;
  r.conn.dest = nullptr;
  r.laddr = laddr;
  if (c.dest) {
    r.tun_type = c.dest->cfg.tun_type;
    r.tun_port = c.dest->cfg.tun_port;
    r.tun_flags = c.dest->cfg.tun_flags;
  }
  return r;
}

FragTable::FragTable() : entries_(kEntries) {}

size_t FragTable::slot(const FragKey& k) const {
  uint64_t h = (uint64_t(k.src.fold()) << 32 | k.dst.fold()) * 0x9e3779b97f4a7c15ull;
  h ^= (uint64_t(k.id) << 8 | k.proto) * 0xc2b2ae3d27d4eb4full;
  h ^= h >> 29;
  return size_t(h) & (kEntries - 1);
}

void FragTable::learn(const Entry& e, ipvs::TimeMs now) {
  size_t s = slot(e.key);
  Entry* same = nullptr;
  Entry* free = nullptr;
  Entry* oldest = nullptr;
  for (size_t i = 0; i < kProbe; ++i) {
    Entry& x = entries_[(s + i) & (kEntries - 1)];
    if (x.expires <= now) {
      if (!free) free = &x;
    } else if (x.key == e.key) {
      same = &x;  // the same datagram's first fragment again (a duplicate)
    } else if (!oldest || x.expires < oldest->expires) {
      oldest = &x;
    }
  }
  Entry* to = same ? same : free ? free : oldest;
  *to = e;
  to->expires = now + kEntryMs;
}

const FragTable::Entry* FragTable::find(const FragKey& k, ipvs::TimeMs now) const {
  size_t s = slot(k);
  for (size_t i = 0; i < kProbe; ++i) {
    const Entry& x = entries_[(s + i) & (kEntries - 1)];
    if (x.expires > now && x.key == k) return &x;
  }
  return nullptr;
}

FragTable::Pending* FragTable::pending(const FragKey& k) {
  if (!pending_used_) return nullptr;
  for (Pending& p : pending_)
    if (p.used && p.key == k) return &p;
  return nullptr;
}

bool FragTable::hold(const FragKey& k, std::span<const uint8_t> frame, uint32_t ingress,
                     ipvs::TimeMs now) {
  if (held_bytes_ + frame.size() > kHeldBytes) return false;
  Pending* p = pending(k);
  if (!p) {
    if (pending_used_ == kPendingKeys) return false;
    p = &*std::find_if(pending_.begin(), pending_.end(), [](const Pending& x) { return !x.used; });
    p->used = true;
    p->key = k;
    p->deadline = now + kHoldMs;
    p->frames.clear();
    ++pending_used_;
    if (!next_deadline_ || p->deadline < next_deadline_) next_deadline_ = p->deadline;
  }
  if (p->frames.size() >= kPerKey) return false;
  p->frames.push_back({{frame.begin(), frame.end()}, ingress});
  held_bytes_ += frame.size();
  return true;
}

std::vector<FragTable::Held> FragTable::take(const FragKey& k) {
  Pending* p = pending(k);
  if (!p) return {};
  std::vector<Held> out = std::move(p->frames);
  for (const Held& h : out) held_bytes_ -= h.frame.size();
  p->frames.clear();
  p->used = false;
  --pending_used_;
  return out;
}

size_t FragTable::expire(ipvs::TimeMs now) {
  if (!next_deadline_ || now < next_deadline_) return 0;
  size_t dropped = 0;
  next_deadline_ = 0;
  for (Pending& p : pending_) {
    if (!p.used) continue;
    if (p.deadline <= now) {
      dropped += p.frames.size();
      for (const Held& h : p.frames) held_bytes_ -= h.frame.size();
      p.frames.clear();
      p.used = false;
      --pending_used_;
    } else if (!next_deadline_ || p.deadline < next_deadline_) {
      next_deadline_ = p.deadline;
    }
  }
  return dropped;
}

size_t FragTable::held_frames() const {
  size_t n = 0;
  for (const Pending& p : pending_)
    if (p.used) n += p.frames.size();
  return n;
}

}  // namespace ulvs::dataplane
