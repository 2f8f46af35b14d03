// parse_checker.h — the health-checker blocks of a real_server (spec §7.6): TCP_CHECK,
// HTTP_GET, SSL_GET, MISC_CHECK, DNS_CHECK, SMTP_CHECK, UDP_CHECK, PING_CHECK, FILE_CHECK.
//
//   HTTP_GET {
//       url { path /health  status_code 200-299 404  digest 9b3a0c85a887a256d6939da88aabd8cd }
//       connect_timeout 3
//       nb_get_retry 3              # legacy alias of retry
//   }
//   MISC_CHECK { misc_path "/usr/local/bin/check.sh arg"  misc_timeout 5  misc_dynamic }
//   SMTP_CHECK { helo_name mail.example  host { connect_ip 10.0.0.5 connect_port 25 } }  (one per line)
//   UDP_CHECK { payload 0a0b0c  require_reply 0d0e  min_reply_length 2 }
//   FILE_CHECK { track_file /run/weight  dynamic  weight 10 reverse }
//
// The checker's own settings are kept apart (CheckerDraft::set) until resolve_checker()
// fills in what it did not set from the real server's and virtual server's values, then the
// per-type defaults: retry 1 (DNS 3, MISC 0), delay_before_retry 1 s (HTTP/SSL 3 s,
// DNS = delay_loop), connect_timeout 5 s, delay_loop 60 s, warmup = delay_loop.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "config/parse_cascade.h"
#include "config/parse_values.h"

namespace ulvs::config {

struct CheckerDraft {
  Checker c;
  Cascade set;  // what the checker block itself set
};

// "HTTP_GET" → Checker::Http; nullopt for a keyword that is not a checker.
std::optional<Checker::Type> checker_type(std::string_view keyword);

// One checker block; usually one checker.  An SMTP_CHECK with legacy `host` blocks makes one
// checker per host (keepalived's smtp_check_end_handler), each a copy of the SMTP_CHECK with
// the host's connection: the SMTP_CHECK itself is checked too only when it sets a connection
// option of its own (connect_ip/port, bindto, bind_port, bind_if, fwmark, connect_timeout).
// A host's connect_timeout is 0 unless the host block sets one (keepalived zero-fills it), so
// such a host check never passes.
std::vector<CheckerDraft> parse_checker(ParseCtx& ctx, const Statement& st, Checker::Type type);

// `up` holds the real server's effective settings (real_server over virtual_server).
Checker resolve_checker(const CheckerDraft& d, const Cascade& up);

}  // namespace ulvs::config
