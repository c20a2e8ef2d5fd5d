#include "studio/assets.h"

namespace miaopi::studio {

std::optional<AssetFile> FindAsset(std::string_view name) {
  for (const Asset& a : Assets()) {
    if (name != a.name) continue;
    std::string_view type = name.ends_with(".js")     ? "text/javascript; charset=utf-8"
                            : name.ends_with(".css")  ? "text/css; charset=utf-8"
                            : name.ends_with(".html") ? "text/html; charset=utf-8"
                                                      : "application/octet-stream";
    return AssetFile{std::string_view(a.begin, static_cast<size_t>(a.end - a.begin)), type};
  }
  return std::nullopt;
}

}  // namespace miaopi::studio
