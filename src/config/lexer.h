// lexer.h — keepalived.conf text → tokens, each with its file:line (spec §7.1).
//
// Rules: `#` and `!` start a comment anywhere outside quotes; "…" and '…' quote (quotes
// removed, whitespace kept, escapes \n \t \r \\ \" \' \xHH \NNN work inside both); `{` and `}`
// are tokens of their own even when glued (`url{`); every line ends with an End token.
// `include GLOB` (also includer/includem/includew/includeb/includea/includet) splices the
// tokens of every matching file in place: relative globs are taken from the including file's
// directory, matches are read in sorted order, nesting is limited (kMaxIncludeDepth).  A
// missing file (a pattern without wildcards that matches nothing) is an error at the include
// line; a wildcard that matches nothing is a warning.  `@ID line` keeps the line only when
// ID is the config id, `@^ID line` only when it is not (keepalived -i; its default is the
// host name).
//
//   std::vector<Token> toks;  Diagnostics diag;  std::vector<std::string> files;
//   lex_text("virtual_server 10.0.0.1 80 {\n", "kc.conf", ".", {}, toks, diag, files);
//   // toks: Word"virtual_server" Word"10.0.0.1" Word"80" Open End   (all at kc.conf:1)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/keepalived_model.h"

namespace ulvs::config {

struct Token {
  enum Kind { Word, Open, Close, End } kind = Word;
  std::string text;     // Word only: unquoted text
  bool quoted = false;  // Word written (at least partly) in quotes
  Where where;
};

struct LexOptions {
  std::string config_id;  // for @ID lines; empty: only @^ID lines are kept
};

inline constexpr int kMaxIncludeDepth = 8;

// Lexes `text` (named `name` in messages; includes resolve against `dir`).  Appends to
// `out`, records every file read in `files`.  false when an Error was added.
bool lex_text(std::string_view text, const std::string& name, const std::string& dir,
              const LexOptions& opt, std::vector<Token>& out, Diagnostics& diag,
              std::vector<std::string>& files, int depth = 0);

// Reads and lexes `path`; a file that cannot be read is an Error at `from` (or at path:0).
bool lex_file(const std::string& path, const LexOptions& opt, std::vector<Token>& out,
              Diagnostics& diag, std::vector<std::string>& files, int depth = 0,
              const Where* from = nullptr);

// The words of one line without comments or braces, quotes removed (for tests and tools).
std::vector<std::string> split_words(std::string_view line);

}  // namespace ulvs::config
