// lexer.cc — see lexer.h.
#include "config/lexer.h"

#include <glob.h>

#include <fstream>
#include <sstream>

namespace ulvs::config {
namespace {

void add(Diagnostics& diag, Diagnostic::Level lvl, const Where& w, std::string msg) {
  diag.push_back({lvl, w, std::move(msg)});
}

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes the escape at line[i] == '\\' inside quotes; advances i past it.
void take_escape(std::string_view line, size_t& i, std::string& cur) {
  if (i + 1 >= line.size()) { cur += '\\'; ++i; return; }
  char c = line[i + 1];
  i += 2;
  switch (c) {
    case 'n': cur += '\n'; return;
    case 't': cur += '\t'; return;
    case 'r': cur += '\r'; return;
    case 'a': cur += '\a'; return;
    case 'b': cur += '\b'; return;
    case 'f': cur += '\f'; return;
    case 'v': cur += '\v'; return;
    case 'x': {
      int v = 0, n = 0;
      while (n < 2 && i < line.size() && hexval(line[i]) >= 0) v = v * 16 + hexval(line[i++]), ++n;
      if (n == 0) cur += "\\x"; else cur += char(v);
      return;
    }
    default:
      if (c >= '0' && c <= '7') {
        int v = c - '0', n = 1;
        while (n < 3 && i < line.size() && line[i] >= '0' && line[i] <= '7') v = v * 8 + (line[i++] - '0'), ++n;
        cur += char(v);
        return;
      }
      cur += c;  // \\ \" \' and anything else: the character itself
  }
}

// One line → Word/Open/Close tokens (no End).
std::vector<Token> lex_line(std::string_view line, const Where& w) {
  std::vector<Token> toks;
  std::string cur;
  bool have = false, quoted = false;
  auto flush = [&] {
    if (have) toks.push_back({Token::Word, cur, quoted, w});
    cur.clear();
    have = quoted = false;
  };
  size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (c == '#' || c == '!') break;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') { flush(); ++i; continue; }
    if (c == '{' || c == '}') {
      flush();
      toks.push_back({c == '{' ? Token::Open : Token::Close, std::string(1, c), false, w});
      ++i;
      continue;
    }
    if (c == '"' || c == '\'') {
      have = quoted = true;
      ++i;
      while (i < line.size() && line[i] != c) {
        if (line[i] == '\\') take_escape(line, i, cur); else cur += line[i++];
      }
      ++i;  // closing quote (an unterminated quote runs to the end of the line)
      continue;
    }
    have = true;
    cur += c;
    ++i;
  }
  flush();
  return toks;
}

bool is_include(const Token& t) {
  if (t.kind != Token::Word || t.quoted) return false;
  static const char* kinds[] = {"include", "includer", "includem", "includew",
                                "includeb", "includea", "includet"};
  for (auto* k : kinds) if (t.text == k) return true;
  return false;
}

bool has_wildcard(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

std::string dir_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Applies `@ID` / `@^ID`: false drops the line; otherwise `line` loses the prefix.
bool keep_conditional(std::string_view& line, const LexOptions& opt) {
  size_t i = line.find_first_not_of(" \t");
  if (i == std::string_view::npos || line[i] != '@') return true;
  size_t end = line.find_first_of(" \t", i);
  std::string_view id = line.substr(i + 1, end == std::string_view::npos ? std::string_view::npos : end - i - 1);
  bool neg = !id.empty() && id[0] == '^';
  if (neg) id.remove_prefix(1);
  bool match = !opt.config_id.empty() && id == opt.config_id;
  line = end == std::string_view::npos ? std::string_view{} : line.substr(end);
  return neg ? !match : match;
}

bool do_include(const std::vector<Token>& toks, const std::string& dir, const LexOptions& opt,
                std::vector<Token>& out, Diagnostics& diag, std::vector<std::string>& files, int depth) {
  const Where& w = toks[0].where;
  if (toks.size() < 2 || toks[1].kind != Token::Word) {
    add(diag, Diagnostic::Error, w, "include: missing file name");
    return false;
  }
  if (depth + 1 > kMaxIncludeDepth) {
    add(diag, Diagnostic::Error, w, "include: nested more than " + std::to_string(kMaxIncludeDepth) + " deep");
    return false;
  }
  bool ok = true;
  for (size_t a = 1; a < toks.size(); ++a) {
    std::string pat = toks[a].text;
    if (pat.empty() || pat[0] != '/') pat = dir + "/" + pat;
    glob_t g{};
    int rc = glob(pat.c_str(), 0, nullptr, &g);
    if (rc != 0 || g.gl_pathc == 0) {
      if (has_wildcard(toks[a].text)) {
        add(diag, Diagnostic::Warning, w, "include: " + toks[a].text + " matches no file");
      } else {
        add(diag, Diagnostic::Error, w, "include: cannot open " + pat);
        ok = false;
      }
    } else {
      for (size_t k = 0; k < g.gl_pathc; ++k)
        ok &= lex_file(g.gl_pathv[k], opt, out, diag, files, depth + 1, &w);
    }
    globfree(&g);
  }
  return ok;
}

}  // namespace

bool lex_text(std::string_view text, const std::string& name, const std::string& dir,
              const LexOptions& opt, std::vector<Token>& out, Diagnostics& diag,
              std::vector<std::string>& files, int depth) {
  bool ok = true;
  int lineno = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++lineno;
    if (!keep_conditional(line, opt)) continue;
    Where w{name, lineno};
    std::vector<Token> toks = lex_line(line, w);
    if (toks.empty()) continue;
    if (is_include(toks[0])) {
      ok &= do_include(toks, dir, opt, out, diag, files, depth);
      continue;
    }
    out.insert(out.end(), toks.begin(), toks.end());
    out.push_back({Token::End, "", false, w});
  }
  return ok;
}

bool lex_file(const std::string& path, const LexOptions& opt, std::vector<Token>& out,
              Diagnostics& diag, std::vector<std::string>& files, int depth, const Where* from) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    add(diag, Diagnostic::Error, from ? *from : Where{path, 0}, "cannot open " + path);
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  files.push_back(path);
  return lex_text(ss.str(), path, dir_of(path), opt, out, diag, files, depth);
}

std::vector<std::string> split_words(std::string_view line) {
  std::vector<std::string> words;
  for (auto& t : lex_line(line, {})) if (t.kind == Token::Word) words.push_back(t.text);
  return words;
}

}  // namespace ulvs::config
