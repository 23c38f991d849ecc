#include "runtime/cli/commands.hpp"
#include "model/json_read.hpp"

#include <ostream>

#include "model/parse/kafka_cluster_io.hpp"
#include "model/render/desired_state.hpp"
#include "model/validate/kafka_cluster_validate.hpp"
#include "runtime/cli/input.hpp"

namespace kactor::runtime {

namespace {

std::string describe(const cluster_document& d) {
  std::string name;
  if (d.doc.contains("metadata") && d.doc["metadata"].is_object())
    name = model::string_or(d.doc, "/metadata/name"_json_pointer);
  return "document " + std::to_string(d.index) + " (KafkaCluster " + (name.empty() ? "<unnamed>" : name) + ")";
}

// Parses and validates one document; prints warnings and errors. Returns the cluster when valid.
std::optional<model::kafka_cluster> load_valid(const std::string& source, const cluster_document& d,
                                               std::ostream& err) {
  auto parsed = model::parse_kafka_cluster(d.doc);
  auto where = source + ": " + describe(d) + ": ";
  for (const auto& w : parsed.warnings)
    err << "warning: " << where << w << '\n';
  auto errors = parsed.errors;
  if (errors.empty())
    errors = model::validate_kafka_cluster(parsed.cluster);
  for (const auto& e : errors)
    err << "error: " << where << e.to_string() << '\n';
  if (!errors.empty())
    return std::nullopt;
  for (const auto& w : model::lint_kafka_cluster(parsed.cluster))
    err << "warning: " << where << w << '\n';
  return std::move(parsed.cluster);
}

std::optional<std::vector<cluster_document>> read_all(const std::string& file, std::ostream& err) {
  std::vector<std::string> skipped;
  auto docs = read_cluster_documents(file, skipped);
  if (!docs) {
    err << "error: " << docs.error().message() << '\n';
    return std::nullopt;
  }
  for (const auto& s : skipped)
    err << "note: " << file << ": " << s << " is not a KafkaCluster; skipped\n";
  if (docs->empty()) {
    err << "error: " << file << ": no KafkaCluster document found\n";
    return std::nullopt;
  }
  return std::move(*docs);
}

} // namespace

int validate_command(const std::string& file, std::ostream& out, std::ostream& err) {
  auto docs = read_all(file, err);
  if (!docs)
    return exit_bad_input;
  bool all_valid = true;
  for (const auto& d : *docs) {
    auto cluster = load_valid(file, d, err);
    if (!cluster) {
      all_valid = false;
      continue;
    }
    out << file << ": " << describe(d) << ": valid, " << cluster->spec.brokers.size() << " brokers\n";
  }
  return all_valid ? 0 : exit_bad_input;
}

int render_command(const render_options& opts, std::ostream& out, std::ostream& err) {
  if (opts.output != "yaml" && opts.output != "json") {
    err << "error: --output must be yaml or json, got \"" << opts.output << "\"\n";
    return exit_bad_input;
  }
  auto docs = read_all(opts.file, err);
  if (!docs)
    return exit_bad_input;
  std::vector<model::json> objects;
  for (const auto& d : *docs) {
    auto cluster = load_valid(opts.file, d, err);
    if (!cluster)
      return exit_bad_input;
    if (cluster->metadata.namespace_.empty())
      cluster->metadata.namespace_ = opts.namespace_;
    if (opts.broker) {
      auto broker = model::render_broker(*cluster, *opts.broker);
      if (!broker) {
        err << "error: " << opts.file << ": " << describe(d) << ": " << broker.error().message() << '\n';
        return exit_bad_input;
      }
      auto all = broker->all();
      objects.insert(objects.end(), all.begin(), all.end());
      continue;
    }
    auto state = model::render_cluster(*cluster);
    if (!state) {
      err << "error: " << opts.file << ": " << describe(d) << ": " << state.error().message() << '\n';
      return exit_bad_input;
    }
    auto all = state->all();
    objects.insert(objects.end(), all.begin(), all.end());
  }
  if (opts.output == "json")
    out << model::json{{"apiVersion", "v1"}, {"kind", "List"}, {"items", objects}}.dump(2) << '\n';
  else
    out << model::to_yaml_stream(objects);
  return 0;
}

} // namespace kactor::runtime
