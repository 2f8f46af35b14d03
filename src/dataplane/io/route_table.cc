// route_table.cc — longest-prefix match over a sorted vector.  A director has a few to a few
// hundred routes; a linear scan over entries ordered longest prefix first (then lowest
// metric, the kernel's preference among equal prefixes) stops at the first match, touches
// contiguous memory and needs no trie.  Both families share the vector: an entry of the
// other family never matches.
#include <algorithm>

#include "dataplane/io/kernel_view.h"

namespace ulvs::dataplane {
namespace {

// The first `len` bits of `a` (the rest zeroed): how a prefix is stored and compared.
net::Addr keep_prefix(const net::Addr& a, uint8_t len) {
  net::Addr out = a;
  const int bits = a.size() * 8;
  for (int i = 0; i < 16; ++i) {
    const int from = i * 8;  // first bit of this byte
    if (from >= bits || from >= len) {
      out.bytes[i] = 0;
    } else if (len - from < 8) {
      out.bytes[i] &= uint8_t(0xff << (8 - (len - from)));
    }
  }
  return out;
}

bool matches(const RouteTable::Entry& e, const net::Addr& dst) {
  return e.prefix.family == dst.family && keep_prefix(dst, e.len) == e.prefix;
}

// The table's order: the entry to prefer comes first.
bool preferred(const RouteTable::Entry& a, const RouteTable::Entry& b) {
  if (a.len != b.len) return a.len > b.len;
  return a.metric < b.metric;
}

}  // namespace

void RouteTable::add(Entry e) {
  const uint8_t max_len = uint8_t(e.prefix.size() * 8);
  if (e.len > max_len) e.len = max_len;
  e.prefix = keep_prefix(e.prefix, e.len);
  // After the equals: with equal prefix and metric the first route added keeps winning.
  auto at = std::upper_bound(entries_.begin(), entries_.end(), e, preferred);
  entries_.insert(at, std::move(e));
}

std::optional<NextHop> RouteTable::lookup(const net::Addr& dst) const {
  for (const Entry& e : entries_) {
    if (!matches(e, dst)) continue;
    NextHop hop = e.hop;
    if (e.onlink) hop.gateway = dst;
    return hop;
  }
  return std::nullopt;
}

}  // namespace ulvs::dataplane
