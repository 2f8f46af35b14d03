// keepalived_parser.h — keepalived.conf → KeepalivedConfig (spec §7; issue 5).
//
//   config::Diagnostics diag;
//   auto cfg = config::load_keepalived("/etc/keepalived/keepalived.conf", diag);
//   for (auto& d : diag) log(d.level, d.where.str() + ": " + d.message);
//   if (!cfg) keep_the_running_configuration();
//
// An unknown keyword is a Warning (its block, if it opens one, is skipped).  A malformed
// value — bad address, unknown lb_kind / lb_algo, port 0, weight out of range, unbalanced
// braces, a missing include file, a duplicate real server — is an Error and the result is
// nullopt.  vrrp_instance / vrrp_sync_group / vrrp_script are kept as VrrpBlock with a
// Warning that they are not active yet.
//
// Deliberate differences from keepalived: a duplicate real server is an Error (keepalived
// drops the second one with a warning); a group member, a status code or a digest that does
// not parse is an Error.  Additions: `lb_kind FULLNAT` (alias FNAT) and, in virtual_server,
// `toa` / `proxy_protocol v1|v2` (see parse_virtual_server.h).
#pragma once

#include <optional>
#include <string>

#include "config/keepalived_model.h"

namespace ulvs::config {

struct ParseOptions {
  // For `@ID` conditional lines (keepalived -i); nullopt: the short host name, as keepalived.
  std::optional<std::string> config_id;
};

std::optional<KeepalivedConfig> load_keepalived(const std::string& path, Diagnostics& diag,
                                                const ParseOptions& opt = {});

// The same from text (tests); `name` is used in messages, includes resolve against `dir`.
std::optional<KeepalivedConfig> parse_keepalived_text(const std::string& text, const std::string& name,
                                                      Diagnostics& diag, const ParseOptions& opt = {},
                                                      const std::string& dir = ".");

}  // namespace ulvs::config
