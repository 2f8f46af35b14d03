// mail_format.h — the text sent after DATA, as keepalived 2.2.7 writes it
// (keepalived/include/smtp.h SMTP_HEADERS_CMD / SMTP_BODY_CMD / SMTP_SEND_CMD, smtp.c body_cmd):
//
//   Date: Mon, 01 Mar 2021 09:44:08 +0000\r\n      strftime "%a, %d %b %Y %H:%M:%S %z", local time
//   From: lvs@example.com\r\n                      notification_email_from, no angle brackets
//   Subject: [LVS_1] Realserver ... - DOWN\r\n
//   X-Mailer: Keepalived\r\n                       kept: filters written for keepalived match
//   To: a@example.com, b@example.com\r\n           every recipient, ", " between (at most 1023 bytes)
//   \r\n
//   => TCP CHECK failed on service <=\r\n          the body
//   \r\n.\r\n                                      an empty line, then the end of data
//
// ulvs dot-stuffs body lines that start with '.' (RFC 5321 §4.5.2; keepalived's texts never
// do) and, unlike keepalived, never cuts the whole text at 1023 bytes (which would lose the
// final "." and leave the server waiting).
#pragma once

#include <ctime>
#include <string>
#include <vector>

#include "notify/alert_text.h"
#include "notify/mail_settings.h"

namespace ulvs::notify {

// "Mon, 01 Mar 2021 09:44:08 +0100": English names whatever the locale; the offset from
// `t.tm_gmtoff` (as localtime_r fills it).
std::string rfc822_date(const std::tm& t);
// The current local time in that form.
std::string rfc822_now();

// The To: header value: recipients joined with ", ", stopping before 1023 bytes are passed
// (smtp.c build_to_header_rcpt_addrs).
std::string to_header(const std::vector<std::string>& to);

// Everything sent after the 354 reply, final ".\r\n" included.
std::string data_text(const MailSettings& s, const Message& m, const std::string& date);

}  // namespace ulvs::notify
