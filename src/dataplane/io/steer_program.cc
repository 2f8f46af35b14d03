// steer_program.cc — loading, attaching and feeding the XDP steering program (see .h).
#include "dataplane/io/steer_program.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <xdp/libxdp.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <utility>

#include "xdp_steer.skel.h"

namespace ulvs::dataplane {
namespace {

std::string xdp_error(int rc) {
  char buf[256];
  libxdp_strerror(rc, buf, sizeof buf);
  return buf;
}

OwnedKey key_of(const net::Addr& a, uint8_t proto = 0, uint16_t port = 0) {
  OwnedKey k;
  std::memcpy(k.addr, a.bytes.data(), 16);
  k.family = static_cast<uint8_t>(a.family);
  k.proto = proto;
  k.port = htons(port);
  return k;
}

// One program per interface of a network namespace; the ports of that interface share it.
struct RegistryKey {
  uint64_t netns = 0;
  uint32_t ifindex = 0;
  friend auto operator<=>(const RegistryKey&, const RegistryKey&) = default;
};
std::mutex registry_mu;   // lookups and first attaches
std::mutex attach_mu;     // libxdp attach and detach, one at a time per process
std::map<RegistryKey, std::weak_ptr<SteerProgram>> registry;

// libxdp and libbpf narrate their fallbacks (no bpffs, no dispatcher: one program per
// interface, which is what ulvs wants anyway) at info level; only warnings reach the log.
int quiet_libxdp(enum libxdp_print_level level, const char* fmt, va_list args) {
  if (level != LIBXDP_WARN) return 0;
  if (std::strstr(fmt, "bpffs") || std::strstr(fmt, "dispatcher")) return 0;  // expected here
  std::fputs("ulvsd: ", stderr);
  return std::vfprintf(stderr, fmt, args);
}
int quiet_libbpf(enum libbpf_print_level level, const char* fmt, va_list args) {
  if (level != LIBBPF_WARN) return 0;
  if (std::strstr(fmt, "skipping unrecognized data section")) return 0;  // .xdp_metadata
  std::fputs("ulvsd: libbpf: ", stderr);
  return std::vfprintf(stderr, fmt, args);
}

uint64_t current_netns() {
  struct stat st{};
  if (stat("/proc/thread-self/ns/net", &st) != 0) return 0;
  return st.st_ino;
}

}  // namespace

std::shared_ptr<SteerProgram> SteerProgram::acquire(const std::string& ifname, uint32_t ifindex,
                                                    std::string& err) {
  std::lock_guard lock(registry_mu);
  static bool quiet = (libxdp_set_print(quiet_libxdp), libbpf_set_print(quiet_libbpf), true);
  (void)quiet;
  RegistryKey rk{current_netns(), ifindex};
  if (auto it = registry.find(rk); it != registry.end())
    if (auto p = it->second.lock()) return p;
  std::erase_if(registry, [](const auto& kv) { return kv.second.expired(); });
  std::shared_ptr<SteerProgram> p(new SteerProgram);
  {
    std::lock_guard alock(attach_mu);
    if (!p->attach(ifname, ifindex, err)) {
      p->close_program();
      return nullptr;
    }
  }
  registry[rk] = p;
  return p;
}

// Opens the skeleton's embedded object and lets libxdp load and attach it in `mode`.
// libxdp uses its multi-program dispatcher when bpffs is mounted at /sys/fs/bpf and falls back
// to attaching the program alone otherwise.
bool SteerProgram::attach(const std::string& ifname, uint32_t ifindex, std::string& err) {
  ifindex_ = ifindex;
  std::string native_err;
  for (xdp_attach_mode mode : {XDP_MODE_NATIVE, XDP_MODE_SKB}) {
    skel_ = xdp_steer__open();
    if (!skel_) {
      err = "xdp_steer: open skeleton: " + std::string(strerror(errno));
      return false;
    }
    prog_ = xdp_program__from_bpf_obj(skel_->obj, "xdp");
    if (int rc = libxdp_get_error(prog_); rc || !prog_) {
      prog_ = nullptr;
      err = "xdp_steer: " + xdp_error(rc);
      close_program();
      return false;
    }
    int rc = xdp_program__attach(prog_, static_cast<int>(ifindex), mode, 0);
    if (rc == 0) {
      native_ = mode == XDP_MODE_NATIVE;
      attached_ = true;
      break;
    }
    close_program();
    if (mode == XDP_MODE_NATIVE) {
      native_err = xdp_error(rc);
      continue;
    }
    err = ifname + ": attach XDP program: native: " + native_err + "; skb: " + xdp_error(rc);
    return false;
  }
  if (!native_)
    fprintf(stderr, "ulvsd: %s: native XDP refused (%s), using SKB (generic) mode\n",
            ifname.c_str(), native_err.c_str());
  xsks_fd_ = bpf_map__fd(skel_->maps.xsks_map);
  owned_fd_ = bpf_map__fd(skel_->maps.owned);
  if (xsks_fd_ < 0 || owned_fd_ < 0 || bpf_map__key_size(skel_->maps.owned) != sizeof(OwnedKey)) {
    err = ifname + ": xdp_steer maps not usable";
    return false;
  }
  return true;
}

void SteerProgram::close_program() {
  if (prog_) {
    if (attached_)
      xdp_program__detach(prog_, static_cast<int>(ifindex_),
                          native_ ? XDP_MODE_NATIVE : XDP_MODE_SKB, 0);
    xdp_program__close(prog_);   // does not free skel_->obj (it came from outside)
  }
  prog_ = nullptr;
  attached_ = false;
  if (skel_) xdp_steer__destroy(skel_);
  skel_ = nullptr;
  xsks_fd_ = owned_fd_ = -1;
}

SteerProgram::~SteerProgram() {
  std::lock_guard lock(attach_mu);
  close_program();
}

bool SteerProgram::add_socket(uint32_t queue, int xsk_fd, std::string& err) {
  if (bpf_map_update_elem(xsks_fd_, &queue, &xsk_fd, BPF_ANY) != 0) {
    err = "xsks_map[" + std::to_string(queue) + "]: " + strerror(errno);
    return false;
  }
  return true;
}

void SteerProgram::remove_socket(uint32_t queue) {
  bpf_map_delete_elem(xsks_fd_, &queue);
}

bool SteerProgram::set_owned(const Owned& owned, std::string& err) {
  std::map<OwnedKey, uint32_t> want;
  for (const auto& a : owned.vips) want[key_of(a)] |= kOwnedVip;
  for (const auto& a : owned.locals) want[key_of(a)] |= kOwnedLocal;
  for (const auto& r : owned.nat_reals) {
    want[key_of(r.addr, r.protocol, r.port)] |= kOwnedNatReal;
    want[key_of(r.addr)] |= kOwnedNatRealAddr;
  }
  if (ifaddrs* ifa = nullptr; getifaddrs(&ifa) == 0) {
    for (ifaddrs* i = ifa; i; i = i->ifa_next) {
      if (!i->ifa_addr) continue;
      if (i->ifa_addr->sa_family == AF_INET) {
        auto* sin = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
        auto* bytes = reinterpret_cast<const uint8_t*>(&sin->sin_addr);
        want[key_of(net::Addr::v4_bytes(bytes))] |= kOwnedHost;
      } else if (i->ifa_addr->sa_family == AF_INET6) {
        auto* sin6 = reinterpret_cast<const sockaddr_in6*>(i->ifa_addr);
        want[key_of(net::Addr::v6_bytes(sin6->sin6_addr.s6_addr))] |= kOwnedHost;
      }
    }
    freeifaddrs(ifa);
  }

  std::lock_guard lock(mu_);
  bool ok = true;
  for (auto it = installed_.begin(); it != installed_.end();) {
    if (want.count(it->first)) {
      ++it;
      continue;
    }
    if (bpf_map_delete_elem(owned_fd_, &it->first) != 0 && errno != ENOENT) {
      err = std::string("owned map delete: ") + strerror(errno);
      ok = false;
    }
    it = installed_.erase(it);
  }
  for (const auto& [k, kind] : want) {
    auto it = installed_.find(k);
    if (it != installed_.end() && it->second == kind) continue;
    if (bpf_map_update_elem(owned_fd_, &k, &kind, BPF_ANY) != 0) {
      err = std::string("owned map update: ") + strerror(errno);   // full (16384 entries)
      ok = false;
      continue;
    }
    installed_[k] = kind;
  }
  return ok;
}

}  // namespace ulvs::dataplane
