// toa_prog.cc — attaching, detaching and reading toa_sockops.
#include "rs/toa_prog.h"

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <tuple>

#include "rs/failure.h"
#include "rs/libbpf_log.h"
#include "toa_sockops.skel.h"

namespace ulvs::rs {
namespace {

using Skel = std::unique_ptr<toa_sockops, decltype(&toa_sockops__destroy)>;
using Link = std::unique_ptr<bpf_link, decltype(&bpf_link__destroy)>;

struct Fd {
  int fd;
  explicit Fd(int f) : fd(f) {}
  ~Fd() { if (fd >= 0) close(fd); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

// The map's layout (struct toa_key / toa_val in toa_sockops.bpf.c).
struct Key {
  uint8_t local_addr[16];
  uint8_t remote_addr[16];
  uint16_t local_port;   // network order
  uint16_t remote_port;  // network order
};
struct Val {
  uint8_t client_addr[16];
  uint16_t client_port;  // network order
  uint16_t pad;
};
static_assert(sizeof(Key) == 36 && sizeof(Val) == 20);

std::string pin(const char* name) { return std::string(kToaPinDir) + "/" + name; }
const std::string kLinkPin = pin("link");
const std::string kProgPin = pin("prog");
const std::string kMapPin = pin("map");

bool exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

bool is_fs(const char* path, unsigned long magic) {
  struct statfs fs;
  return statfs(path, &fs) == 0 && static_cast<unsigned long>(fs.f_type) == magic;
}

// /proc/mounts escapes blanks and backslashes in paths as \ooo.
std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 3), nullptr, 8));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool same_mount_ns_as_init() {
  struct stat self, init;
  if (stat("/proc/self/ns/mnt", &self) || stat("/proc/1/ns/mnt", &init)) return true;  // can't tell
  return self.st_ino == init.st_ino && self.st_dev == init.st_dev;
}

// bpffs on /sys/fs/bpf (mounted if it is not), and our directory in it.
void ensure_pin_dir() {
  if (!is_fs(kBpffs, BPF_FS_MAGIC)) {
    if (mount("bpf", kBpffs, "bpf", 0, "mode=0700"))
      throw Failure(errno_text(std::string("mounting bpffs on ") + kBpffs, errno));
    if (!same_mount_ns_as_init())
      std::cerr << "ulvs-rs: warning: mounted bpffs on " << kBpffs
                << " in a private mount namespace (ip netns exec?): the attachment lasts only as long as it\n";
  }
  if (mkdir(kToaPinDir, 0700) && errno != EEXIST) throw Failure(errno_text(std::string("creating ") + kToaPinDir, errno));
}

// The cgroup v2 directory, opened; its inode number is its cgroup id (what a link reports).
int open_cgroup(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw Failure(errno_text("opening cgroup " + path, errno));
  struct statfs fs;
  if (fstatfs(fd, &fs) || static_cast<unsigned long>(fs.f_type) != CGROUP2_SUPER_MAGIC) {
    close(fd);
    throw Failure(path + " is not a cgroup v2 directory");
  }
  return fd;
}

uint64_t cgroup_id(int cgroup_fd) {
  struct stat st;
  return fstat(cgroup_fd, &st) == 0 ? st.st_ino : 0;
}

// The cgroup the pinned link is attached to (0: the link is defunct, e.g. its cgroup was
// removed).  Throws when the pin is no cgroup link.
uint64_t pinned_link_cgroup() {
  Fd link(bpf_obj_get(kLinkPin.c_str()));
  if (link.fd < 0) throw Failure(errno_text("opening " + kLinkPin, errno));
  bpf_link_info info{};
  uint32_t len = sizeof(info);
  if (bpf_obj_get_info_by_fd(link.fd, &info, &len)) throw Failure(errno_text("reading " + kLinkPin, errno));
  if (info.type != BPF_LINK_TYPE_CGROUP) throw Failure(kLinkPin + " is not a cgroup link");
  return info.cgroup.cgroup_id;
}

void unpin_all() {
  for (const auto& p : {kLinkPin, kProgPin, kMapPin}) unlink(p.c_str());
  rmdir(kToaPinDir);  // fails harmlessly when something else is in it
}

Skel load_program() {
  Skel skel(toa_sockops__open(), toa_sockops__destroy);
  if (!skel) throw Failure(bpf_failure("opening the toa program", errno));
  int err = toa_sockops__load(skel.get());
  if (err) throw Failure(bpf_failure("loading the toa program (kernel BPF support?)", err));
  return skel;
}

net::Addr addr_of(const uint8_t* a) {
  static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(a, mapped, 12) == 0) return net::Addr::v4_bytes(a + 12);
  return net::Addr::v6_bytes(a);
}

net::Endpoint endpoint(const uint8_t* a, uint16_t port_be) {
  net::Endpoint e;
  e.addr = addr_of(a);
  e.port = ntohs(port_be);
  return e;
}

}  // namespace

std::string cgroup2_mount() {
  std::ifstream in("/proc/mounts");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string dev, dir, type;
    if (f >> dev >> dir >> type && type == "cgroup2") return unescape(dir);
  }
  throw Failure("no cgroup v2 mount in /proc/mounts (give --cgroup PATH; under `ip netns exec`, which "
                "remounts /sys, run ulvs-rs toa outside it)");
}

bool attach_toa(const std::string& cgroup) {
  Fd cg(open_cgroup(cgroup));
  ensure_pin_dir();
  if (exists(kLinkPin)) {
    uint64_t have = pinned_link_cgroup();
    if (have == cgroup_id(cg.fd)) return false;
    if (have != 0)
      throw Failure("toa is attached to another cgroup (id " + std::to_string(have) + "); run `ulvs-rs toa detach` first");
  }
  unpin_all();  // a defunct link, or pins left by an attach that failed half-way
  ensure_pin_dir();
  Skel skel = load_program();
  Link link(bpf_program__attach_cgroup(skel->progs.ulvs_toa, cg.fd), bpf_link__destroy);
  if (!link) throw Failure(bpf_failure("attaching the toa program to " + cgroup, errno));
  // Map and program first, the link last: the link pin is what keeps the attachment.
  int err = bpf_map__pin(skel->maps.toa, kMapPin.c_str());
  if (!err) err = bpf_program__pin(skel->progs.ulvs_toa, kProgPin.c_str());
  if (!err) err = bpf_link__pin(link.get(), kLinkPin.c_str());
  if (err) {
    unpin_all();
    throw Failure(bpf_failure("pinning the toa program in " + std::string(kToaPinDir), err));
  }
  return true;  // link and skel go: our fds close, the pins keep link, program and map
}

bool detach_toa() {
  if (!is_fs(kBpffs, BPF_FS_MAGIC)) return false;  // no bpffs: nothing of ours can be pinned
  bool had = exists(kLinkPin) || exists(kProgPin) || exists(kMapPin);
  if (exists(kLinkPin)) {
    Fd link(bpf_obj_get(kLinkPin.c_str()));
    // Detach now, even if someone else holds the link open; a defunct link says ENOLINK.
    if (link.fd >= 0 && bpf_link_detach(link.fd) && errno != ENOLINK)
      throw Failure(errno_text("detaching the toa program", errno));
  }
  unpin_all();
  if (exists(kLinkPin) || exists(kMapPin) || exists(kProgPin))
    throw Failure(errno_text("removing the pins in " + std::string(kToaPinDir), errno));
  return had;
}

std::vector<ToaEntry> toa_entries() {
  Fd map(bpf_obj_get(kMapPin.c_str()));
  if (map.fd < 0) {
    if (errno == ENOENT) throw Failure("toa is not attached (no " + kMapPin + "; run `ulvs-rs toa attach`)");
    throw Failure(errno_text("opening " + kMapPin, errno));
  }
  bpf_map_info info{};
  uint32_t len = sizeof(info);
  if (bpf_obj_get_info_by_fd(map.fd, &info, &len)) throw Failure(errno_text("reading " + kMapPin, errno));
  if (info.key_size != sizeof(Key) || info.value_size != sizeof(Val))
    throw Failure(kMapPin + " is not the toa map of this ulvs-rs");
  std::vector<ToaEntry> out;
  Key key, next;
  const void* prev = nullptr;
  while (bpf_map_get_next_key(map.fd, prev, &next) == 0) {
    Val v;
    if (bpf_map_lookup_elem(map.fd, &next, &v) == 0)  // gone meanwhile: skip
      out.push_back({endpoint(next.local_addr, next.local_port), endpoint(next.remote_addr, next.remote_port),
                     endpoint(v.client_addr, v.client_port)});
    key = next;
    prev = &key;
  }
  auto tie = [](const ToaEntry& e) {
    return std::tie(e.local.addr.family, e.local.addr.bytes, e.local.port, e.remote.addr.bytes, e.remote.port);
  };
  std::sort(out.begin(), out.end(), [&](const ToaEntry& a, const ToaEntry& b) { return tie(a) < tie(b); });
  return out;
}

}  // namespace ulvs::rs
