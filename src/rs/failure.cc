// failure.cc — error text.
#include "rs/failure.h"

#include <cstring>

namespace ulvs::rs {

std::string errno_text(const std::string& what, int err) {
  return what + ": " + std::strerror(err < 0 ? -err : err);
}

}  // namespace ulvs::rs
