// failure.h — the two ways ulvs-rs stops: a usage error (exit 2) or a failed system change
// (exit 1).  Both carry the message printed after "ulvs-rs: ".
#pragma once

#include <stdexcept>
#include <string>

namespace ulvs::rs {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "what: strerror(err)" — err is a positive or negative errno.
std::string errno_text(const std::string& what, int err);

}  // namespace ulvs::rs
