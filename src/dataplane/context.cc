// context.cc — small linear/binary searches: a director has a handful of interfaces and
// local addresses; VIPs may be many, so they are kept sorted.
#include "dataplane/context.h"

#include <algorithm>

namespace ulvs::dataplane {

void Context::refresh_vips(const ipvs::Engine& engine) {
  vips.clear();
  for (const auto& svc : engine.services())
    if (!svc->key().is_fwmark()) vips.push_back(svc->key().addr);
  std::sort(vips.begin(), vips.end());
  vips.erase(std::unique(vips.begin(), vips.end()), vips.end());
}

const Interface* Context::interface(uint32_t index) const {
  for (const auto& i : interfaces)
    if (i.index == index) return &i;
  return nullptr;
}

bool Context::is_vip(const net::Addr& a) const {
  return std::binary_search(vips.begin(), vips.end(), a);
}

bool Context::is_local(const net::Addr& a) const {
  return std::find(locals.begin(), locals.end(), a) != locals.end();
}

bool Context::is_own(const net::Addr& a) const {
  for (const auto& i : interfaces)
    if (std::find(i.addrs.begin(), i.addrs.end(), a) != i.addrs.end()) return true;
  return false;
}

std::optional<net::Addr> first_addr(const Interface& i, net::Family f) {
  for (const auto& a : i.addrs)
    if (a.family == f) return a;
  return std::nullopt;
}

}  // namespace ulvs::dataplane
