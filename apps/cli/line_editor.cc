#include "apps/cli/line_editor.h"

#include <histedit.h>
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

namespace miaopi::cli {

namespace {

volatile sig_atomic_t g_interrupted = 0;

void OnInterrupt(int) { g_interrupted = 1; }

}  // namespace

struct LineEditor::State {
  EditLine* el = nullptr;
  History* history = nullptr;
  std::string history_path;
  std::string prompt;
  Completer completer;
  struct sigaction previous {};

  static char* Prompt(EditLine* el) {
    State* s = nullptr;
    el_get(el, EL_CLIENTDATA, &s);
    return s->prompt.data();
  }

  // Tab: insert the candidates' common extension of the word; when there is
  // none, list the candidates under the line.
  static unsigned char Complete(EditLine* el, int) {
    State* s = nullptr;
    el_get(el, EL_CLIENTDATA, &s);
    const LineInfo* li = el_line(el);
    std::string before(li->buffer, static_cast<size_t>(li->cursor - li->buffer));
    size_t start = before.size();
    std::vector<std::string> candidates = s->completer(before, &start);
    if (candidates.empty()) return CC_REFRESH_BEEP;
    std::string word = before.substr(start);
    std::string common = candidates[0];
    for (const std::string& c : candidates) {
      size_t n = 0;
      while (n < common.size() && n < c.size() && common[n] == c[n]) ++n;
      common.resize(n);
    }
    if (common.size() > word.size()) {
      el_insertstr(el, common.substr(word.size()).c_str());
      return CC_REFRESH;
    }
    if (candidates.size() == 1) return CC_REFRESH;
    std::string list = "\n";
    size_t width = 0;
    for (const std::string& c : candidates) width = std::max(width, c.size());
    size_t per_line = std::max<size_t>(1, 78 / (width + 2)), column = 0;
    for (size_t i = 0; i < candidates.size() && i < 200; ++i) {
      list += candidates[i] + std::string(width + 2 - candidates[i].size(), ' ');
      if (++column == per_line) {
        list += "\n";
        column = 0;
      }
    }
    if (column != 0) list += "\n";
    std::fputs(list.c_str(), stdout);
    std::fflush(stdout);
    return CC_REDISPLAY;
  }
};

LineEditor::LineEditor(std::string history_path, Completer completer) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.history_path = std::move(history_path);
  s.completer = std::move(completer);
  // No SA_RESTART: Ctrl-C interrupts the read, and el_gets returns.
  struct sigaction sa {};
  sa.sa_handler = OnInterrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sigaction(SIGINT, &sa, &s.previous);
  s.el = el_init("miaopi", stdin, stdout, stderr);
  el_set(s.el, EL_CLIENTDATA, &s);
  el_set(s.el, EL_PROMPT, &State::Prompt);
  el_set(s.el, EL_EDITOR, "emacs");
  s.history = history_init();
  HistEvent ev;
  history(s.history, &ev, H_SETSIZE, 1000);
  history(s.history, &ev, H_SETUNIQUE, 1);
  if (!s.history_path.empty()) history(s.history, &ev, H_LOAD, s.history_path.c_str());
  el_set(s.el, EL_HIST, history, s.history);
  // The wide call: libedit's narrow EL_ADDFN copies both strings and never
  // frees them ("XXX: The two strdup's leak" in its eln.c).
  el_wset(s.el, EL_ADDFN, L"miaopi-complete", L"complete a command, item, rule, field or name", &State::Complete);
  el_set(s.el, EL_BIND, "^I", "miaopi-complete", nullptr);
  el_set(s.el, EL_BIND, "^R", "em-inc-search-prev", nullptr);
}

LineEditor::~LineEditor() {
  el_end(state_->el);
  history_end(state_->history);
  sigaction(SIGINT, &state_->previous, nullptr);
}

LineEditor::Read LineEditor::ReadLine(const std::string& prompt, std::string* line) {
  state_->prompt = prompt;
  g_interrupted = 0;
  int count = 0;
  const char* text = el_gets(state_->el, &count);
  if (text == nullptr || count < 0) {
    if (g_interrupted) {
      std::fputs("^C\n", stdout);
      std::fflush(stdout);
      el_reset(state_->el);
      return Read::kInterrupted;
    }
    std::fputs("\n", stdout);
    return Read::kEnd;
  }
  line->assign(text, static_cast<size_t>(count));
  while (!line->empty() && (line->back() == '\n' || line->back() == '\r')) line->pop_back();
  return Read::kLine;
}

void LineEditor::Remember(const std::string& line) {
  if (line.find_first_not_of(" \t") == std::string::npos) return;
  HistEvent ev;
  history(state_->history, &ev, H_ENTER, line.c_str());
  // Saved at once (libedit's own format), so a killed session keeps what it typed.
  if (!state_->history_path.empty()) history(state_->history, &ev, H_SAVE, state_->history_path.c_str());
}

}  // namespace miaopi::cli
