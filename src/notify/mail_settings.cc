// mail_settings.cc — see mail_settings.h.
#include "notify/mail_settings.h"

#include <netdb.h>
#include <pwd.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstring>

namespace ulvs::notify {

LocalIdentity local_identity() {
  LocalIdentity id;
  utsname u{};
  if (uname(&u) == 0) {
    addrinfo hints{};
    hints.ai_flags = AI_CANONNAME;
    addrinfo* res = nullptr;
    if (getaddrinfo(u.nodename, nullptr, &hints, &res) == 0) {
      if (res && res->ai_canonname) id.name = res->ai_canonname;
      freeaddrinfo(res);
    }
  }
  passwd pw{}, *found = nullptr;
  char buf[1024];
  if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &found) == 0 && found) id.user = pw.pw_name;
  return id;
}

MailSettings mail_settings(const config::GlobalDefs& g, const LocalIdentity& id) {
  MailSettings s;
  s.server = g.smtp_server;
  s.port = g.smtp_port;
  s.timeout_ms = g.smtp_connect_timeout;
  s.to = g.notification_email;
  s.router_id = !g.router_id.empty() ? g.router_id : !id.name.empty() ? id.name : "[unknown]";
  s.helo = !g.smtp_helo_name.empty() ? g.smtp_helo_name : !id.name.empty() ? id.name : "localhost";
  s.from = g.notification_email_from;
  if (s.from.empty() && !id.name.empty() && !id.user.empty()) s.from = id.user + "@" + id.name;
  return s;
}

MailSettings mail_settings(const config::GlobalDefs& g) {
  // The lookup may wait on DNS: skip it when no default needs it (or no mail is sent), and
  // make it once per process, as keepalived does at start, not at every reload.
  const bool mail = !g.smtp_server.empty() && !g.notification_email.empty();
  const bool need = g.router_id.empty() || g.smtp_helo_name.empty() || g.notification_email_from.empty();
  if (!mail || !need) return mail_settings(g, LocalIdentity{});
  static const LocalIdentity id = local_identity();
  return mail_settings(g, id);
}

}  // namespace ulvs::notify
