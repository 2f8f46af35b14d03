// md5.h — MD5 of a byte string as 32 lowercase hex characters (OpenSSL EVP), the form
// keepalived's `digest` keyword and genhash use.
//
//   md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e"
#pragma once

#include <string>
#include <string_view>

namespace ulvs::check {

std::string md5_hex(std::string_view data);

}  // namespace ulvs::check
