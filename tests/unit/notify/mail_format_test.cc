// mail_format_test.cc — the text after DATA, byte for byte as keepalived 2.2.7 writes it
// (smtp.h SMTP_HEADERS_CMD / SMTP_BODY_CMD / SMTP_SEND_CMD, smtp.c body_cmd and
// build_to_header_rcpt_addrs).
#include "notify/mail_format.h"

#include <gtest/gtest.h>

#include <regex>

namespace ulvs::notify {
namespace {

TEST(MailFormat, DateIsRfc822WithTheOffset) {
  std::tm t{};
  t.tm_year = 2021 - 1900, t.tm_mon = 2, t.tm_mday = 1, t.tm_wday = 1;
  t.tm_hour = 9, t.tm_min = 44, t.tm_sec = 8;
  t.tm_gmtoff = 0;
  EXPECT_EQ(rfc822_date(t), "Mon, 01 Mar 2021 09:44:08 +0000");
  t.tm_gmtoff = 3600 + 1800;
  EXPECT_EQ(rfc822_date(t), "Mon, 01 Mar 2021 09:44:08 +0130");
  t.tm_gmtoff = -5 * 3600;
  t.tm_wday = 0, t.tm_mon = 11, t.tm_mday = 26;
  EXPECT_EQ(rfc822_date(t), "Sun, 26 Dec 2021 09:44:08 -0500");
  EXPECT_TRUE(std::regex_match(rfc822_now(),
                               std::regex(R"([A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4})")));
}

TEST(MailFormat, ToHeaderJoinsAndStopsBefore1023Bytes) {
  EXPECT_EQ(to_header({"a@x.org"}), "a@x.org");
  EXPECT_EQ(to_header({"a@x.org", "b@x.org", "c@x.org"}), "a@x.org, b@x.org, c@x.org");
  // An address that no longer fits is left out, its ", " already written (keepalived).
  std::string big(1015, 'a');
  EXPECT_EQ(to_header({big, "bb@x.org"}), big + ", ");
  EXPECT_EQ(to_header({big, "b"}), big + ", b");
}

TEST(MailFormat, DataTextIsKeepalivedsByteForByte) {
  MailSettings s;
  s.from = "lvs@example.com";
  s.to = {"ops@example.com", "noc@example.com"};
  Message m{"[LVS_1] Realserver [10.0.1.2]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - DOWN",
            "=> TCP CHECK failed on service <="};
  EXPECT_EQ(data_text(s, m, "Mon, 01 Mar 2021 09:44:08 +0000"),
            "Date: Mon, 01 Mar 2021 09:44:08 +0000\r\n"
            "From: lvs@example.com\r\n"
            "Subject: [LVS_1] Realserver [10.0.1.2]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - DOWN\r\n"
            "X-Mailer: Keepalived\r\n"
            "To: ops@example.com, noc@example.com\r\n"
            "\r\n"
            "=> TCP CHECK failed on service <=\r\n"
            "\r\n.\r\n");
}

TEST(MailFormat, BodyLinesStartingWithADotAreStuffed) {
  MailSettings s;
  std::string d = data_text(s, {"s", ".a\n.\nb"}, "D");
  EXPECT_NE(d.find("\r\n\r\n..a\n..\nb\r\n\r\n.\r\n"), std::string::npos) << d;
}

}  // namespace
}  // namespace ulvs::notify
