// errors.h — the text ipvsadm prints for a kernel error (libipvs's ipvs_strerror).
//
// The same errno means different things per operation (ESRCH is "No such service" for -E
// but "Service not defined" for -a), so the table is keyed by the request's Op.
//
//   error_text(ctl::Op::AddDest, EEXIST)   // "Destination already exists"
//   error_text(ctl::Op::Flush, ERANGE)     // "Numerical result out of range" (strerror)
#pragma once

#include <string>

#include "ctl/model.h"

namespace ulvs::cli {

// err is a positive errno.
std::string error_text(ctl::Op op, int err);

}  // namespace ulvs::cli
