// smtp_probe.h — SMTP_CHECK: connect, expect a 220 greeting, send "HELO <helo_name>\r\n"
// (default: this host's name), expect 250, send "QUIT\r\n".  Multi-line replies
// ("250-...") are read to their last line.
//
//   smtp_reply_code("220-hi\r\n220 ready\r\n") == 220;   smtp_reply_code("220-hi\r\n") == 0
//   ProbeResult r = probe_smtp(checker, *net::Endpoint::parse("10.0.0.2:25"), Deadline::after(3000));
#pragma once

#include <string>

#include "check/deadline.h"
#include "check/probe_result.h"
#include "config/keepalived_model.h"

namespace ulvs::check {

// The code of a complete reply (its last line "NNN " or "NNN"), 0 while incomplete.
int smtp_reply_code(const std::string& buf);

ProbeResult probe_smtp(const config::Checker& c, const net::Endpoint& to, const Deadline& d);

}  // namespace ulvs::check
