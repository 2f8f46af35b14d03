#include "cli/restore.h"

namespace ulvs::cli {

namespace {

bool blank(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::optional<std::vector<std::string>> read_restore_line(std::istream& in) {
  std::vector<std::string> words;
  bool any_word = false;  // config_stream's ntoken: words kept on this line
  for (;;) {
    int c = in.peek();
    if (c == EOF) return any_word ? std::optional(words) : std::nullopt;
    if (blank(c)) {
      // Between words: skip blanks up to the end of the line.  Reaching the end of input
      // here discards the line, as config_stream_read does.
      for (;;) {
        c = in.get();
        if (c == EOF) return std::nullopt;
        if (c == '\n') return words;
        if (!blank(c)) {
          in.unget();
          break;
        }
      }
      continue;
    }
    std::string word;
    while ((c = in.peek()) != EOF && !blank(c)) word += char(in.get());
    if (word != "ipvsadm") {
      words.push_back(std::move(word));
      any_word = true;
    }
    if (c != EOF && in.get() == '\n') return words;  // the one blank after a word
  }
}

}  // namespace ulvs::cli
