// misc_probe.h — MISC_CHECK: run misc_path with /bin/sh -c in its own process group; at the
// deadline (misc_timeout, 0 → delay_loop) or on stop, SIGKILL the whole group.
// Exit 0 → up.  Without misc_dynamic anything else is down; with it, 1 → down and
// 2..255 → up with weight (status − 2).  Killed or timed out → down.
//
//   config::Checker c;  c.type = config::Checker::Misc;  c.misc_path.command = "/bin/check 10.0.0.2";
//   ProbeResult r = probe_misc(c, Deadline::after(5000));
#pragma once

#include <string>

#include "check/deadline.h"
#include "check/probe_result.h"
#include "config/keepalived_model.h"

namespace ulvs::check {

// What an exit status means (wait(2) status), exposed for tests.
ProbeResult judge_misc_status(int wait_status, bool dynamic);

ProbeResult probe_misc(const config::Checker& c, const Deadline& d);

// Whether the program a command line starts (its first word, looked up in PATH when it has
// no '/') exists and is executable.  keepalived disables a MISC_CHECK whose script is not.
bool runnable(const std::string& command);

}  // namespace ulvs::check
