// line_io.h — newline-framed messages over a stream socket (shared by client and server).
//
//   LineReader in(fd);
//   std::string line;
//   while (in.next(line)) write_line(fd, answer(line));
#pragma once

#include <cstddef>
#include <string>

namespace ulvs::ctl {

// Writes s plus '\n' completely (retries short writes and EINTR).  false on error.
bool write_line(int fd, const std::string& s);

class LineReader {
 public:
  // max_line bounds memory per client: a longer line is an error, not an allocation.
  explicit LineReader(int fd, size_t max_line = 64 << 20) : fd_(fd), max_(max_line) {}
  // The next line without its '\n'.  false at EOF (a partial last line is dropped), on an
  // error or when a line exceeds max_line.
  bool next(std::string& line);
  bool too_long() const { return too_long_; }

 private:
  int fd_;
  size_t max_;
  std::string buf_;
  size_t start_ = 0;
  bool too_long_ = false;
};

}  // namespace ulvs::ctl
