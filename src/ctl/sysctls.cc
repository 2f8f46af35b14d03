// sysctls.cc — the name table of sysctls.h and the kernel's integer parsing.
#include "ctl/sysctls.h"

#include <cerrno>
#include <climits>
#include <cstdint>

namespace ulvs::ctl {

namespace {

constexpr int64_t kMaxJiffySeconds = INT_MAX / 1000;  // INT_MAX / HZ, HZ 1000 (ms)

bool space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

int digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

// proc_get_long + do_proc_dointvec_conv: one int, or nullopt.
std::optional<int64_t> parse_int(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && space(s[i])) ++i;
  bool neg = false;
  if (i < s.size() && s[i] == '-') {
    neg = true;
    ++i;
  }
  if (i >= s.size() || digit(s[i]) > 9) return std::nullopt;
  int base = 10;  // strtoul's base 0
  if (s[i] == '0' && i + 2 < s.size() && (s[i + 1] == 'x' || s[i + 1] == 'X') &&
      digit(s[i + 2]) < 16) {
    base = 16;
    i += 2;
  } else if (s[i] == '0') {
    base = 8;
  }
  uint64_t mag = 0;
  for (; i < s.size() && digit(s[i]) < base; ++i) {
    mag = mag * base + uint64_t(digit(s[i]));
    if (mag > uint64_t{INT_MAX} + 1) return std::nullopt;
  }
  for (; i < s.size(); ++i)
    if (!space(s[i])) return std::nullopt;
  if (neg) return -int64_t(mag);
  if (mag > uint64_t{INT_MAX}) return std::nullopt;
  return int64_t(mag);
}

struct Knob {
  std::string_view name;
  std::string (*get)(const ipvs::Sysctl&);
  bool (*set)(ipvs::Sysctl&, int64_t);  // false: -EINVAL
};

template <int ipvs::Sysctl::*F>
std::string get_int(const ipvs::Sysctl& s) { return std::to_string(s.*F); }
template <int ipvs::Sysctl::*F>
bool set_int(ipvs::Sysctl& s, int64_t v) {
  s.*F = int(v);
  return true;
}

template <ipvs::TimeMs ipvs::Sysctl::*F>
std::string get_seconds(const ipvs::Sysctl& s) { return std::to_string(s.*F / 1000); }
template <ipvs::TimeMs ipvs::Sysctl::*F>
bool set_seconds(ipvs::Sysctl& s, int64_t v) {
  if (v > kMaxJiffySeconds || v < -kMaxJiffySeconds) return false;
  s.*F = ipvs::seconds(v);
  return true;
}

bool set_defense(ipvs::Sysctl& s, int64_t v) {
  if (v < 0 || v > 3) return false;
  s.secure_tcp = v == 2 ? 1 : int(v);  // update_defense_level without memory pressure
  return true;
}

using S = ipvs::Sysctl;
// Sorted by name, as the kernel's sysctl directory lists them.
const Knob kKnobs[] = {
    {"conn_reuse_mode", get_int<&S::conn_reuse_mode>, set_int<&S::conn_reuse_mode>},
    {"expire_nodest_conn", get_int<&S::expire_nodest_conn>, set_int<&S::expire_nodest_conn>},
    {"expire_quiescent_template", get_int<&S::expire_quiescent_template>,
     set_int<&S::expire_quiescent_template>},
    {"lblc_expiration", get_seconds<&S::lblc_expiration>, set_seconds<&S::lblc_expiration>},
    {"lblcr_expiration", get_seconds<&S::lblcr_expiration>, set_seconds<&S::lblcr_expiration>},
    {"secure_tcp", get_int<&S::secure_tcp>, set_defense},
    {"sloppy_tcp", get_int<&S::sloppy_tcp>, set_int<&S::sloppy_tcp>},
};

const Knob* find(std::string_view name) {
  for (const Knob& k : kKnobs)
    if (k.name == name) return &k;
  return nullptr;
}

}  // namespace

const std::vector<std::string_view>& sysctl_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const Knob& k : kKnobs) v.push_back(k.name);
    return v;
  }();
  return names;
}

std::optional<std::string> get_sysctl(const ipvs::Sysctl& s, std::string_view name) {
  const Knob* k = find(name);
  if (!k) return std::nullopt;
  return k->get(s);
}

int set_sysctl(ipvs::Sysctl& s, std::string_view name, std::string_view value) {
  const Knob* k = find(name);
  if (!k) return -ENOENT;
  auto v = parse_int(value);
  if (!v || !k->set(s, *v)) return -EINVAL;
  return 0;
}

std::vector<SysctlEntry> get_sysctls(const ipvs::Sysctl& s) {
  std::vector<SysctlEntry> out;
  for (const Knob& k : kKnobs) out.push_back({std::string(k.name), k.get(s)});
  return out;
}

}  // namespace ulvs::ctl
