// sysctl.cc — /proc/sys/net/ipv4/conf reads and writes.
#include "rs/sysctl.h"

#include <cerrno>
#include <fstream>

#include "rs/failure.h"

namespace ulvs::rs {
namespace {

// The interface name is one path component even when it has dots ("eth0.100").
std::string conf_path(const std::string& dev, const std::string& name) {
  return "/proc/sys/net/ipv4/conf/" + dev + "/" + name;
}

}  // namespace

std::string conf_name(const std::string& dev, const std::string& name) {
  return "net.ipv4.conf." + dev + "." + name;
}

void write_conf(const std::string& dev, const std::string& name, const std::string& value) {
  errno = 0;
  std::ofstream f(conf_path(dev, name));
  if (f) f << value << '\n' << std::flush;
  if (!f) throw Failure(errno_text("setting " + conf_name(dev, name) + "=" + value, errno ? errno : EIO));
}

std::optional<std::string> read_conf(const std::string& dev, const std::string& name) {
  std::ifstream f(conf_path(dev, name));
  std::string v;
  if (!(f >> v)) return std::nullopt;
  return v;
}

void set_arp_sysctls() {
  for (const char* dev : {"all", "lo"}) {
    write_conf(dev, "arp_ignore", "1");
    write_conf(dev, "arp_announce", "2");
  }
}

void set_rp_filter_off(const std::string& dev) {
  write_conf("all", "rp_filter", "0");
  write_conf(dev, "rp_filter", "0");
}

}  // namespace ulvs::rs
