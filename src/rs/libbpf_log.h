// libbpf_log.h — libbpf's messages.  Warnings (a verifier log among them) go to stderr; the
// kernel's netlink error texts (extack, "Kernel error message: …") are not printed when they
// come, since an expected EEXIST or ENOENT produces one too, but kept for the Failure that
// follows a real error: bpf_failure("attaching", err) → "attaching: Invalid argument (kernel: …)".
#pragma once

#include <string>

namespace ulvs::rs {

void install_libbpf_log();
// errno_text(what, err) plus the last kernel error text, which it clears.
std::string bpf_failure(const std::string& what, int err);
// After an error that was expected (EEXIST, ENOENT): drop its kernel text.
void forget_kernel_message();

}  // namespace ulvs::rs
