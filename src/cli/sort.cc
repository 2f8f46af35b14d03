#include "cli/sort.h"

#include <algorithm>
#include <cstdint>

namespace ulvs::cli {

namespace {

// AF_INET and AF_INET6 as the kernel numbers them: the family comparison subtracts them.
int af(net::Family f) { return f == net::Family::V4 ? 2 : 10; }

int wrap_diff(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b); }

uint32_t word(const net::Addr& a, int i) {
  const uint8_t* p = a.bytes.data() + 4 * i;
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}

// The address part of both comparators: the first operand's family says how many words.
int compare_addrs(bool v6, const net::Addr& a, const net::Addr& b) {
  int words = v6 ? 4 : 1;
  int r = 0;
  for (int i = 0; !r && i < words; ++i) r = wrap_diff(word(a, i), word(b, i));
  return r;
}

// glibc's msort_with_tmp: split in halves (the first one the smaller), sort each, merge
// taking from the left on ties.
template <class T, class Cmp>
void merge_sort(T* b, size_t n, T* tmp, Cmp cmp) {
  if (n <= 1) return;
  size_t n1 = n / 2, n2 = n - n1;
  T* b1 = b;
  T* b2 = b + n1;
  merge_sort(b1, n1, tmp, cmp);
  merge_sort(b2, n2, tmp, cmp);
  T* out = tmp;
  while (n1 > 0 && n2 > 0) {
    if (cmp(*b1, *b2) <= 0) {
      *out++ = std::move(*b1++);
      --n1;
    } else {
      *out++ = std::move(*b2++);
      --n2;
    }
  }
  while (n1 > 0) {
    *out++ = std::move(*b1++);
    --n1;
  }
  for (size_t i = 0; i < n - n2; ++i) b[i] = std::move(tmp[i]);
}

template <class T, class Cmp>
void glibc_qsort(std::vector<T>& v, Cmp cmp) {
  std::vector<T> tmp(v.size());
  merge_sort(v.data(), v.size(), tmp.data(), cmp);
}

// ip_vs_svc_hashkey / ip_vs_svc_fwm_hashkey with IP_VS_SVC_TAB_BITS = 8.
uint32_t bucket(const ipvs::ServiceKey& k) {
  if (k.is_fwmark()) return k.fwmark & 255;
  uint32_t port = k.port;
  return (k.protocol ^ k.addr.fold() ^ (port >> 8) ^ port) & 255;
}

}  // namespace

void to_kernel_order(std::vector<ctl::ServiceInfo>& services) {
  std::reverse(services.begin(), services.end());  // newest first
  std::stable_sort(services.begin(), services.end(), [](const auto& a, const auto& b) {
    const ipvs::ServiceKey &x = a.cfg.key, &y = b.cfg.key;
    if (x.is_fwmark() != y.is_fwmark()) return y.is_fwmark();
    return bucket(x) < bucket(y);
  });
}

int compare_services(const ipvs::ServiceConfig& a, const ipvs::ServiceConfig& b) {
  const ipvs::ServiceKey &x = a.key, &y = b.key;
  if (int r = wrap_diff(x.fwmark, y.fwmark)) return r;
  if (int r = af(x.family) - af(y.family)) return r;
  if (int r = int(x.protocol) - int(y.protocol)) return r;
  if (int r = compare_addrs(x.family == net::Family::V6, x.addr, y.addr)) return r;
  return int(x.port) - int(y.port);
}

int compare_dests(const ipvs::DestConfig& a, const ipvs::DestConfig& b) {
  if (int r = compare_addrs(a.ep.addr.is_v6(), a.ep.addr, b.ep.addr)) return r;
  return int(a.ep.port) - int(b.ep.port);
}

void sort_services(std::vector<ctl::ServiceInfo>& services) {
  glibc_qsort(services, [](const ctl::ServiceInfo& a, const ctl::ServiceInfo& b) {
    return compare_services(a.cfg, b.cfg);
  });
}

void sort_dests(std::vector<ctl::DestInfo>& dests) {
  glibc_qsort(dests, [](const ctl::DestInfo& a, const ctl::DestInfo& b) {
    return compare_dests(a.cfg, b.cfg);
  });
}

}  // namespace ulvs::cli
