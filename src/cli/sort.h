// sort.h — ipvsadm's listing order, quirks included.
//
// libipvs compares services by fwmark, family, protocol, address, port and real servers by
// address, port, with `(int)(ntohl(a) - ntohl(b))` on 32-bit words: addresses more than 2^31
// apart compare inverted, so 192.168.1.1 lists before 10.0.0.1.  Such a comparison is not a
// total order, so the result depends on the sort algorithm: we run glibc's qsort (a top-down
// merge sort) step for step, which gives the real tool's order for every input.
//
//   sort_services(reply.services);   // as `ipvsadm -L` without --nosort
#pragma once

#include <vector>

#include "ctl/model.h"

namespace ulvs::cli {

// libipvs's comparators: <0, 0, >0 with the 32-bit wrap-around.
int compare_services(const ipvs::ServiceConfig& a, const ipvs::ServiceConfig& b);
int compare_dests(const ipvs::DestConfig& a, const ipvs::DestConfig& b);

void sort_services(std::vector<ctl::ServiceInfo>& services);

// The kernel lists services bucket by bucket of its 256-bucket hash tables (address services
// first, then fwmark services), newest first within a bucket.  That is what --nosort shows,
// and, because the comparison above is not a total order, it is also the input order the
// sort must start from to end where ipvsadm's does.  ulvsd answers GetServices oldest first
// (the engine's insertion order); this rebuilds the kernel's order from it, with the hash
// salt (bits of the kernel's netns pointer) taken as 0.
void to_kernel_order(std::vector<ctl::ServiceInfo>& services);
void sort_dests(std::vector<ctl::DestInfo>& dests);

}  // namespace ulvs::cli
