// alert_text.h — the subject and body of each mail keepalived 2.2.7's checker process sends,
// byte for byte, from a config::Alert (config/pool.h says when each is sent).
//
//   notify::Message m = notify::alert_message("LVS_1", vs, alert);
//   // m.subject == "[LVS_1] Realserver [10.0.1.2]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - DOWN"
//   // m.body    == "=> TCP CHECK failed on service <="
//
// Subjects (keepalived/core/smtp.c smtp_alert, truncated to 255 bytes, MAX_HEADERS_LENGTH):
//   real server (SMTP_MSG_RS, SMTP_MSG_RS_SHUT):
//     "[<router_id>] Realserver <RS> of virtual server <VS> - UP|DOWN"
//     (UP/DOWN: the real server's state after the change; always DOWN at shutdown)
//   virtual server (SMTP_MSG_VS): "[<router_id>] Virtualserver <VS> - UP|DOWN" (quorum state)
// with check_data.c format_vs / format_rs (lib/utils.c inet_sockaddrtotrio_r):
//   <VS> = "[10.0.0.1]:tcp:80", "[2001:db8::1]:udp:53", "FWM 7", "[GROUPNAME]:0"
//   <RS> = "[10.0.1.2]:tcp:80" — the protocol is the virtual server's ("none" for fwmark
//          services, whose protocol keepalived clears), the port the one keepalived keeps
//          after its check_data.c fix-ups (NAT port 0 → the service's, DR/TUN → the
//          service's, fwmark DR/TUN → 0; group members as written).
// Bodies (truncated to 511 bytes, MAX_BODY_LENGTH), per checker (check_*.c epilogs):
//   TCP_CHECK   "=> TCP CHECK succeed on service <="   / "=> TCP CHECK failed on service <="
//   UDP_CHECK   "=> UDP CHECK succeed on service <="   / "=> UDP CHECK failed on service <="
//   PING_CHECK  "=> ICMP CHECK succeed on service <="  / "=> ICMP CHECK failed on service <="
//   DNS_CHECK   "=> DNS_CHECK: succeed on service <="  / "=> DNS_CHECK: failed on service <="
//   HTTP_GET, SSL_GET "=> CHECK succeed on service <=" /
//               "=> CHECK failed on service : HTTP request failed <="
//   SMTP_CHECK  "=> CHECK succeed on service <="       / "=> CHECK failed on service <="
//               (keepalived appends the probe's error text: "... service : <error> <=";
//               ulvs has only the verdict, so the no-detail form keepalived also uses)
//   MISC_CHECK  "=> MISC CHECK succeeded on service <=" / "=> MISC CHECK failed on service <="
//               (keepalived says "timed out" instead of "failed" for a killed script; ulvs
//               does not tell the two apart)
//   FILE_CHECK  no mail.
// Shutdown (ipwrapper.c clear_service_rs / do_vs_notifies): "=> Shutting down <=".
// Quorum (ipwrapper.c do_vs_notifies): "=> <what> <quorum>+<hysteresis>=<threshold> <= <sum> <="
//   <what> = "Gained quorum" | "Lost quorum" | "Starting with quorum up" |
//            "Starting with quorum down"; threshold = quorum ± hysteresis as computed before
//   the change — printed with '+' even when it is quorum − hysteresis (keepalived's text).
#pragma once

#include <cstdint>
#include <string>

#include "config/keepalived_model.h"
#include "config/pool.h"

namespace ulvs::notify {

struct Message {
  std::string subject;  // without the "Subject: " header name
  std::string body;     // one line, no CRLF
  friend bool operator==(const Message&, const Message&) = default;
};

inline constexpr size_t kMaxSubject = 255;  // keepalived: MAX_HEADERS_LENGTH - 1
inline constexpr size_t kMaxBody = 511;     // keepalived: MAX_BODY_LENGTH - 1

// keepalived's FMT_VS / FMT_RS.
std::string format_vs(const config::VirtualServer& vs);
std::string format_rs(const config::VirtualServer& vs, const config::RealServer& rs);

// The body a checker of `type` gives when it reports `succeeded` (empty for FILE_CHECK).
std::string checker_body(config::Checker::Type type, bool succeeded);
// The body of a quorum change.
std::string quorum_body(bool up, bool init, int quorum, int hysteresis, int64_t threshold,
                        int64_t weight_sum);

// The mail for `a`, raised by the pool of `vs`; `router_id` as in force (mail_settings.h).
Message alert_message(const std::string& router_id, const config::VirtualServer& vs,
                      const config::Alert& a);

}  // namespace ulvs::notify
