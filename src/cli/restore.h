// restore.h — reading `ipvsadm -R` input the way config_stream.c does.
//
// A line is split on blanks, tabs and CRs; every word equal to "ipvsadm" is dropped (so
// `ipvsadm -A -t ...` lines work as well as the bare `-A -t ...` that -S writes).  Quirk kept
// from the original: a last line that ends in blanks but no newline is dropped.
//
//   std::istringstream in("-A -t 10.0.0.1:80\n\nipvsadm -C\n");
//   read_restore_line(in);   // {"-A", "-t", "10.0.0.1:80"}
//   read_restore_line(in);   // {}            (empty line: skip it)
//   read_restore_line(in);   // {"-C"}
//   read_restore_line(in);   // nullopt       (end of input)
#pragma once

#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace ulvs::cli {

std::optional<std::vector<std::string>> read_restore_line(std::istream& in);

}  // namespace ulvs::cli
