// neighbour_table.cc — the neighbour cache as a sorted vector of ((ifindex, address), MAC)
// searched by binary search: lookups happen per packet, updates only when the kernel's
// cache changes, and the whole table is copied into each new snapshot, which a flat vector
// makes cheap.
#include <algorithm>

#include "dataplane/io/kernel_view.h"

namespace ulvs::dataplane {

// Orders entries (and search keys) by interface, then address.
struct NeighbourTable::Key {
  using K = std::pair<uint32_t, net::Addr>;
  using E = std::pair<K, net::Mac>;
  bool operator()(const E& e, const K& k) const { return e.first < k; }
};

void NeighbourTable::set(uint32_t ifindex, const net::Addr& a, const net::Mac& mac) {
  const Key::K k{ifindex, a};
  auto it = std::lower_bound(entries_.begin(), entries_.end(), k, Key{});
  if (it != entries_.end() && it->first == k) {
    it->second = mac;
    return;
  }
  entries_.insert(it, {k, mac});
}

void NeighbourTable::erase(uint32_t ifindex, const net::Addr& a) {
  const Key::K k{ifindex, a};
  auto it = std::lower_bound(entries_.begin(), entries_.end(), k, Key{});
  if (it != entries_.end() && it->first == k) entries_.erase(it);
}

std::optional<net::Mac> NeighbourTable::find(uint32_t ifindex, const net::Addr& a) const {
  const Key::K k{ifindex, a};
  auto it = std::lower_bound(entries_.begin(), entries_.end(), k, Key{});
  if (it != entries_.end() && it->first == k) return it->second;
  return std::nullopt;
}

size_t NeighbourTable::size() const { return entries_.size(); }

}  // namespace ulvs::dataplane
