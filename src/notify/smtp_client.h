// smtp_client.h — delivers one alert to smtp_server the way keepalived 2.2.7 does
// (keepalived/core/smtp.c: its SMTP_FSM table and smtp_read_thread): one connection per mail,
//
//   server: 220 ...                  expected after connecting      ("(E)SMTP")
//   client: HELO <smtp_helo_name>    expect 250                     ("HELO")
//   client: MAIL FROM:<from>         expect 250                     ("MAIL")
//   client: RCPT TO:<addr>           expect 250, once per notification_email address, in order
//   client: DATA                     expect 354
//   client: <mail_format.h data_text, ending "\r\n.\r\n">   expect 250: the mail is sent
//   client: QUIT                     expect 221
//
// * Exactly these codes are accepted (keepalived does not take 251 for RCPT either); a reply's
//   code is its last line's (multi-line "250-..." replies are read to the end).
// * Any other code, or no reply within the timeout, aborts the mail: QUIT is sent and the
//   error reported ("Error processing RCPT cmd on SMTP server ...: status code 550").  One
//   refused recipient loses the mail for all, as in keepalived.
// * A server closing the connection ends it at once (no QUIT).
// * smtp_connect_timeout bounds the connection and each reply separately, as keepalived's
//   per-read timer does; after an error ulvs waits at most 1 s for the answer to its QUIT
//   (keepalived waits a whole timeout).
// * `cancel` (the mailer stopping) interrupts any wait within ~20 ms.
//
//   notify::SmtpResult r = notify::send_mail(settings, message, notify::rfc822_now());
//   if (!r.sent) log("%s", r.error.c_str());
#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "net/addr.h"
#include "notify/alert_text.h"
#include "notify/mail_settings.h"

namespace ulvs::notify {

struct SmtpResult {
  bool sent = false;    // the server took the message (250 after the data)
  std::string error;    // why not; or, when sent, a problem after it (QUIT's answer)
};

// smtp_server HOST and PORT as an endpoint: an address as is, a name through the resolver.
std::optional<net::Endpoint> resolve_server(const std::string& host, uint16_t port, std::string& err);

// One delivery, blocking (connect + dialogue); `date` goes in the Date: header.
SmtpResult send_mail(const MailSettings& s, const Message& m, const std::string& date,
                     const std::atomic<bool>* cancel = nullptr);

}  // namespace ulvs::notify
