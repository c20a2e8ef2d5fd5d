// An item's decision graph as SVG: the DOT text `miaopi graph --format dot`
// prints, laid out and drawn by Graphviz (libgvc) on the server. Graphviz
// keeps global state, so calls are serialized. This file's external
// interface is RenderSvg.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace miaopi::studio {

// The SVG of `dot`, or nullopt with `error` (Graphviz refused it).
std::optional<std::string> RenderSvg(std::string_view dot, std::string* error);

}  // namespace miaopi::studio
