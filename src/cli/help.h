// help.h — `ipvsadm -h` and `-v` texts.
//
// The usage text is the real ipvsadm 1.31's byte for byte (scripts and goldens compare it);
// ulvs's own options are appended only when asked (ulvsadm under its own name), so the
// `ipvsadm` link stays indistinguishable from the real tool.
//
//   usage_text("ipvsadm", false)   // "ipvsadm v1.31 2019/12/24 (...)\nUsage:\n  ipvsadm -A|E ..."
#pragma once

#include <string>
#include <string_view>

namespace ulvs::cli {

std::string version_text();
std::string usage_text(std::string_view prog, bool extensions);

}  // namespace ulvs::cli
