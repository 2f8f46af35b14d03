// mail_settings.h — where alerts go and who sends them: global_defs with keepalived 2.2.7's
// defaults filled in (keepalived/core/global_data.c init_global_data).
//
//   notify::MailSettings s = notify::mail_settings(cfg.global);   // looks the host up if needed
//   if (s.enabled()) ...                                            // smtp_server and a recipient
//
// Facts kept:
// * Mail is sent only when smtp_server is set and notification_email lists at least one
//   address (smtp.c smtp_alert returns at once otherwise).
// * smtp_server HOST [PORT]: port 25 by default; a name is resolved (ulvs: at each delivery).
// * smtp_connect_timeout (default 30 s) bounds the connection and each reply.
// * The local name is the canonical name of uname's nodename (getaddrinfo AI_CANONNAME,
//   lib/utils.c get_local_name); when it cannot be found keepalived uses "[unknown]".
// * router_id defaults to the local name (so "[unknown]" too); smtp_helo_name to the local
//   name, else "localhost" (smtp.c helo_cmd); notification_email_from to
//   "<user running the daemon>@<local name>", none when the name is unknown (keepalived
//   then prints "(null)"; ulvs sends an empty address).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/keepalived_model.h"

namespace ulvs::notify {

struct MailSettings {
  std::string server;            // smtp_server host (name or address); empty: no mail
  uint16_t port = 25;
  int64_t timeout_ms = 30000;    // smtp_connect_timeout: connect, and each reply
  std::string helo;              // HELO argument
  std::string from;              // MAIL FROM:<from> and the From: header
  std::vector<std::string> to;   // one RCPT TO each, and the To: header
  std::string router_id;         // the "[router_id]" subject prefix

  bool enabled() const { return !server.empty() && !to.empty(); }
  friend bool operator==(const MailSettings&, const MailSettings&) = default;
};

// The host's identity, as keepalived finds it.
struct LocalIdentity {
  std::string name;  // canonical host name; empty when it cannot be found
  std::string user;  // the user name of getuid(); empty when unknown
};
LocalIdentity local_identity();

// The settings for `g`, defaults taken from `id` (pure).
MailSettings mail_settings(const config::GlobalDefs& g, const LocalIdentity& id);
// The same, looking the identity up only when mail is on and a default needs it.
MailSettings mail_settings(const config::GlobalDefs& g);

}  // namespace ulvs::notify
