#include "runtime/cli/input.hpp"
#include "model/json_read.hpp"

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "model/parse/kafka_cluster_io.hpp"

namespace kactor::runtime {

model::result<std::string> read_text(const std::string& path) {
  if (path == "-") {
    std::ostringstream buf;
    buf << std::cin.rdbuf();
    return buf.str();
  }
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return model::status::not_found(path + ": cannot open file");
  std::string text{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
  if (in.bad())
    return model::status::invalid(path + ": read error");
  return text;
}

model::result<std::vector<cluster_document>> read_cluster_documents(const std::string& path,
                                                                    std::vector<std::string>& skipped) {
  auto text = read_text(path);
  if (!text)
    return text.error();
  auto docs = model::load_documents(*text, path == "-" ? "<stdin>" : path);
  if (!docs)
    return docs.error();
  std::vector<cluster_document> out;
  for (size_t i = 0; i < docs->size(); ++i) {
    auto& doc = (*docs)[i];
    if (model::is_kafka_cluster(doc)) {
      out.push_back({i + 1, std::move(doc)});
      continue;
    }
    std::string kind = doc.is_object() ? model::string_or(doc, "kind", "(no kind)") : "(not an object)";
    std::string name = doc.is_object() && doc.contains("metadata") && doc["metadata"].is_object()
                         ? model::string_or(doc, "/metadata/name"_json_pointer)
                         : "";
    skipped.push_back("document " + std::to_string(i + 1) + ": " + kind + (name.empty() ? "" : " " + name));
  }
  return out;
}

} // namespace kactor::runtime
