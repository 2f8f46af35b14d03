// decap_prog.cc — loading, attaching, detaching and reading back tc_decap.
#include "rs/decap_prog.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "rs/clsact.h"
#include "rs/failure.h"
#include "rs/libbpf_log.h"
#include "tc_decap.skel.h"

namespace ulvs::rs {
namespace {

using Skel = std::unique_ptr<tc_decap, decltype(&tc_decap__destroy)>;

struct Fd {
  int fd;
  explicit Fd(int f) : fd(f) {}
  ~Fd() { if (fd >= 0) close(fd); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

// The `vips` key: IPv6 as is, IPv4 as ::ffff:a.b.c.d.
std::array<uint8_t, 16> vip_key(const net::Addr& a) {
  if (a.is_v6()) return a.bytes;
  std::array<uint8_t, 16> k{};
  k[10] = k[11] = 0xff;
  std::memcpy(&k[12], a.bytes.data(), 4);
  return k;
}

net::Addr vip_of_key(const uint8_t* k) {
  static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(k, mapped, 12) == 0) return net::Addr::v4_bytes(k + 12);
  return net::Addr::v6_bytes(k);
}

Skel load_program() {
  Skel skel(tc_decap__open(), tc_decap__destroy);
  if (!skel) throw Failure(bpf_failure("opening the decap program", errno));
  int err = tc_decap__load(skel.get());
  if (err) throw Failure(bpf_failure("loading the decap program (kernel BPF support?)", err));
  return skel;
}

void fill_maps(tc_decap* skel, const std::vector<net::Addr>& vips, uint16_t gue_port) {
  uint32_t zero = 0, port = gue_port;
  if (bpf_map__update_elem(skel->maps.cfg, &zero, sizeof(zero), &port, sizeof(port), BPF_ANY))
    throw Failure(bpf_failure("setting the GUE port", errno));
  for (const auto& vip : vips) {
    auto key = vip_key(vip);
    uint8_t one = 1;
    if (bpf_map__update_elem(skel->maps.vips, key.data(), key.size(), &one, sizeof(one), BPF_ANY))
      throw Failure(bpf_failure("adding VIP " + vip.str() + " to the decap program", errno));
  }
}

bpf_tc_hook ingress_hook(int ifindex) {
  LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
  return hook;
}

// One attached program's map, found by name among the program's maps.
int map_fd_by_name(int prog_fd, const char* name) {
  uint32_t ids[8] = {};
  bpf_prog_info info{};
  uint32_t len = sizeof(info);
  info.nr_map_ids = 8;
  info.map_ids = reinterpret_cast<uintptr_t>(ids);
  if (bpf_obj_get_info_by_fd(prog_fd, &info, &len)) return -1;
  for (uint32_t i = 0; i < info.nr_map_ids && i < 8; ++i) {
    int fd = bpf_map_get_fd_by_id(ids[i]);
    if (fd < 0) continue;
    bpf_map_info m{};
    uint32_t mlen = sizeof(m);
    if (bpf_obj_get_info_by_fd(fd, &m, &mlen) == 0 && std::strcmp(m.name, name) == 0) return fd;
    close(fd);
  }
  return -1;
}

void read_vips(int prog_fd, DecapState& s) {
  Fd map(map_fd_by_name(prog_fd, "vips"));
  if (map.fd < 0) return;
  uint8_t key[16], next[16];
  const void* prev = nullptr;
  while (bpf_map_get_next_key(map.fd, prev, next) == 0) {
    s.vips.push_back(vip_of_key(next));
    std::memcpy(key, next, sizeof(key));
    prev = key;
  }
}

void read_port(int prog_fd, DecapState& s) {
  Fd map(map_fd_by_name(prog_fd, "cfg"));
  uint32_t zero = 0, port = 0;
  if (map.fd >= 0 && bpf_map_lookup_elem(map.fd, &zero, &port) == 0) s.gue_port = uint16_t(port);
}

void read_counters(int prog_fd, DecapState& s) {
  Fd map(map_fd_by_name(prog_fd, "counters"));
  int cpus = libbpf_num_possible_cpus();
  if (map.fd < 0 || cpus <= 0) return;
  std::vector<uint64_t> per_cpu(static_cast<size_t>(cpus));
  for (uint32_t slot = 0; slot < s.counters.size(); ++slot) {
    if (bpf_map_lookup_elem(map.fd, &slot, per_cpu.data())) continue;
    for (uint64_t v : per_cpu) s.counters[slot] += v;
  }
}

std::string prog_name(int prog_fd) {
  bpf_prog_info info{};
  uint32_t len = sizeof(info);
  if (bpf_obj_get_info_by_fd(prog_fd, &info, &len)) return {};
  return info.name;
}

}  // namespace

void attach_decap(int ifindex, const std::vector<net::Addr>& vips, uint16_t gue_port) {
  Skel skel = load_program();
  fill_maps(skel.get(), vips, gue_port);  // before attaching: no window without VIPs
  ensure_clsact(ifindex);
  bpf_tc_hook hook = ingress_hook(ifindex);
  LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = bpf_program__fd(skel->progs.ulvs_decap),
              .flags = BPF_TC_F_REPLACE, .handle = kTcHandle, .priority = kTcPriority);
  int err = bpf_tc_attach(&hook, &opts);
  if (err) throw Failure(bpf_failure("attaching the decap program", err));
  // skel goes: our fds close, the filter keeps the program and its maps.
}

bool detach_decap(int ifindex) {
  bpf_tc_hook hook = ingress_hook(ifindex);
  LIBBPF_OPTS(bpf_tc_opts, opts, .handle = kTcHandle, .priority = kTcPriority);
  int err = bpf_tc_detach(&hook, &opts);
  if (err == -ENOENT || err == -EINVAL) {  // no filter, or no clsact at all
    forget_kernel_message();
    return false;
  }
  if (err) throw Failure(bpf_failure("detaching the decap program", err));
  return true;
}

std::optional<DecapState> query_decap(int ifindex) {
  bpf_tc_hook hook = ingress_hook(ifindex);
  LIBBPF_OPTS(bpf_tc_opts, opts, .handle = kTcHandle, .priority = kTcPriority);
  if (bpf_tc_query(&hook, &opts)) {
    forget_kernel_message();
    return std::nullopt;
  }
  DecapState s;
  s.prog_id = opts.prog_id;
  Fd prog(bpf_prog_get_fd_by_id(opts.prog_id));
  if (prog.fd < 0) throw Failure(bpf_failure("opening program " + std::to_string(s.prog_id), errno));
  s.prog_name = prog_name(prog.fd);
  if (s.prog_name != kProgName) return s;  // not ours: no maps to read
  read_port(prog.fd, s);
  read_vips(prog.fd, s);
  read_counters(prog.fd, s);
  return s;
}

}  // namespace ulvs::rs
