// keepalived_lexer_test.cc — tokens, comments, quotes and escapes, glued braces, includes
// (globs, relative paths, nesting limit, missing files), @ID conditional lines, brace matching.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/keepalived_parser.h"
#include "config/lexer.h"
#include "config/parse_tree.h"

namespace ulvs::config {
namespace {

namespace fs = std::filesystem;

std::vector<Token> lex(const std::string& text, Diagnostics& diag, LexOptions opt = {}, const std::string& dir = ".") {
  std::vector<Token> toks;
  std::vector<std::string> files;
  lex_text(text, "t.conf", dir, opt, toks, diag, files);
  return toks;
}

// "w:abc O C E" rendering.
std::string show(const std::vector<Token>& toks) {
  std::string s;
  for (auto& t : toks) {
    if (!s.empty()) s += ' ';
    switch (t.kind) {
      case Token::Word: s += (t.quoted ? "q:" : "w:") + t.text; break;
      case Token::Open: s += "{"; break;
      case Token::Close: s += "}"; break;
      case Token::End: s += "E"; break;
    }
  }
  return s;
}

TEST(KeepalivedLexer, WordsBracesAndLines) {
  Diagnostics diag;
  auto t = lex("virtual_server 10.0.0.1 80 {\n  url{path /x}\n}\n", diag);
  EXPECT_EQ(show(t), "w:virtual_server w:10.0.0.1 w:80 { E w:url { w:path w:/x } E } E");
  EXPECT_EQ(t[0].where.str(), "t.conf:1");
  EXPECT_EQ(t[5].where.str(), "t.conf:2");
  EXPECT_TRUE(diag.empty());
}

TEST(KeepalivedLexer, CommentsHashAndBang) {
  Diagnostics diag;
  EXPECT_EQ(show(lex("# full\n! full\nweight 1 # tail\ninhibit_on_failure ! tail\na#b\n", diag)),
            "w:weight w:1 E w:inhibit_on_failure E w:a E");
}

TEST(KeepalivedLexer, QuotesKeepSpacesAndHideComments) {
  Diagnostics diag;
  auto t = lex("misc_path \"/bin/check a  b # not a comment\" 'x!y'\n", diag);
  EXPECT_EQ(show(t), "w:misc_path q:/bin/check a  b # not a comment q:x!y E");
}

TEST(KeepalivedLexer, EscapesInsideQuotes) {
  Diagnostics diag;
  auto t = lex(R"(s "a\tb\nc\x41\101\"\\" 'it\'s')" "\n", diag);
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[1].text, "a\tb\ncAA\"\\");
  EXPECT_EQ(t[2].text, "it's");
  // Outside quotes a backslash is an ordinary character.
  EXPECT_EQ(split_words(R"(a\tb)"), std::vector<std::string>{R"(a\tb)"});
}

TEST(KeepalivedLexer, ConditionalLines) {
  Diagnostics diag;
  std::string text = "@high priority 170\n@low priority 85\n@^high weight 3\nplain 1\n";
  EXPECT_EQ(show(lex(text, diag, {"high"})), "w:priority w:170 E w:plain w:1 E");
  EXPECT_EQ(show(lex(text, diag, {"low"})), "w:priority w:85 E w:weight w:3 E w:plain w:1 E");
  EXPECT_EQ(show(lex(text, diag, {""})), "w:weight w:3 E w:plain w:1 E");
}

struct TempDir {
  fs::path p;
  TempDir() {
    char tmpl[] = "/tmp/ulvs-lexer-XXXXXX";
    p = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(p); }
  void write(const std::string& name, const std::string& text) {
    fs::create_directories((p / name).parent_path());
    std::ofstream(p / name) << text;
  }
};

std::vector<Token> lex_file_at(const fs::path& f, Diagnostics& diag, std::vector<std::string>& files, bool* ok = nullptr) {
  std::vector<Token> toks;
  bool r = lex_file(f.string(), {}, toks, diag, files);
  if (ok) *ok = r;
  return toks;
}

TEST(KeepalivedLexer, IncludeGlobRelativeToIncludingFileSorted) {
  TempDir d;
  d.write("main.conf", "first 1\ninclude conf.d/*.conf\nlast 1\n");
  d.write("conf.d/b.conf", "bee 2\n");
  d.write("conf.d/a.conf", "include ../sub/x.inc\nay 1\n");
  d.write("sub/x.inc", "ex 1\n");
  d.write("conf.d/skip.txt", "nope\n");
  Diagnostics diag;
  std::vector<std::string> files;
  bool ok = false;
  auto t = lex_file_at(d.p / "main.conf", diag, files, &ok);
  EXPECT_TRUE(ok);
  EXPECT_EQ(show(t), "w:first w:1 E w:ex w:1 E w:ay w:1 E w:bee w:2 E w:last w:1 E");
  EXPECT_EQ(files.size(), 4u);
  // Tokens carry the included file's name and line.
  EXPECT_EQ(t[3].where.str(), (d.p / "conf.d/../sub/x.inc").string() + ":1");
  EXPECT_EQ(t[12].where.str(), (d.p / "main.conf").string() + ":3");
  EXPECT_TRUE(diag.empty());
}

TEST(KeepalivedLexer, IncludeMissingFileIsErrorAtIncludeLine) {
  TempDir d;
  d.write("main.conf", "a 1\n\ninclude nothere.conf\n");
  Diagnostics diag;
  std::vector<std::string> files;
  bool ok = true;
  lex_file_at(d.p / "main.conf", diag, files, &ok);
  EXPECT_FALSE(ok);
  ASSERT_EQ(diag.size(), 1u);
  EXPECT_EQ(diag[0].level, Diagnostic::Error);
  EXPECT_EQ(diag[0].where.str(), (d.p / "main.conf").string() + ":3");
}

TEST(KeepalivedLexer, IncludeEmptyGlobIsWarning) {
  TempDir d;
  d.write("main.conf", "include none/*.conf\n");
  Diagnostics diag;
  std::vector<std::string> files;
  bool ok = false;
  lex_file_at(d.p / "main.conf", diag, files, &ok);
  EXPECT_TRUE(ok);
  ASSERT_EQ(diag.size(), 1u);
  EXPECT_EQ(diag[0].level, Diagnostic::Warning);
}

TEST(KeepalivedLexer, IncludeRecursionIsLimited) {
  TempDir d;
  d.write("loop.conf", "x 1\ninclude loop.conf\n");
  Diagnostics diag;
  std::vector<std::string> files;
  bool ok = true;
  lex_file_at(d.p / "loop.conf", diag, files, &ok);
  EXPECT_FALSE(ok);
  ASSERT_FALSE(diag.empty());
  EXPECT_EQ(diag.back().level, Diagnostic::Error);
  EXPECT_EQ(diag.back().where.str(), (d.p / "loop.conf").string() + ":2");
  EXPECT_NE(diag.back().message.find("nested"), std::string::npos);
}

TEST(KeepalivedLexer, MissingTopFile) {
  Diagnostics diag;
  std::vector<std::string> files;
  bool ok = true;
  lex_file_at("/nonexistent/keepalived.conf", diag, files, &ok);
  EXPECT_FALSE(ok);
  ASSERT_EQ(diag.size(), 1u);
  EXPECT_EQ(diag[0].level, Diagnostic::Error);
}

std::optional<std::vector<Statement>> tree(const std::string& text, Diagnostics& diag) {
  return build_tree(lex(text, diag), diag);
}

TEST(KeepalivedTree, StatementsSplitAtBraces) {
  Diagnostics diag;
  auto t = tree("HTTP_GET { url { path /h status_code 200 } connect_timeout 3 retry 3 }\n", diag);
  ASSERT_TRUE(t);
  ASSERT_EQ(t->size(), 1u);
  auto& h = (*t)[0];
  EXPECT_TRUE(h.has_block);
  ASSERT_EQ(h.block.size(), 2u);
  EXPECT_EQ(h.block[0].keyword(), "url");
  EXPECT_EQ(h.block[0].block.at(0).words, (std::vector<std::string>{"path", "/h", "status_code", "200"}));
  EXPECT_EQ(h.block[1].words, (std::vector<std::string>{"connect_timeout", "3", "retry", "3"}));
}

TEST(KeepalivedTree, BraceOnNextLine) {
  Diagnostics diag;
  auto t = tree("virtual_server 1.2.3.4 80\n{\n  weight 2\n}\n", diag);
  ASSERT_TRUE(t);
  ASSERT_EQ(t->size(), 1u);
  EXPECT_EQ((*t)[0].block.at(0).keyword(), "weight");
}

TEST(KeepalivedTree, MissingCloseBraceReportsOpeningLine) {
  Diagnostics diag;
  auto t = tree("a {\n  b {\n  }\n\n", diag);
  EXPECT_FALSE(t);
  ASSERT_EQ(diag.size(), 1u);
  EXPECT_EQ(diag[0].level, Diagnostic::Error);
  EXPECT_EQ(diag[0].where.str(), "t.conf:1");
}

TEST(KeepalivedTree, ExtraCloseBraceReportsItsLine) {
  Diagnostics diag;
  auto t = tree("a {\n}\n}\n", diag);
  EXPECT_FALSE(t);
  ASSERT_EQ(diag.size(), 1u);
  EXPECT_EQ(diag[0].where.str(), "t.conf:3");
}

TEST(KeepalivedTree, OpenBraceWithoutKeyword) {
  Diagnostics diag;
  auto t = tree("{\n}\n", diag);
  EXPECT_FALSE(t);
  ASSERT_EQ(diag.size(), 1u);
  EXPECT_EQ(diag[0].where.str(), "t.conf:1");
}

TEST(KeepalivedLexer, LoadFollowsIncludesAndReportsIncludedFileLine) {
  TempDir d;
  d.write("keepalived.conf", "global_defs {\n  router_id R\n}\ninclude vs/*.conf\n");
  d.write("vs/web.conf", "virtual_server 10.0.0.1 80 {\n  protocol TCP\n  lb_algo rr\n"
                         "  real_server 10.0.0.2 80 {\n  }\n}\n");
  Diagnostics diag;
  auto cfg = load_keepalived((d.p / "keepalived.conf").string(), diag);
  ASSERT_TRUE(cfg);
  EXPECT_EQ(cfg->files.size(), 2u);
  ASSERT_EQ(cfg->virtual_servers.size(), 1u);
  EXPECT_EQ(cfg->virtual_servers[0].where.str(), (d.p / "vs/web.conf").string() + ":1");

  d.write("vs/web.conf", "virtual_server 10.0.0.1 80 {\n  protocol TCP\n  lb_kind XYZ\n}\n");
  Diagnostics diag2;
  EXPECT_FALSE(load_keepalived((d.p / "keepalived.conf").string(), diag2));
  auto e = std::find_if(diag2.begin(), diag2.end(), [](auto& x) { return x.level == Diagnostic::Error; });
  ASSERT_NE(e, diag2.end());
  EXPECT_EQ(e->where.str(), (d.p / "vs/web.conf").string() + ":3");

  // A brace opened in the main file and closed in an include still balances.
  d.write("split.conf", "global_defs {\ninclude tail.inc\n");
  d.write("tail.inc", "  router_id S\n}\n");
  Diagnostics diag3;
  auto s = load_keepalived((d.p / "split.conf").string(), diag3);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->global.router_id, "S");
}

}  // namespace
}  // namespace ulvs::config
