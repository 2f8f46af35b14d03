// sysctl.h — the per-interface IPv4 settings a real server needs (net.ipv4.conf.<dev>.<name>,
// written to /proc/sys).
//
//   DR and TUN: the VIP is on lo, so the host must not answer ARP for it on its real
//   interfaces (arp_ignore=1: only for addresses of the asking interface) nor use it as the
//   source of its own ARP requests (arp_announce=2).
//   TUN: decapsulated packets come in on IFACE with the client's source address, which the
//   reverse-path filter would drop when the route back goes elsewhere (rp_filter=0; the kernel
//   uses the larger of all/ and the interface's value, so both are set).
#pragma once

#include <optional>
#include <string>

namespace ulvs::rs {

// "net.ipv4.conf.<dev>.<name>", for messages and status.
std::string conf_name(const std::string& dev, const std::string& name);
void write_conf(const std::string& dev, const std::string& name, const std::string& value);  // throws Failure
std::optional<std::string> read_conf(const std::string& dev, const std::string& name);

void set_arp_sysctls();                          // {all,lo}: arp_ignore=1, arp_announce=2
void set_rp_filter_off(const std::string& dev);  // {all,dev}: rp_filter=0

}  // namespace ulvs::rs
