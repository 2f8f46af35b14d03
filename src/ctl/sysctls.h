// sysctls.h — the /proc/sys/net/ipv4/vs knobs ulvs has, by the kernel's names, read and
// written as text the way the kernel reads and writes those files.
//
//   ipvs::Sysctl& s = engine.sysctl();
//   set_sysctl(s, "sloppy_tcp", "1");            // 0
//   set_sysctl(s, "conn_reuse_mode", "x");       // -EINVAL: not a number
//   set_sysctl(s, "drop_entry", "1");            // -ENOENT: not a knob ulvs has
//   get_sysctl(s, "lblc_expiration");            // "86400" (seconds)
//   get_sysctls(s);                              // every {name, value}, in the kernel's order
//
// Values parse like the kernel's proc_dointvec: optional leading white space, an optional
// '-', a number in C notation (10, 0x10, 010), optional trailing white space; anything else,
// or a number outside int, is -EINVAL.  Per knob (ip_vs_ctl.c, ip_vs_lblc.c, ip_vs_lblcr.c):
//   expire_nodest_conn, expire_quiescent_template, sloppy_tcp, conn_reuse_mode: any int,
//     kept as written (nonzero is on; conn_reuse_mode's bit 1 adds DR FIN_WAIT reuse);
//   secure_tcp: 0..3 (proc_do_defense_mode).  2 reads back as 1 at once: the kernel drops
//     to 1 whenever memory is not short, which for ulvs is always;
//   lblc_expiration, lblcr_expiration: seconds (proc_dointvec_jiffies), |value| at most
//     INT_MAX / HZ with ulvs's "jiffy" being a millisecond (HZ 1000): 2147483.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctl/model.h"
#include "ipvs/sysctl.h"

namespace ulvs::ctl {

// The names, in the order the kernel lists /proc/sys/net/ipv4/vs (sorted by name).
const std::vector<std::string_view>& sysctl_names();

// The value as the /proc file reads it, without the newline; nullopt for an unknown name.
std::optional<std::string> get_sysctl(const ipvs::Sysctl& s, std::string_view name);

// 0, -ENOENT (no such knob) or -EINVAL (bad value; nothing changes).
int set_sysctl(ipvs::Sysctl& s, std::string_view name, std::string_view value);

// Every knob with its value, in sysctl_names() order.
std::vector<SysctlEntry> get_sysctls(const ipvs::Sysctl& s);

}  // namespace ulvs::ctl
