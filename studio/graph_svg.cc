// Graphviz through its C library: agmemread → gvLayout("dot") →
// gvRenderData("svg").
#include "studio/graph_svg.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <mutex>

namespace miaopi::studio {

namespace {

std::mutex& GraphvizMutex() {
  static std::mutex mutex;
  return mutex;
}

// Graphviz reports problems through a callback; the last one is kept.
std::string* current_error = nullptr;
int KeepError(char* message) {
  if (current_error != nullptr && message != nullptr) *current_error = message;
  return 0;
}

}  // namespace

std::optional<std::string> RenderSvg(std::string_view dot, std::string* error) {
  std::lock_guard lock(GraphvizMutex());
  std::string text(dot);
  std::string message;
  current_error = &message;
  agseterrf(KeepError);
  // One context for the process: it loads Graphviz's plugins once.
  static GVC_t* const gvc = gvContext();
  struct Cleanup {
    GVC_t* gvc = nullptr;
    Agraph_t* graph = nullptr;
    bool laid_out = false;
    ~Cleanup() {
      if (laid_out) gvFreeLayout(gvc, graph);
      if (graph != nullptr) agclose(graph);
      current_error = nullptr;
    }
  } c;
  c.gvc = gvc;
  c.graph = agmemread(text.c_str());
  if (c.graph == nullptr) {
    *error = "Graphviz could not read the graph" + (message.empty() ? "" : ": " + message);
    return std::nullopt;
  }
  if (gvLayout(c.gvc, c.graph, "dot") != 0) {
    *error = "Graphviz could not lay out the graph" + (message.empty() ? "" : ": " + message);
    return std::nullopt;
  }
  c.laid_out = true;
  char* data = nullptr;
  unsigned int length = 0;
  if (gvRenderData(c.gvc, c.graph, "svg", &data, &length) != 0 || data == nullptr) {
    *error = "Graphviz could not draw the graph" + (message.empty() ? "" : ": " + message);
    return std::nullopt;
  }
  std::string svg(data, length);
  gvFreeRenderData(data);
  return svg;
}

}  // namespace miaopi::studio
